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

    /// <summary>Defect 9: Enumerate sorted the live registry in place and threw (ArgumentException) while threads
    /// registered and unregistered.</summary>
    [Fact]
    public void ThreadsEnumerate_WhileThreadsStartAndStop_NeverThrows()
    {
        using var stop = new CancellationTokenSource();
        var churners = Enumerable.Range(0, 3).Select(_ => new Thread(() =>
        {
            var threads = Enumerable.Range(0, 16).Select(_ => new Thread(static () => { })).ToArray();
            while (!stop.IsCancellationRequested)
            {
                foreach (var thread in threads)
                {
                    Threads.Register(thread, daemon: true);
                }

                foreach (var thread in threads)
                {
                    Threads.Unregister(thread);
                }
            }
        })).ToList();
        churners.ForEach(t => t.Start());
        var errors = new ConcurrentQueue<Exception>();
        try
        {
            for (var i = 0; i < 100_000 && errors.IsEmpty; i++)
            {
                try
                {
                    var listed = Threads.Enumerate();
                    Assert.True(listed[0].IsMain);
                }
                catch (Exception e) when (e is not Xunit.Sdk.XunitException)
                {
                    errors.Enqueue(e);
                }
            }
        }
        finally
        {
            stop.Cancel();
            churners.ForEach(t => Assert.True(t.Join(Long)));
        }

        Assert.Empty(errors);
    }
}
