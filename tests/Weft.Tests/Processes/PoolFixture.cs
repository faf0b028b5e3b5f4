namespace Weft.Tests.Processes;

/// <summary>One 2-worker pool shared by the tests that neither break nor shut it down: workers are slow to start.</summary>
public sealed class PoolFixture : IDisposable
{
    public ProcessPoolExecutor Pool { get; } = new(maxWorkers: 2);

    public void Dispose() => Pool.Dispose();
}
