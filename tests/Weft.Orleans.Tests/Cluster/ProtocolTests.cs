using Orleans.TestingHost;
using Weft.Tests.Futures;

namespace Weft.Orleans.Tests.Cluster;

/// <summary>A 3-silo cluster whose ResponseTimeout is 2 s and whose third silo has no Weft workers: long tasks,
/// crowding, and placement only where the workers are.</summary>
public sealed class ShortTimeoutCluster : IAsyncLifetime
{
    public const string WithoutWorkers = "Silo_2";

    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(2);

    private InProcessTestCluster? _cluster;

    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("not started");

    public string SiloWithoutWorkers => Cluster.Silos.Single(s => s.Name == WithoutWorkers).SiloAddress.ToString();

    public async Task InitializeAsync() => _cluster = await TestClusters.StartAsync(3, ResponseTimeout, null, WithoutWorkers);

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(1));
        }
    }
}

/// <summary>The task protocol: liveness is a lease, not the length of a call.</summary>
public sealed class ProtocolTests(ShortTimeoutCluster fixture) : IClassFixture<ShortTimeoutCluster>
{
    private const int Tasks = 6;

    private static int s_longRuns;
    private static readonly int[] s_crowdRuns = new int[2 * Tasks];

    [Fact]
    public void Submit_TaskTwiceAsLongAsResponseTimeout_SucceedsAndRunsOnce()
    {
        using var executor = new ClusterExecutor(fixture.Cluster.Client);
        Volatile.Write(ref s_longRuns, 0);

        var result = executor.Submit(static () => LongTask()).Result(TestFutures.Long);

        Assert.Equal(42, result);
        Assert.Equal(1, Volatile.Read(ref s_longRuns));
        Assert.Equal(0, executor.Resent);
    }

    [Fact]
    public void Map_OneSiloWithoutWeftWorkers_CountsOnlySilosWithWorkersAndNeverSendsThere()
    {
        using var executor = new ClusterExecutor(fixture.Cluster.Client);

        var ranOn = executor.Map(static (int _) => Workers.WeftWorkerGrain.CurrentSilo, Enumerable.Range(0, 40), timeout: TestFutures.Long).ToList();

        Assert.Equal(2 * TestClusters.WorkersPerSilo, executor.MaxWorkers);
        Assert.Equal(2, executor.SiloCount);
        Assert.Equal(0, executor.Refused);
        Assert.DoesNotContain(fixture.SiloWithoutWorkers, ranOn);
        Assert.DoesNotContain(fixture.SiloWithoutWorkers, executor.TasksBySilo.Keys);
        Assert.Equal(2, ranOn.Distinct().Count());
    }

    [Fact]
    public void TwoExecutors_CrowdingTheSameSilos_ResendNothingAndRunEachTaskOnce()
    {
        // Each executor keeps 4 tasks of 1.2 s in flight on the 4 slots, so half the tasks wait on a silo for longer
        // than ResponseTimeout: queued work must not count as an unanswered call.
        Array.Clear(s_crowdRuns);
        using var first = new ClusterExecutor(fixture.Cluster.Client);
        using var second = new ClusterExecutor(fixture.Cluster.Client);

        var a = Enumerable.Range(0, Tasks).Select(i => first.Submit(static i => Crowd(i), i)).ToList();
        var b = Enumerable.Range(Tasks, Tasks).Select(i => second.Submit(static i => Crowd(i), i)).ToList();

        Assert.Equal(Enumerable.Range(0, 2 * Tasks), a.Concat(b).Select(f => f.Result(TestFutures.Long)));
        Assert.All(s_crowdRuns, runs => Assert.Equal(1, runs));
        Assert.Equal(0, first.Resent + second.Resent);
        Assert.Equal(0, first.Duplicates + second.Duplicates);
    }

    private static int LongTask()
    {
        Interlocked.Increment(ref s_longRuns);
        Thread.Sleep(2 * ShortTimeoutCluster.ResponseTimeout);
        return 42;
    }

    private static int Crowd(int i)
    {
        Interlocked.Increment(ref s_crowdRuns[i]);
        Thread.Sleep(TimeSpan.FromMilliseconds(1200));
        return i;
    }
}
