using System.Collections.Concurrent;
using static Weft.Tests.Futures.TestFutures;

namespace Weft.Tests.Futures;

/// <summary>Issue 18, "one way to subclass Executor": a subclass overrides <c>Schedule</c> only, and the base class
/// owns the lifecycle (shut-down and broken checks, the stopped signal, the self-join guard) for every executor.</summary>
public sealed class ExecutorSubclassTests
{
    [Fact]
    public void Schedule_EveryForm_SeesTheUsersDelegateAndTypedArguments()
    {
        using var executor = new RecordingExecutor();
        Func<int> func0 = static () => 1;
        Action action = static () => { };
        Func<int, string> func1 = static x => x.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Func<int, long, long> func2 = static (x, y) => x + y;
        Func<CancellationToken, int> cancellable = static _ => 4;

        executor.Submit(func0);
        executor.Submit(action);
        executor.Submit(func1, 7);
        executor.Submit(func2, 2, 3L);
        executor.Submit(cancellable);
        _ = executor.Map(func1, [5, 6, 7], chunkSize: 2);

        Assert.Equal(
            [
                $"Func0 {func0.Method.Name} -> Int32",
                $"Action {action.Method.Name}",
                $"Func1 {func1.Method.Name}(Int32 7) -> String",
                $"Func2 {func2.Method.Name}(Int32 2, Int64 3) -> Int64",
                $"Cancellable {cancellable.Method.Name} -> Int32",
                $"Chunk {func1.Method.Name}(Int32[] 5,6) -> String[]",
                $"Chunk {func1.Method.Name}(Int32[] 7) -> String[]",
            ],
            executor.Calls.Select(c => c.Text));
        Assert.All(executor.Calls, c => Assert.Same(c.Function, c.VisitedFunction));
        executor.CompleteAll();
    }

    [Fact]
    public void Submit_AfterShutdown_ThrowsWithoutCallingSchedule()
    {
        var executor = new RecordingExecutor();
        executor.Shutdown(wait: false);

        var error = Assert.Throws<InvalidOperationException>(() => executor.Submit(static () => 1));

        Assert.Equal("cannot schedule new futures after shutdown", error.Message);
        Assert.Empty(executor.Calls);
        Assert.Equal(1, executor.BeginShutdownCalls);
    }

    [Fact]
    public void Submit_BrokenAndShutDown_ThrowsANewBrokenExceptionEachTime()
    {
        var executor = new RecordingExecutor();
        var cause = new BrokenExecutorException("the backend went away");
        Assert.True(executor.Break(cause));
        Assert.False(executor.Break(new BrokenExecutorException("second")));
        executor.Shutdown(wait: false);

        var first = Assert.Throws<BrokenExecutorException>(() => executor.Submit(static () => 1));
        var second = Assert.Throws<BrokenExecutorException>(() => executor.Submit(static () => 1));

        Assert.Equal("the backend went away", first.Message);
        Assert.Same(cause, first.InnerException);
        Assert.NotSame(first, second);
        Assert.Empty(executor.Calls);
    }

    [Fact]
    public async Task Dispose_WaitsForSignalStopped()
    {
        var executor = new RecordingExecutor();
        var future = executor.Submit(static () => 1);
        var disposed = Task.Run(executor.Dispose);
        Assert.True(SpinWait.SpinUntil(() => executor.BeginShutdownCalls == 1, Long));

        await Task.WhenAny(disposed, Task.Delay(Short));
        Assert.False(disposed.IsCompleted);
        executor.CompleteAll();

        await disposed.WaitAsync(Long);
        Assert.True(future.IsDone);
    }

    [Fact]
    public async Task ShutdownWait_FromADoneCallbackOnTheCompletingThread_ThrowsInsteadOfHanging()
    {
        var executor = new RecordingExecutor();
        var future = executor.Submit(static () => 1);
        Exception? shutdownError = null;
        Exception? disposeAsyncError = null;
        future.AddDoneCallback(_ =>
        {
            shutdownError = Record.Exception(() => executor.Shutdown(wait: true));
            disposeAsyncError = Record.Exception(() => executor.DisposeAsync());
        });

        executor.CompleteAll();   // runs the callback here, through SetResult

        Assert.IsType<InvalidOperationException>(shutdownError);
        Assert.IsType<InvalidOperationException>(disposeAsyncError);
        await executor.DisposeAsync().AsTask().WaitAsync(Long);
    }

    [Fact]
    public void SetRunning_DropsTheCallSoTheFutureKeepsNoArguments()
    {
        using var executor = new RecordingExecutor();
        var weak = SubmitWithLargeArgument(executor);

        executor.StartAll();
        GC.Collect();
        GC.WaitForPendingFinalizers();

        Assert.False(weak.TryGetTarget(out _), "the future still holds its argument after SetRunning");
        executor.CompleteAll();
    }

    private static WeakReference<byte[]> SubmitWithLargeArgument(RecordingExecutor executor)
    {
        var argument = new byte[1 << 20];
        executor.Submit(static (byte[] a) => a.Length, argument);
        return new WeakReference<byte[]>(argument);
    }

    /// <summary>A "remote" executor: Schedule reads the call through the visitor and keeps it; the test completes it.</summary>
    private sealed class RecordingExecutor() : Executor("RecordingExecutor")
    {
        private readonly ConcurrentQueue<Recorded> _pending = new();

        public List<Recorded> Calls { get; } = [];

        private int _beginShutdownCalls;

        public int BeginShutdownCalls => Volatile.Read(ref _beginShutdownCalls);

        protected internal override int PendingCount => _pending.Count;

        protected internal override int BusyWorkerCount => 0;

        public bool Break(BrokenExecutorException error) => SetBroken(error);

        public void StartAll()
        {
            foreach (var call in _pending)
            {
                SetRunning(call.Future);
            }
        }

        /// <summary>Finishes every pending call with a default result, then reports the executor stopped if shut down.</summary>
        public void CompleteAll()
        {
            while (_pending.TryDequeue(out var call))
            {
                if (call.Future.State == FutureState.Pending)
                {
                    SetRunning(call.Future);
                }

                call.Complete(this);
            }

            if (IsShutdown)
            {
                SignalStopped();
            }
        }

        internal bool Finish<T>(Future<T> future, T value) => SetResult(future, value);

        internal bool Finish(Future future) => SetResult(future);

        protected override void Schedule(Future future, TaskCall call)
        {
            var recorded = call.Accept(new Recorder(future, call.Shape, call.Function));
            Calls.Add(recorded);
            _pending.Enqueue(recorded);
        }

        protected override void BeginShutdown(bool cancelFutures)
        {
            Interlocked.Increment(ref _beginShutdownCalls);
            if (_pending.IsEmpty)
            {
                SignalStopped();
            }
        }
    }

    private sealed record Recorded(Future Future, string Text, Delegate Function, Delegate VisitedFunction, Action<RecordingExecutor> Complete);

    private sealed class Recorder(Future future, TaskCallShape shape, Delegate function) : ITaskCallVisitor<Recorded>
    {
        public Recorded VisitFunc<TResult>(Future<TResult> typed, Func<TResult> fn) =>
            Make($"{shape} {fn.Method.Name} -> {typeof(TResult).Name}", fn, e => e.Finish(typed, default!));

        public Recorded VisitAction(Future untyped, Action fn) =>
            Make($"{shape} {fn.Method.Name}", fn, e => e.Finish(untyped));

        public Recorded VisitFunc<TArg, TResult>(Future<TResult> typed, Func<TArg, TResult> fn, TArg arg) =>
            Make($"{shape} {fn.Method.Name}({typeof(TArg).Name} {arg}) -> {typeof(TResult).Name}", fn, e => e.Finish(typed, default!));

        public Recorded VisitFunc<T1, T2, TResult>(Future<TResult> typed, Func<T1, T2, TResult> fn, T1 arg1, T2 arg2) =>
            Make($"{shape} {fn.Method.Name}({typeof(T1).Name} {arg1}, {typeof(T2).Name} {arg2}) -> {typeof(TResult).Name}", fn, e => e.Finish(typed, default!));

        public Recorded VisitCancellable<TResult>(Future<TResult> typed, Func<CancellationToken, TResult> fn) =>
            Make($"{shape} {fn.Method.Name} -> {typeof(TResult).Name}", fn, e => e.Finish(typed, default!));

        public Recorded VisitChunk<TSource, TResult>(Future<TResult[]> typed, Func<TSource, TResult> fn, TSource[] items) =>
            Make($"{shape} {fn.Method.Name}({typeof(TSource[]).Name} {string.Join(",", items)}) -> {typeof(TResult[]).Name}", fn, e => e.Finish(typed, []));

        private Recorded Make(string text, Delegate visited, Action<RecordingExecutor> complete) =>
            new(future, text, function, visited, complete);
    }
}
