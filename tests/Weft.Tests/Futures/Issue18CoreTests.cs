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

    /// <summary>Defect 11: Futures.Wait takes a token; cancelling it ends a wait on a future that never completes.</summary>
    [Fact]
    public async Task FuturesWait_TokenFiresWhileWaiting_ThrowsOperationCanceled()
    {
        var never = Pending();
        using var cancel = new CancellationTokenSource();
        var waiting = Task.Run(() => Weft.Futures.Wait([never], cancellationToken: cancel.Token));
        cancel.CancelAfter(TimeSpan.FromMilliseconds(20));   // before or during the wait: either way it must end

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Long));
        Assert.False(never.IsCancelled);
        Assert.False(never.HasListeners, "the wait left its listener on the future");
    }

    /// <summary>Defect 11: AsCompleted's iteration takes a token.</summary>
    [Fact]
    public async Task AsCompleted_TokenFiresWhileWaiting_ThrowsOperationCanceledAfterTheDoneOnes()
    {
        var done = Succeeded(1);
        var never = Pending();
        using var cancel = new CancellationTokenSource();
        var yielded = new ConcurrentQueue<Future>();
        var iterating = Task.Run(() =>
        {
            foreach (var future in Weft.Futures.AsCompleted([done, never], cancellationToken: cancel.Token))
            {
                yielded.Enqueue(future);
            }
        });
        cancel.CancelAfter(TimeSpan.FromMilliseconds(20));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => iterating.WaitAsync(Long));
        Assert.Equal([done], yielded);
    }

    /// <summary>Defect 11: iterating Map takes a token; cancelling it ends the iteration and cancels what has not started.</summary>
    [Fact]
    public async Task Map_TokenFiresWhileIterating_ThrowsAndCancelsTheTasksNotStarted()
    {
        using var gate = new ManualResetEventSlim();
        using var executor = new ThreadPoolExecutor(1);
        using var cancel = new CancellationTokenSource();
        var started = new ConcurrentQueue<int>();
        var iterating = Task.Run(() => executor.Map(
            x =>
            {
                started.Enqueue(x);
                gate.Wait(Long);
                return x;
            },
            [1, 2, 3],
            cancellationToken: cancel.Token).ToList());
        Assert.True(SpinWait.SpinUntil(() => !started.IsEmpty, Long));

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => iterating.WaitAsync(Long));
        gate.Set();
        executor.Shutdown();
        Assert.Equal([1], started);
    }

    /// <summary>Defect 11: Condition.TryAcquire takes a token; it ends a wait for a lock held elsewhere.</summary>
    [Fact]
    public async Task ConditionTryAcquire_TokenFiresWhileTheLockIsHeldElsewhere_ThrowsOperationCanceled()
    {
        var condition = new Condition();
        using var holding = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var holder = new Thread(() =>
        {
            using (condition.Acquire())
            {
                holding.Set();
                release.Wait(Long);
            }
        });
        holder.Start();
        Assert.True(holding.Wait(Long));
        using var cancel = new CancellationTokenSource();
        var trying = Task.Run(() => condition.TryAcquire(Timeout.InfiniteTimeSpan, out _, cancel.Token));
        cancel.CancelAfter(TimeSpan.FromMilliseconds(20));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => trying.WaitAsync(Long));
        release.Set();
        Assert.True(holder.Join(Long));
        Assert.True(condition.TryAcquire(TimeSpan.Zero, out var scope, CancellationToken.None));
        scope.Dispose();
    }

    /// <summary>Sibling of defect 7: a done-callback that throws an exception whose ToString throws, run on a pool
    /// worker, was reported with Console.Error.WriteLine(error); the ToString exception escaped the worker.</summary>
    [Fact]
    public void DoneCallback_ThrowsAnExceptionWhoseToStringThrows_WorkerSurvives()
    {
        using var executor = new ThreadPoolExecutor(1);
        using var gate = new ManualResetEventSlim();
        var first = executor.Submit(() => gate.Wait(Long));
        first.AddDoneCallback(static _ => throw new HostileException());
        gate.Set();
        first.Wait(Long);

        Assert.Equal(2, executor.Submit(static () => 2).Result(Long));
    }

    private sealed class HostileException : Exception
    {
        public override string Message => throw new InvalidOperationException("Message throws");

        public override string ToString() => throw new InvalidOperationException("ToString throws");
    }
}
