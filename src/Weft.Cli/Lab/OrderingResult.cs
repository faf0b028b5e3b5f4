namespace Weft.Cli.Lab;

/// <summary>Five tasks of 5,4,3,2,1 units: the order map() and as_completed() hand back results, and the order the work finished.</summary>
internal sealed record OrderingResult(IReadOnlyList<int> Submitted, IReadOnlyList<int> Map, IReadOnlyList<int> AsCompleted, IReadOnlyList<int> Finished);
