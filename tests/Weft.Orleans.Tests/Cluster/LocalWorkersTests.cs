using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Weft.Orleans.Wire;
using Weft.Orleans.Workers;
using Weft.Tests.Futures;

namespace Weft.Orleans.Tests.Cluster;

/// <summary>A silo's side of the protocol, without a cluster: a copy of a task it holds is not run again, and the
/// tasks of an executor that stopped sending heartbeats are cancelled (no orphans).</summary>
public sealed class LocalWorkersTests
{
    private static readonly ManualResetEventSlim s_hold = new();
    private static int s_runs;

    [Fact]
    public void Start_SameTaskTwiceWhileItRuns_AcknowledgesBothAndRunsItOnce()
    {
        s_hold.Reset();
        Volatile.Write(ref s_runs, 0);
        using var workers = new LocalWorkers(Options(), "silo-under-test", NullLogger<LocalWorkers>.Instance, TimeProvider.System);
        var results = new Results();
        var message = Message(ClusterWire.Function(static () => HeldRun(), CallShape.Func0), results, TimeSpan.Zero);

        var first = workers.Start(message);
        var second = workers.Start(message);
        s_hold.Set();

        Assert.True(first.Accepted && second.Accepted);
        Assert.True(results.Replies.TryTake(out var reply, TestFutures.Long), "no reply came");
        Assert.Equal(1, ClusterWire.Deserialize<int>(ClusterWire.ReadReply(reply.Reply).Result!, "HeldRun"));
        Assert.True(SpinWait.SpinUntil(() => workers.Heartbeat("executor").Held.Length == 0, TestFutures.Long));
        Assert.Empty(results.Replies);
        Assert.Equal(1, Volatile.Read(ref s_runs));
    }

    [Fact]
    public void Start_ExecutorNeverHeardFromAgain_TheTaskIsCancelledAfterOrphanAfter()
    {
        using var workers = new LocalWorkers(Options(), "silo-under-test", NullLogger<LocalWorkers>.Instance, TimeProvider.System);
        var results = new Results();
        var message = Message(
            ClusterWire.Function(static (CancellationToken token) => token.WaitHandle.WaitOne(TimeSpan.FromMinutes(1)) ? "cancelled" : "ran on", CallShape.Cancellable),
            results,
            TimeSpan.FromMilliseconds(200));

        workers.Start(message);

        Assert.True(results.Replies.TryTake(out var reply, TestFutures.Long), "the orphan was never cancelled");
        Assert.Equal("cancelled", ClusterWire.Deserialize<string>(ClusterWire.ReadReply(reply.Reply).Result!, "orphan"));
    }

    private static WeftWorkerOptions Options() => new WeftWorkerOptions { MaxLocalWorkers = 2 }.Allow(typeof(LocalWorkersTests));

    private static TaskMessage Message(FunctionRef function, IWeftResults results, TimeSpan orphanAfter) => new()
    {
        Executor = "executor",
        Id = 1,
        Attempt = 1,
        Function = function.Bytes,
        Arguments = [],
        Results = results,
        OrphanAfter = orphanAfter,
    };

    private static int HeldRun()
    {
        if (!s_hold.Wait(TestFutures.Long))
        {
            throw new TimeoutException("the test never released the task");
        }

        return Interlocked.Increment(ref s_runs);
    }

    private sealed class Results : IWeftResults
    {
        public BlockingCollection<(long Id, byte[] Reply)> Replies { get; } = [];

        public Task Done(long id, byte[] reply)
        {
            Replies.Add((id, reply));
            return Task.CompletedTask;
        }
    }
}
