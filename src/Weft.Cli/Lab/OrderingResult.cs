namespace Weft.Cli.Lab;

/// <summary>Five tasks of 5,4,3,2,1 units, run twice: once through map(), once through submit() and
/// as_completed(). Each run records the order its own work finished in.</summary>
/// <param name="Submitted">The order the tasks were submitted: 5,4,3,2,1.</param>
/// <param name="Map">The order map() returned the results.</param>
/// <param name="MapFinished">The order the map run's tasks finished.</param>
/// <param name="AsCompleted">The order as_completed() yielded the results.</param>
/// <param name="AsCompletedFinished">The order the as_completed run's tasks finished.</param>
internal sealed record OrderingResult(
    IReadOnlyList<int> Submitted,
    IReadOnlyList<int> Map,
    IReadOnlyList<int> MapFinished,
    IReadOnlyList<int> AsCompleted,
    IReadOnlyList<int> AsCompletedFinished);
