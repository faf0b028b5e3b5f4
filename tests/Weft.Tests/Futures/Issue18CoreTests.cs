using System.Collections.Concurrent;
using Weft.Threading;
using static Weft.Tests.Futures.TestFutures;

namespace Weft.Tests.Futures;

/// <summary>Issue 18's core defects (7, 9, 11): each test failed (or crashed the test host) on the old code.</summary>
public sealed class Issue18CoreTests
{
    /// <summary>Defect 7: a late Thread.Interrupt on an idle worker threw out of WakePermits.Wait and killed the process.</summary>
    [Fact]
    public void ThreadInterrupt_OnAParkedWorker_IsIgnoredAndTheWorkerGoesOn()
    {
        using var executor = new ThreadPoolExecutor(1);
        var worker = executor.Submit(static () => Thread.CurrentThread).Result(Long);
        Assert.True(SpinWait.SpinUntil(() => (worker.ThreadState & ThreadState.WaitSleepJoin) != 0, Long), "the worker never parked");

        worker.Interrupt();

        Assert.Same(worker, executor.Submit(static () => Thread.CurrentThread).Result(Long));
        Assert.Equal(1, executor.ThreadCount);
    }

    /// <summary>Defect 7: a task that interrupts its own thread and returns leaves the interrupt pending; the worker
    /// then parks and must not die of it, and the executor still shuts down.</summary>
    [Fact]
    public async Task ThreadInterrupt_PendingWhenTheTaskReturns_WorkerSurvivesAndShutsDown()
    {
        var executor = new ThreadPoolExecutor(1);
        var worker = executor.Submit(static () =>
        {
            Thread.CurrentThread.Interrupt();
            return Thread.CurrentThread;
        }).Result(Long);
        Assert.True(SpinWait.SpinUntil(() => (worker.ThreadState & ThreadState.WaitSleepJoin) != 0, Long), "the worker never parked");

        Assert.Equal(2, executor.Submit(static () => 2).Result(Long));
        await executor.DisposeAsync().AsTask().WaitAsync(Long);
        Assert.True(worker.Join(Long));
    }
}
