using Weft.Tests.Futures;

namespace Weft.Orleans.Tests.Cluster;

/// <summary>The client's own network goes down for several leases: no silo answers any more. The executor opens its
/// circuit and waits, rather than spending each task's retries on silos that are not at fault.</summary>
public sealed class OutageTests
{
    private static readonly ClusterTimings s_timings = ClusterTimings.Default with
    {
        HeartbeatPeriod = TimeSpan.FromMilliseconds(200),
        LeaseTimeout = TimeSpan.FromSeconds(1),
        BackoffBase = TimeSpan.FromMilliseconds(50),
    };

    private static TaskCompletionSource? s_outage;
    private static int s_unanswered;   // calls the outage swallowed

    [Fact]
    public async Task Map_ClientOutageLongerThanEveryRetry_CircuitOpensAndEveryTaskSucceedsAfterIt()
    {
        var outage = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cluster = await TestClusters.StartAsync(1, TimeSpan.FromMinutes(10), o => o.Outage = Swallow);
        // maxRetries 0: a single lost attempt that cost a retry would fail its task. One silo, so that its lease
        // is the last to expire (with two, one may expire a round before the other, and that one is charged).
        var executor = new ClusterExecutor(cluster.Client, null, 0, s_timings, TimeProvider.System);
        try
        {
            Assert.True(executor.Submit(static () => true).Result(TestFutures.Long));

            Volatile.Write(ref s_outage, outage);
            var futures = Enumerable.Range(0, 8).Select(i => executor.Submit(static i => i * i, i)).ToList();

            // Several leases pass with no answer: without a circuit each task would spend its retries meanwhile.
            // Once the circuit is open no task is sent, so what the outage swallows from then on are heartbeats, one
            // per lease time: three more mean three more leases passed without an answer.
            ClusterExecutorTests.WaitUntil(() => executor.CircuitOpenings > 0);
            var swallowed = Volatile.Read(ref s_unanswered);
            ClusterExecutorTests.WaitUntil(() => Volatile.Read(ref s_unanswered) >= swallowed + 3);
            Assert.All(futures, f => Assert.False(f.IsDone, $"a task ended during the outage: {f}"));

            EndOutage(outage);

            Assert.Equal(Enumerable.Range(0, 8).Select(i => i * i), futures.Select(f => f.Result(TestFutures.Long)));
        }
        finally
        {
            EndOutage(outage);   // first: Shutdown waits for the tasks, and they for the network
            await Task.Run(executor.Dispose).WaitAsync(TestFutures.Long);   // a TimeoutException if Dispose hangs
            await cluster.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(1));
        }
    }

    private static Task? Swallow()
    {
        var outage = Volatile.Read(ref s_outage);
        if (outage is not null)
        {
            Interlocked.Increment(ref s_unanswered);
        }

        return outage?.Task;
    }

    private static void EndOutage(TaskCompletionSource outage)
    {
        Volatile.Write(ref s_outage, null);
        outage.TrySetResult();
    }
}
