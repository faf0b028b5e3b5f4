using Weft.Tests.Futures;

namespace Weft.Orleans.Tests.Cluster;

/// <summary>What is particular to the cluster: spreading, the process pool's function rule, cancellation of running calls.</summary>
public sealed class ClusterExecutorTests(ThreeSiloCluster fixture) : IClassFixture<ThreeSiloCluster>
{
    private static readonly TimeSpan Long = TestFutures.Long;

    private static readonly ManualResetEventSlim s_release = new();

    [Fact]
    public void MaxWorkers_Default_IsWhatTheSilosOffer()
    {
        using var executor = new ClusterExecutor(fixture.Cluster.Client);

        Assert.Equal(3 * TestClusters.WorkersPerSilo, executor.MaxWorkers);
    }

    [Fact]
    public void Map_FromAClient_ReachesEverySilo()
    {
        using var executor = new ClusterExecutor(fixture.Cluster.Client);

        var results = executor.Map(static (int x) => SleepThenSquare(x, 20), Enumerable.Range(0, 60), timeout: Long).ToList();

        Assert.Equal(Enumerable.Range(0, 60).Select(x => x * x), results);
        var bySilo = executor.TasksBySilo;
        Assert.Equal(fixture.Cluster.GetActiveSilos().Select(s => s.SiloAddress.ToString()).Order(), bySilo.Keys.Order());
        Assert.Equal(60, bySilo.Values.Sum());
    }

    [Fact]
    public void Map_FromInsideASilo_ReachesEverySilo()
    {
        // Inside a silo a stateless worker call would stay local; the executor must still spread.
        var grains = (IGrainFactory)fixture.Cluster.GetSiloServiceProvider().GetService(typeof(IGrainFactory))!;
        using var executor = new ClusterExecutor(grains);

        var results = executor.Map(static (int x) => SleepThenSquare(x, 20), Enumerable.Range(0, 60), timeout: Long).ToList();

        Assert.Equal(Enumerable.Range(0, 60).Select(x => x * x), results);
        Assert.Equal(3, executor.TasksBySilo.Count);
    }

    [Fact]
    public void Submit_CapturingLambda_RefusedAtSubmit()
    {
        using var executor = new ClusterExecutor(fixture.Cluster.Client);
        var offset = 1;

        var error = Assert.Throws<ArgumentException>(() => executor.Submit(() => offset + 1));

        Assert.Contains("'offset'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Submit_ArgumentThatCannotCross_RefusedAtSubmit()
    {
        using var executor = new ClusterExecutor(fixture.Cluster.Client);

        Assert.Throws<ArgumentException>(() => executor.Submit(static (Func<int> f) => f(), () => 1));
    }

    [Fact]
    public void Submit_FrameworkMethod_RefusedOnTheSiloNamingTheFunctionAndAllow()
    {
        using var executor = new ClusterExecutor(fixture.Cluster.Client);
        var secret = Path.GetTempFileName();
        File.WriteAllText(secret, "the silo's secret");
        try
        {
            var error = executor.Submit<string, string>(File.ReadAllText, secret).GetException(Long);

            var refused = Assert.IsType<UnauthorizedAccessException>(error);
            Assert.Contains("System.IO.File.ReadAllText", refused.Message, StringComparison.Ordinal);
            Assert.Contains("Allow(", refused.Message, StringComparison.Ordinal);
            Assert.Equal(0, executor.Resent);
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public void Submit_TaskOnASilo_SeesNoPlacementHintOfItsOwn()
    {
        // The hint that pins a task to its silo must not stay in the request context of the task, or every grain
        // that user code activates would be placed on the worker's silo.
        using var executor = new ClusterExecutor(fixture.Cluster.Client);

        var hint = executor.Submit(static () => global::Orleans.Runtime.RequestContext.Get(global::Orleans.Runtime.Placement.IPlacementDirector.PlacementHintKey)?.ToString()).Result(Long);

        Assert.Null(hint);
    }

    [Fact]
    public void Map_ReplySaysWhereItRan_EverySiloListedWithItsTasks()
    {
        using var executor = new ClusterExecutor(fixture.Cluster.Client);

        var ranOn = executor.Map(static (int _) => Workers.WeftWorkerGrain.CurrentSilo, Enumerable.Range(0, 30), timeout: Long).ToList();

        Assert.Equal(ranOn.GroupBy(s => s!).ToDictionary(g => g.Key, g => g.Count()), executor.TasksBySilo);
    }

    [Fact]
    public void Map_BufferSize_KeepsAtMostMaxWorkersInFlight()
    {
        using var executor = new ClusterExecutor(fixture.Cluster.Client, maxWorkers: 2);
        var peak = 0;

        foreach (var _ in executor.Map(static (int x) => SleepThenSquare(x, 5), Enumerable.Range(0, 40), timeout: Long, bufferSize: 10))
        {
            peak = Math.Max(peak, executor.BusyWorkerCount);
            Assert.InRange(executor.BusyWorkerCount + executor.PendingCount, 0, 11);
        }

        Assert.InRange(peak, 1, 2);
    }

    [Fact]
    public void Shutdown_CancelFutures_FiresTheTokenOfRunningTasksOnTheirSilos()
    {
        s_release.Reset();
        var executor = new ClusterExecutor(fixture.Cluster.Client, maxWorkers: 1);
        var running = executor.Submit(static (CancellationToken token) => WaitForTokenOrRelease(token));
        var queued = executor.Submit(static () => 1);
        WaitUntil(() => executor.BusyWorkerCount == 1 && RunningNow == 1);

        executor.Shutdown(wait: false, cancelFutures: true);

        // The running call's token fired on the silo; its reply still came back (a result, not a lost call).
        Assert.Equal("cancelled", running.Result(Long));
        Assert.True(queued.IsCancelled);
        s_release.Set();
        executor.Dispose();
    }

    [Fact]
    public void Submit_FunctionThrows_NotResentAndTheFutureHasTheException()
    {
        using var executor = new ClusterExecutor(fixture.Cluster.Client);

        var error = executor.Submit(static (int x) => 10 / x, 0).GetException(Long);

        Assert.IsType<DivideByZeroException>(error);
        Assert.Equal(0, executor.Resent);
    }

    private static int s_runningNow;

    private static int RunningNow => Volatile.Read(ref s_runningNow);

    private static string WaitForTokenOrRelease(CancellationToken token)
    {
        Interlocked.Increment(ref s_runningNow);
        try
        {
            return WaitHandle.WaitAny([token.WaitHandle, s_release.WaitHandle], Long) == 0 ? "cancelled" : "released";
        }
        finally
        {
            Interlocked.Decrement(ref s_runningNow);
        }
    }

    internal static int SleepThenSquare(int x, int milliseconds)
    {
        Thread.Sleep(milliseconds);
        return x * x;
    }

    internal static void WaitUntil(Func<bool> condition)
    {
        if (!SpinWait.SpinUntil(condition, Long))
        {
            throw new TimeoutException("condition never became true");
        }
    }
}
