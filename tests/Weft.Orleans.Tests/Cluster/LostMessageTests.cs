using System.Collections.Concurrent;
using Orleans.TestingHost;
using Weft.Orleans.Workers;
using Weft.Tests.Futures;

namespace Weft.Orleans.Tests.Cluster;

/// <summary>A task's message or its acknowledgement lost or delayed on the way, as when the gateway it went through
/// is SIGKILLed: Orleans never breaks such a call for an external client and would wait out its whole
/// <c>ResponseTimeout</c> (10 minutes here). Heartbeats must decide instead, in seconds.</summary>
public sealed class LostMessageTests
{
    private const int Tasks = 6;

    private static readonly TimeSpan s_responseTimeout = TimeSpan.FromMinutes(10);

    private static readonly ClusterTimings s_timings = ClusterTimings.Default with
    {
        HeartbeatPeriod = TimeSpan.FromMilliseconds(200),
        LeaseTimeout = TimeSpan.FromSeconds(2),
    };

    private static readonly ConcurrentDictionary<int, int> s_runs = new();

    [Fact]
    public Task Map_EachTasksFirstMessageLost_EveryTaskIsSentAgainAndRunsOnce() =>
        WithFaults(StartFault.LoseMessage, (executor, _) =>
        {
            var values = Map(executor, first: 0);

            Assert.Equal(Enumerable.Range(0, Tasks), values);
            Assert.All(Enumerable.Range(0, Tasks), x => Assert.Equal(1, s_runs[x]));
            Assert.True(executor.Resent >= Tasks, $"resent {executor.Resent} of {Tasks} lost messages");
        });

    [Fact]
    public Task Map_EachTasksAcknowledgementLost_TheResultStillArrivesAndNothingIsSentAgain() =>
        WithFaults(StartFault.LoseAcknowledgement, (executor, _) =>
        {
            var values = Map(executor, first: 100);

            Assert.Equal(Enumerable.Range(100, Tasks), values);
            Assert.All(Enumerable.Range(100, Tasks), x => Assert.Equal(1, s_runs[x]));
            Assert.Equal(0, executor.Resent);
        });

    [Fact]
    public Task Map_TasksMessageArrivesAfterItsResendRan_TheLateRunsReplyIsDroppedAndCounted() =>
        WithFaults(StartFault.DelayMessage, (executor, end) =>
        {
            var values = Map(executor, first: 200);
            Assert.Equal(Enumerable.Range(200, Tasks), values);
            Assert.Equal(0, executor.Duplicates);

            end.SetResult();   // the delayed messages arrive: each task runs a second time, and its reply is a duplicate

            ClusterExecutorTests.WaitUntil(() => executor.Duplicates == Tasks);
            Assert.All(Enumerable.Range(200, Tasks), x => Assert.Equal(2, s_runs[x]));
        });

    private static List<int> Map(ClusterExecutor executor, int first) =>
        executor.Map(static (int x) => Counted(x), Enumerable.Range(first, Tasks), timeout: TestFutures.Long).ToList();

    /// <summary>Runs <paramref name="test"/> with an executor on a 2-silo cluster whose silos inject
    /// <paramref name="fault"/> into the first start of every task, until the test or the end completes the
    /// faults' end.</summary>
    private static async Task WithFaults(StartFault fault, Action<ClusterExecutor, TaskCompletionSource> test)
    {
        var faulted = new ConcurrentDictionary<long, bool>();
        var end = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cluster = await TestClusters.StartAsync(2, s_responseTimeout, o =>
        {
            o.StartFaults = m => faulted.TryAdd(m.Id, true) ? fault : StartFault.None;
            o.StartFaultsEnd = end.Task;
        });
        try
        {
            var executor = new ClusterExecutor(cluster.Client, null, 3, s_timings, TimeProvider.System);
            try
            {
                test(executor, end);
            }
            finally
            {
                // Bounded: were lost calls awaited, Shutdown would wait out ResponseTimeout.
                Assert.True(Task.Run(executor.Dispose).Wait(TestFutures.Long), "Dispose hung: a lost call is still awaited");
            }
        }
        finally
        {
            end.TrySetResult();   // a silo does not stop while a call is unanswered
            await cluster.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(1));
        }
    }

    private static int Counted(int x)
    {
        s_runs.AddOrUpdate(x, 1, static (_, n) => n + 1);
        return x;
    }
}
