using System.Collections.Concurrent;
using static Weft.Tests.Futures.TestFutures;

namespace Weft.Tests.Futures;

/// <summary>Shutdown, Dispose and DisposeAsync of the thread pool, with gated tasks (checklist SH1-SH10).</summary>
public sealed class ThreadPoolExecutorShutdownTests
{
    [Fact]
    public void Shutdown_WaitAfterAnEarlierNoWait_JoinsTheWorkers()
    {
        using var gate = new ManualResetEventSlim();
        var executor = new ThreadPoolExecutor(1);
        var future = executor.Submit(() =>
        {
            gate.WaitOrFail();
            return Thread.CurrentThread;
        });
        executor.Shutdown(wait: false);

        var joining = Task.Run(() => executor.Shutdown(wait: true));
        AssertNotCompleted(joining);
        gate.Set();
        Finish(joining);

        Assert.False(future.Result(TimeSpan.Zero).IsAlive);
    }

    [Fact]
    public void Shutdown_Wait_BlocksUntilRunningAndQueuedTasksAreDone()
    {
        using var gate = new ManualResetEventSlim();
        var executor = new ThreadPoolExecutor(2);
        var futures = Enumerable.Range(0, 10).Select(i => executor.Submit(() =>
        {
            gate.WaitOrFail();
            return i;
        })).ToList();

        var shutdown = Task.Run(() => executor.Shutdown(wait: true));
        AssertNotCompleted(shutdown);
        gate.Set();
        Finish(shutdown);

        Assert.Equal(Enumerable.Range(0, 10), futures.Select(f => f.Result(TimeSpan.Zero)));
    }

    [Fact]
    public void Shutdown_CancelFutures_CancelsOnlyTasksNotStarted()
    {
        using var gate = new ManualResetEventSlim();
        using var started = new CountdownEvent(2);
        var executor = new ThreadPoolExecutor(2);
        var running = Enumerable.Range(0, 2).Select(_ => executor.Submit(() =>
        {
            started.Signal();
            gate.WaitOrFail();
            return 1;
        })).ToList();
        started.WaitOrFail();
        var queued = Enumerable.Range(0, 18).Select(_ => executor.Submit(static () => 2)).ToList();

        executor.Shutdown(wait: false, cancelFutures: true);

        Assert.All(queued, f => Assert.True(f.IsCancelled));
        Assert.All(running, f => Assert.True(f.IsRunning));
        gate.Set();
        executor.Shutdown(wait: true);
        Assert.All(running, f => Assert.Equal(1, f.Result(TimeSpan.Zero)));
    }

    [Fact]
    public void Shutdown_CancelFuturesAndWait_QueuedTaskCancelledEvenWhenTheRunningOneStopsOnItsToken()
    {
        // Regression: the tokens used to fire before the queue was cancelled, so the worker freed by a
        // task stopping on its token could start a queued task that Shutdown was about to cancel.
        for (var round = 0; round < 50; round++)
        {
            using var started = new ManualResetEventSlim();
            var executor = new ThreadPoolExecutor(1);
            var running = executor.Submit(token =>
            {
                started.Set();
                return token.WaitHandle.WaitOne(Long);
            });
            started.WaitOrFail();
            var queued = executor.Submit(static () => 2);

            Finish(Task.Run(() => executor.Shutdown(wait: true, cancelFutures: true)));

            Assert.True(queued.IsCancelled, $"round {round}: the queued task was not cancelled");
            Assert.True(running.Result(TimeSpan.Zero), "the running task's token fires on Shutdown(cancelFutures: true)");
        }
    }

    [Fact]
    public void Shutdown_CancelFutures_FiresTheTokenOfARunningTask()
    {
        using var started = new ManualResetEventSlim();
        using var executor = new ThreadPoolExecutor(1);
        var future = executor.Submit(token =>
        {
            started.Set();
            return token.WaitHandle.WaitOne(Long);
        });
        started.WaitOrFail();

        executor.Shutdown(wait: false, cancelFutures: true);

        Assert.True(future.Result(Long));
    }

    [Fact]
    public void Shutdown_WaitFalse_ReturnsAtOnceAndFiresTheTokens()
    {
        using var started = new ManualResetEventSlim();
        using var gate = new ManualResetEventSlim();
        using var executor = new ThreadPoolExecutor(1);
        var cancellable = executor.Submit(token =>
        {
            started.Set();
            return token.WaitHandle.WaitOne(Long);
        });
        started.WaitOrFail();
        var queued = executor.Submit(() =>
        {
            gate.WaitOrFail();
            return 5;
        });

        Finish(Task.Run(() => executor.Shutdown(wait: false)));

        Assert.True(cancellable.Result(Long));
        Assert.False(queued.IsCancelled);
        gate.Set();
        Assert.Equal(5, queued.Result(Long));
    }

    [Fact]
    public void Dispose_DoesNotFireTheTokens()
    {
        using var started = new ManualResetEventSlim();
        using var gate = new ManualResetEventSlim();
        var executor = new ThreadPoolExecutor(1);
        var future = executor.Submit(token =>
        {
            started.Set();
            gate.WaitOrFail();
            return token;
        });
        started.WaitOrFail();

        var dispose = Task.Run(executor.Dispose);
        AssertNotCompleted(dispose);
        gate.Set();
        Finish(dispose);

        Assert.False(future.Result(TimeSpan.Zero).IsCancellationRequested);
    }

    [Fact]
    public void Dispose_NoWorkerThreadOutlivesTheExecutor()
    {
        using var barrier = new Barrier(3);
        var executor = new ThreadPoolExecutor(3);
        var threads = Enumerable.Range(0, 3).Select(_ => executor.Submit(() =>
        {
            Assert.True(barrier.SignalAndWait(Long));
            return Thread.CurrentThread;
        })).ToList().Select(f => f.Result(Long)).ToList();
        Assert.Equal(3, threads.Distinct().Count());

        executor.Dispose();

        Assert.All(threads, t => Assert.False(t.IsAlive));
    }

    [Fact]
    public async Task DisposeAsync_CompletesOnlyAfterRunningTasksAndWorkersAreDone()
    {
        using var gate = new ManualResetEventSlim();
        var executor = new ThreadPoolExecutor(2);
        var futures = Enumerable.Range(0, 4).Select(_ => executor.Submit(() =>
        {
            gate.WaitOrFail();
            return Thread.CurrentThread;
        })).ToList();

        var disposing = executor.DisposeAsync().AsTask();
        Assert.False(await Task.WhenAny(disposing, Task.Delay(Short)) == disposing, "DisposeAsync returned before the tasks ran");
        gate.Set();
        await disposing.WaitAsync(Long);

        Assert.All(futures, f => Assert.True(f.IsDone));
        Assert.All(futures.Select(f => f.Result(TimeSpan.Zero)).Distinct(), t => Assert.True(t.Join(Long)));
    }

    [Fact]
    public void Shutdown_SubmitAndCancelJustBefore_DoesNotHang()
    {
        var executor = new ThreadPoolExecutor(1);
        var future = executor.Submit(static () => { });
        future.Cancel();

        Finish(Task.Run(() => executor.Shutdown(wait: true)));
    }

    [Fact]
    public void Shutdown_WaitFromOwnWorker_ErrorSurfacesInThatTasksFuture()
    {
        var executor = new ThreadPoolExecutor(1);

        var future = executor.Submit(() => executor.Shutdown(wait: true));

        Assert.IsType<InvalidOperationException>(future.GetException(Long));
        Assert.Throws<InvalidOperationException>(() => executor.Submit(static () => 1));
        Finish(Task.Run(executor.Dispose));
    }

    [Fact]
    public void Shutdown_WaitFalseFromOwnWorker_Works()
    {
        var executor = new ThreadPoolExecutor(1);

        var future = executor.Submit(() => executor.Shutdown(wait: false));

        future.Wait(Long);
        Assert.Null(future.GetException(TimeSpan.Zero));
        Finish(Task.Run(executor.Dispose));
    }

    [Fact]
    public void Shutdown_TasksSubmittingMoreTasks_InnerSubmitAfterShutdownThrows()
    {
        using var gate = new ManualResetEventSlim();
        var executor = new ThreadPoolExecutor(2);
        var outer = executor.Submit(() =>
        {
            gate.WaitOrFail();
            return executor.Submit(static () => 1);
        });
        executor.Shutdown(wait: false);

        gate.Set();

        Assert.IsType<InvalidOperationException>(outer.GetException(Long));
        Finish(Task.Run(executor.Dispose));
    }

    [Fact]
    public void Shutdown_WorkersExitAfterTheirTasks()
    {
        using var gate = new ManualResetEventSlim();
        using var started = new CountdownEvent(3);
        var threads = new ConcurrentBag<Thread>();
        var executor = new ThreadPoolExecutor(3);
        for (var i = 0; i < 3; i++)
        {
            executor.Submit(() =>
            {
                threads.Add(Thread.CurrentThread);
                started.Signal();
                gate.WaitOrFail();
            });
        }

        started.WaitOrFail();
        Assert.Equal(3, executor.ThreadCount);
        gate.Set();
        executor.Shutdown();

        Assert.Equal(3, threads.Count);
        Assert.All(threads, t => Assert.False(t.IsAlive));
    }
}
