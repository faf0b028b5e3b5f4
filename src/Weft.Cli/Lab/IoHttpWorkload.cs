namespace Weft.Cli.Lab;

/// <summary>The IO-bound workload of section 4: fetching the images of the built-in server.</summary>
internal sealed partial class IoHttpWorkload : IAsyncDisposable
{
    /// <summary>The experiments, sequential first.</summary>
    public IReadOnlyList<Experiment> Experiments { get; private init; } = [];

    /// <summary>The built-in server's image URLs, one per task.</summary>
    public IReadOnlyList<Uri> Images { get; private init; } = [];
}
