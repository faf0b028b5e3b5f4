using Orleans.TestingHost;
using Weft.Tests.Futures;

namespace Weft.Orleans.Tests.Cluster;

/// <summary>One silo with <see cref="WeftWorkerOptions.IsolateTasks"/>: tasks run in worker processes.</summary>
public sealed class IsolatedCluster : IAsyncLifetime
{
    private InProcessTestCluster? _cluster;

    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _cluster = await TestClusters.StartAsync(1, configure: static o => o.IsolateTasks = true);

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(1));
        }
    }
}

/// <summary>User code that crashes its process ends a worker process, never the silo (Dask's KilledWorker rule).</summary>
public sealed class IsolateTasksTests(IsolatedCluster fixture) : IClassFixture<IsolatedCluster>
{
    [Fact]
    public void Submit_OnAnIsolatingSilo_RunsInAWorkerProcessNotTheSilos()
    {
        using var executor = new ClusterExecutor(fixture.Cluster.Client);

        var process = executor.Submit(static () => Environment.ProcessId).Result(TestFutures.Long);

        Assert.NotEqual(Environment.ProcessId, process);   // the in-process silo runs in this very process
    }

    [Fact]
    public void Submit_TaskThatKillsItsWorkerProcess_FailsAfterThreeKillsSayingSoAndTheSiloRunsTheNextTask()
    {
        using var executor = new ClusterExecutor(fixture.Cluster.Client);

        var error = executor.Submit(static () => Crash()).GetException(TestFutures.Long);

        var failure = Assert.IsType<OrleansException>(error);
        Assert.Contains("killed its worker process 3 times", failure.Message, StringComparison.Ordinal);
        Assert.Equal(2, executor.Resent);
        Assert.Equal(49, executor.Submit(static (int x) => x * x, 7).Result(TestFutures.Long));
        Assert.Equal(1, executor.SiloCount);
    }

    private static int Crash()
    {
        Environment.FailFast("a task that takes its process down (test)");
        return 0;
    }
}
