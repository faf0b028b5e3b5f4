using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using static Weft.Tests.Futures.TestFutures;

namespace Weft.Tests.Futures;

/// <summary>ThreadPoolExecutor's own rules: worker threads, initializer, cancellation of queued work
/// (checklist T1-T10, S5, S7, S9).</summary>
public sealed class ThreadPoolExecutorTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Constructor_MaxWorkersNotPositive_ThrowsArgumentOutOfRange(int maxWorkers)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ThreadPoolExecutor(maxWorkers));
        Assert.Equal("maxWorkers", error.ParamName);
    }

    [Fact]
    public void MaxWorkers_Default_IsMinOf32AndProcessorCountPlus4()
    {
        using var executor = new ThreadPoolExecutor();

        Assert.Equal(Math.Min(32, Environment.ProcessorCount + 4), executor.MaxWorkers);
        Assert.Equal(5, new ThreadPoolExecutor(5).MaxWorkers);
    }

    [Fact]
    public void Constructor_NoTaskSubmitted_StartsNoThread()
    {
        using var executor = new ThreadPoolExecutor(4);

        Assert.Equal(0, executor.ThreadCount);
    }

    [Fact]
    public void Submit_MoreBlockedTasksThanWorkers_StartsExactlyMaxWorkersThreads()
    {
        using var gate = new ManualResetEventSlim();
        using var started = new CountdownEvent(4);
        using var executor = new ThreadPoolExecutor(4);

        var futures = Enumerable.Range(0, 60).Select(_ => executor.Submit(() =>
        {
            if (!started.IsSet)
            {
                started.Signal();
            }

            gate.WaitOrFail();
        })).ToList();
        started.WaitOrFail();

        Assert.Equal(4, executor.ThreadCount);
        Assert.Equal(4, futures.Count(f => f.IsRunning));
        gate.Set();
        Assert.All(futures, f => f.Wait(Long));
        Assert.Equal(4, executor.ThreadCount);
    }

    [Fact]
    public void Submit_SequentialTasks_ReuseTheIdleThread()
    {
        using var executor = new ThreadPoolExecutor(4);

        for (var i = 0; i < 3; i++)
        {
            executor.Submit(static () => 1).Result(Long);
        }

        Assert.Equal(1, executor.ThreadCount);
    }

    [Fact]
    public void WorkerThreads_NamedWithThePrefixAndTheirNumber()
    {
        using var executor = new ThreadPoolExecutor(5, threadNamePrefix: "SpecialPool");
        using var barrier = new Barrier(5);

        var names = Enumerable.Range(0, 5).Select(_ => executor.Submit(() =>
        {
            Assert.True(barrier.SignalAndWait(Long));
            return Thread.CurrentThread.Name;
        })).ToList().Select(f => f.Result(Long)).ToList();

        Assert.All(names, n => Assert.Matches(new Regex("^SpecialPool_[0-4]$"), n));
        Assert.Equal(5, names.Distinct().Count());
    }

    [Fact]
    public void WorkerThreads_DefaultPrefix_IsThreadPoolExecutorWithAProcessWideCounter()
    {
        using var first = new ThreadPoolExecutor(1);
        using var second = new ThreadPoolExecutor(1);

        var firstName = first.Submit(static () => Thread.CurrentThread.Name).Result(Long);
        var secondName = second.Submit(static () => Thread.CurrentThread.Name).Result(Long);

        Assert.Matches(new Regex(@"^ThreadPoolExecutor-\d+_0$"), firstName);
        Assert.Matches(new Regex(@"^ThreadPoolExecutor-\d+_0$"), secondName);
        Assert.NotEqual(firstName, secondName);
    }

    [Fact]
    public void WorkerThreads_AreBackgroundAndNotThreadPoolThreads()
    {
        using var executor = new ThreadPoolExecutor(1);

        var (background, pooled) = executor.Submit(static () => (Thread.CurrentThread.IsBackground, Thread.CurrentThread.IsThreadPoolThread)).Result(Long);

        Assert.True(background);
        Assert.False(pooled);
    }

    [Fact]
    public void Submit_OneWorker_TasksStartInSubmissionOrder()
    {
        using var gate = new ManualResetEventSlim();
        using var executor = new ThreadPoolExecutor(1);
        var order = new ConcurrentQueue<int>();
        executor.Submit(() => gate.WaitOrFail());

        var futures = Enumerable.Range(0, 50).Select(i => executor.Submit(() => order.Enqueue(i))).ToList();
        gate.Set();
        Assert.All(futures, f => f.Wait(Long));

        Assert.Equal(Enumerable.Range(0, 50), order);
    }

    [Fact]
    public void QueuedFuture_IsPendingAndCancellable_AndNeverRuns()
    {
        using var gate = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        using var executor = new ThreadPoolExecutor(1);
        var running = executor.Submit(() =>
        {
            started.Set();
            gate.WaitOrFail();
        });
        var ran = false;
        var queued = executor.Submit(() => ran = true);
        started.WaitOrFail();

        Assert.Equal(FutureState.Pending, queued.State);
        Assert.False(queued.IsRunning);
        Assert.True(queued.Cancel());
        Assert.False(running.Cancel());
        Assert.True(running.IsRunning);

        gate.Set();
        running.Wait(Long);
        executor.Submit(static () => { }).Wait(Long);
        Assert.False(ran);
        Assert.True(queued.IsCancelled);
        Assert.Throws<OperationCanceledException>(() => queued.GetException(TimeSpan.Zero));
    }

    [Fact]
    public void RunningFuture_StateIsRunningWhileTheTaskRuns()
    {
        using var gate = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        using var executor = new ThreadPoolExecutor(1);
        FutureState? stateInside = null;
        Future<int>? self = null;
        using var published = new ManualResetEventSlim();

        self = executor.Submit(() =>
        {
            published.WaitOrFail();
            stateInside = self!.State;
            started.Set();
            gate.WaitOrFail();
            return 1;
        });
        published.Set();
        started.WaitOrFail();

        Assert.Equal(FutureState.Running, stateInside);
        Assert.Equal(FutureState.Running, self.State);
        Assert.False(self.Cancel());
        gate.Set();
        Assert.Equal(1, self.Result(Long));
    }

    [Fact]
    public void AddDoneCallback_TaskRunsOnWorker_CallbackRunsOnTheWorkerThread()
    {
        using var executor = new ThreadPoolExecutor(1, threadNamePrefix: "CallbackPool");
        using var gate = new ManualResetEventSlim();
        using var called = new ManualResetEventSlim();
        string? callbackThread = null;
        var future = executor.Submit(() => gate.WaitOrFail());
        future.AddDoneCallback(_ =>
        {
            callbackThread = Thread.CurrentThread.Name;
            called.Set();
        });

        gate.Set();
        called.WaitOrFail();

        Assert.Equal("CallbackPool_0", callbackThread);
    }

    [Fact]
    public void Initializer_RunsOncePerWorkerBeforeItsFirstTask()
    {
        var initialized = new ThreadLocal<bool>();
        var calls = 0;
        using var barrier = new Barrier(3);
        using var executor = new ThreadPoolExecutor(3, initializer: () =>
        {
            Interlocked.Increment(ref calls);
            initialized.Value = true;
        });

        // The first three tasks meet at a barrier, which forces three workers.
        var first = Enumerable.Range(0, 3).Select(_ => executor.Submit(() =>
        {
            Assert.True(barrier.SignalAndWait(Long));
            return initialized.Value;
        })).ToList();
        var rest = Enumerable.Range(0, 20).Select(_ => executor.Submit(() => initialized.Value)).ToList();

        Assert.All(first.Concat(rest), f => Assert.True(f.Result(Long)));
        Assert.Equal(3, executor.ThreadCount);
        Assert.Equal(3, Volatile.Read(ref calls));
    }

    [Fact]
    public void Initializer_Throws_PendingFuturesFailWithBrokenThreadPool()
    {
        var initializerError = new InvalidOperationException("error in initializer");
        using var gate = new ManualResetEventSlim();
        var executor = new ThreadPoolExecutor(2, initializer: () =>
        {
            gate.WaitOrFail();
            throw initializerError;
        });

        var futures = Enumerable.Range(0, 5).Select(i => executor.Submit(() => i)).ToList();
        gate.Set();

        foreach (var future in futures)
        {
            var error = Assert.IsType<BrokenThreadPoolException>(future.GetException(Long));
            Assert.Equal("A thread initializer failed, the thread pool is not usable anymore", error.Message);
            Assert.Same(initializerError, error.InnerException);
            Assert.IsAssignableFrom<BrokenExecutorException>(error);
        }

        Finish(Task.Run(executor.Dispose));
    }

    [Fact]
    public void Initializer_Throws_LaterSubmitThrowsBrokenThreadPool()
    {
        using var executor = new ThreadPoolExecutor(1, initializer: static () => throw new InvalidOperationException("error in initializer"));
        var first = executor.Submit(static () => 1);
        Assert.IsType<BrokenThreadPoolException>(first.GetException(Long));

        var error = Assert.Throws<BrokenThreadPoolException>(() => executor.Submit(static () => 2));

        Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Throws<BrokenThreadPoolException>(() => executor.Map(static (int x) => x, [1]));

        // Broken is checked before shut down, as in CPython.
        executor.Shutdown();
        Assert.Throws<BrokenThreadPoolException>(() => executor.Submit(static () => 3));
    }

    [Fact]
    public void Submit_TaskReleasesNothing_ExecutorDropsTheTaskOnceItRan()
    {
        using var executor = new ThreadPoolExecutor(1);

        var (future, captured) = SubmitCapturing(executor);
        future.Wait(Long);

        // The future stays alive, but it must not keep the task (and what the task captured) alive.
        TestFutures.WaitUntil(() =>
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            return !captured.IsAlive;
        }, "the task's captured object was collected");
        GC.KeepAlive(future);
    }

    [Fact]
    public void Result_TaskThrewOnWorker_RethrowsTheSameExceptionWithTheWorkerStack()
    {
        using var executor = new ThreadPoolExecutor(1);

        var future = executor.Submit(ThrowOnWorker);
        var thrown = Assert.Throws<ArithmeticException>(() => future.Result(Long));

        Assert.Same(thrown, future.GetException(TimeSpan.Zero));
        Assert.Contains(nameof(ThrowOnWorker), thrown.StackTrace, StringComparison.Ordinal);
        Assert.Contains(nameof(Result_TaskThrewOnWorker_RethrowsTheSameExceptionWithTheWorkerStack), thrown.StackTrace, StringComparison.Ordinal);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static int ThrowOnWorker() => throw new ArithmeticException("on the worker");

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static (Future<int> Future, WeakReference Captured) SubmitCapturing(Executor executor)
    {
        var payload = new byte[1000];
        return (executor.Submit(() => payload.Length), new WeakReference(payload));
    }
}
