using static Weft.Tests.Futures.TestFutures;

namespace Weft.Tests.Futures;

/// <summary>
/// What every <see cref="Executor"/> must do, run against each implementation (STYLE.md item 11).
/// Tasks are static lambdas or static methods with serializable arguments, and no test shares
/// memory with a task, so a process pool can run the same contract.
/// </summary>
public abstract class ExecutorContractTests
{
    /// <summary>Creates the executor under test; each test disposes it.</summary>
    protected abstract Executor CreateExecutor(int maxWorkers);

    /// <summary>Asserts that a task's exception came back as <typeparamref name="TExpected"/> with
    /// <paramref name="message"/>; a process pool may override this to accept its remote form.</summary>
    protected virtual void AssertTaskError<TExpected>(Exception? actual, string message)
        where TExpected : Exception
    {
        var error = Assert.IsType<TExpected>(actual);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Submit_Func_ReturnsItsResult()
    {
        using var executor = CreateExecutor(2);

        Assert.Equal(42, executor.Submit(static () => 42).Result(Long));
    }

    [Fact]
    public void Submit_Action_FinishesWithoutException()
    {
        using var executor = CreateExecutor(2);

        var future = executor.Submit(static () => { });

        future.Wait(Long);
        Assert.Equal(FutureState.Finished, future.State);
        Assert.Null(future.GetException(TimeSpan.Zero));
    }

    [Fact]
    public void Submit_OneArgument_PassesIt()
    {
        using var executor = CreateExecutor(2);

        Assert.Equal("x=21", executor.Submit(static (int x) => $"x={x}", 21).Result(Long));
    }

    [Fact]
    public void Submit_TwoArguments_PassesThemInOrder()
    {
        using var executor = CreateExecutor(2);

        Assert.Equal(256, executor.Submit(static (int x, int y) => (int)Math.Pow(x, y), 2, 8).Result(Long));
    }

    [Fact]
    public void Submit_CancellableFunc_GetsACancellableTokenNotYetCancelled()
    {
        using var executor = CreateExecutor(2);

        var future = executor.Submit(static (CancellationToken token) => (token.CanBeCanceled, token.IsCancellationRequested));

        Assert.Equal((true, false), future.Result(Long));
    }

    [Fact]
    public void Submit_NullFunction_ThrowsArgumentNull()
    {
        using var executor = CreateExecutor(1);

        Assert.Throws<ArgumentNullException>(() => executor.Submit((Func<int>)null!));
        Assert.Throws<ArgumentNullException>(() => executor.Submit((Action)null!));
        Assert.Throws<ArgumentNullException>(() => executor.Submit((Func<int, int>)null!, 1));
        Assert.Throws<ArgumentNullException>(() => executor.Submit((Func<int, int, int>)null!, 1, 2));
        Assert.Throws<ArgumentNullException>(() => executor.Submit((Func<CancellationToken, int>)null!));
    }

    [Fact]
    public void Submit_TaskThrows_ExceptionInFutureAndWorkerKeepsWorking()
    {
        using var executor = CreateExecutor(1);

        var failed = executor.Submit(static () => Fail("boom"));

        AssertTaskError<InvalidOperationException>(failed.GetException(Long), "boom");
        Assert.Equal(FutureState.Finished, failed.State);
        Assert.Equal(9, executor.Submit(static (int x, int y) => (int)Math.Pow(x, y), 3, 2).Result(Long));
    }

    [Fact]
    public void Submit_TaskThrows_ResultRethrowsIt()
    {
        using var executor = CreateExecutor(1);

        var failed = executor.Submit(static (int x) => 10 / x, 0);

        var thrown = Record.Exception(() => failed.Result(Long));
        AssertTaskError<DivideByZeroException>(thrown, new DivideByZeroException().Message);
    }

    [Fact]
    public async Task Await_ExecutorFuture_ReturnsResult()
    {
        await using var executor = CreateExecutor(2);

        Assert.Equal(42, await executor.Submit(static () => 42).AsTask().WaitAsync(Long));
        await executor.Submit(static () => { }).AsTask().WaitAsync(Long);
    }

    [Fact]
    public async Task Await_FailedExecutorFuture_ThrowsTheTaskException()
    {
        await using var executor = CreateExecutor(2);

        var thrown = await Record.ExceptionAsync(() => executor.Submit(static () => Fail("boom")).AsTask().WaitAsync(Long));
        AssertTaskError<InvalidOperationException>(thrown, "boom");
        thrown = await Record.ExceptionAsync(() => executor.Submit(static () => { _ = Fail("void boom"); }).AsTask().WaitAsync(Long));
        AssertTaskError<InvalidOperationException>(thrown, "void boom");
    }

    [Fact]
    public void Submit_AfterShutdown_ThrowsInvalidOperation()
    {
        var executor = CreateExecutor(1);
        executor.Shutdown();

        Assert.Throws<InvalidOperationException>(() => executor.Submit(static () => 1));
        Assert.Throws<InvalidOperationException>(() => executor.Submit(static () => { }));
        Assert.Throws<InvalidOperationException>(() => executor.Submit(static (int x) => x, 1));
        Assert.Throws<InvalidOperationException>(() => executor.Submit(static (int x, int y) => x + y, 1, 2));
        Assert.Throws<InvalidOperationException>(() => executor.Submit(static (CancellationToken _) => 1));
        Assert.Throws<InvalidOperationException>(() => executor.Map(static (int x) => x, [1, 2]));
    }

    [Fact]
    public void Submit_AfterDispose_ThrowsInvalidOperation()
    {
        var executor = CreateExecutor(1);
        executor.Dispose();

        Assert.Throws<InvalidOperationException>(() => executor.Submit(static () => 1));
    }

    [Fact]
    public async Task Submit_AfterDisposeAsync_ThrowsInvalidOperation()
    {
        var executor = CreateExecutor(1);
        await executor.DisposeAsync();

        Assert.Throws<InvalidOperationException>(() => executor.Submit(static () => 1));
    }

    [Fact]
    public void Dispose_WaitsForEveryAcceptedTask()
    {
        var executor = CreateExecutor(2);
        var futures = Enumerable.Range(0, 20).Select(i => executor.Submit(static (int x) => SlowSquare(x), i)).ToList();

        executor.Dispose();

        Assert.All(futures, f => Assert.True(f.IsDone));
        Assert.Equal(Enumerable.Range(0, 20).Select(x => x * x), futures.Select(f => f.Result(TimeSpan.Zero)));
    }

    [Fact]
    public async Task DisposeAsync_WaitsForEveryAcceptedTask()
    {
        var executor = CreateExecutor(2);
        var futures = Enumerable.Range(0, 20).Select(i => executor.Submit(static (int x) => SlowSquare(x), i)).ToList();

        await executor.DisposeAsync().AsTask().WaitAsync(Long);

        Assert.All(futures, f => Assert.True(f.IsDone));
        Assert.Equal(Enumerable.Range(0, 20).Select(x => x * x), futures.Select(f => f.Result(TimeSpan.Zero)));
    }

    [Fact]
    public void Shutdown_WaitFalse_AcceptedTasksStillComplete()
    {
        using var executor = CreateExecutor(2);
        var futures = Enumerable.Range(0, 10).Select(i => executor.Submit(static (int x) => SlowSquare(x), i)).ToList();

        executor.Shutdown(wait: false);

        Assert.Equal(Enumerable.Range(0, 10).Select(x => x * x), futures.Select(f => f.Result(Long)));
    }

    [Fact]
    public void Shutdown_CalledAgain_IsHarmless()
    {
        var executor = CreateExecutor(2);
        var future = executor.Submit(static () => 1);

        executor.Shutdown(wait: false);
        executor.Shutdown();
        executor.Shutdown(wait: true, cancelFutures: true);
        executor.Dispose();

        Assert.Equal(1, future.Result(TimeSpan.Zero));
    }

    [Fact]
    public void Shutdown_NothingSubmitted_ReturnsAtOnce()
    {
        var executor = CreateExecutor(3);

        Finish(Task.Run(() => executor.Shutdown(wait: true)));
    }

    [Fact]
    public void Map_ReturnsResultsInInputOrder()
    {
        using var executor = CreateExecutor(4);

        var results = executor.Map(static (int x) => x * x, Enumerable.Range(0, 100)).ToList();

        Assert.Equal(Enumerable.Range(0, 100).Select(x => x * x), results);
    }

    [Fact]
    public void Map_LaterItemsFinishFirst_StillInInputOrder()
    {
        using var executor = CreateExecutor(5);

        // Earlier items sleep longer, so they finish last; the outcome does not depend on the timing.
        var results = executor.Map(static (int x) => SleepThenReturn(x, (5 - x) * 20), Enumerable.Range(0, 5)).ToList();

        Assert.Equal([0, 1, 2, 3, 4], results);
    }

    [Fact]
    public void Map_EmptySource_YieldsNothing()
    {
        using var executor = CreateExecutor(2);

        Assert.Empty(executor.Map(static (int x) => x, []));
        Assert.Empty(executor.Map(static (int x) => x, [], bufferSize: 2));
    }

    [Fact]
    public void Map_InvalidArguments_Throw()
    {
        using var executor = CreateExecutor(2);

        Assert.Throws<ArgumentNullException>(() => executor.Map((Func<int, int>)null!, [1]));
        Assert.Throws<ArgumentNullException>(() => executor.Map(static (int x) => x, null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => executor.Map(static (int x) => x, [1], chunkSize: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => executor.Map(static (int x) => x, [1], chunkSize: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => executor.Map(static (int x) => x, [1], bufferSize: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => executor.Map(static (int x) => x, [1], bufferSize: -1));
    }

    [Fact]
    public void Map_TaskThrows_EarlierResultsThenTheExceptionThenTheEnd()
    {
        using var executor = CreateExecutor(2);

        using var results = executor.Map(static (int x) => 12 / x, [1, 2, 0, 3]).GetEnumerator();

        Assert.True(results.MoveNext());
        Assert.Equal(12, results.Current);
        Assert.True(results.MoveNext());
        Assert.Equal(6, results.Current);
        AssertTaskError<DivideByZeroException>(Record.Exception(() => results.MoveNext()), new DivideByZeroException().Message);
        Assert.False(results.MoveNext());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(50)]
    [InlineData(500)]
    public void Map_ChunkSize_SameResultsAsSequential(int chunkSize)
    {
        using var executor = CreateExecutor(3);

        var results = executor.Map(static (int x) => x * 3, Enumerable.Range(0, 200), chunkSize: chunkSize).ToList();

        Assert.Equal(Enumerable.Range(0, 200).Select(x => x * 3), results);
    }

    [Fact]
    public void Map_ChunkSize_FailureFailsItsWholeChunk()
    {
        using var executor = CreateExecutor(2);

        // Python's map(divmod, [5]*4, [2, 0, 3, 5], chunksize=3): item 0's result is lost with its chunk.
        using var results = executor.Map(static (int x) => 5 / x, [2, 0, 3, 5], chunkSize: 3).GetEnumerator();

        AssertTaskError<DivideByZeroException>(Record.Exception(() => results.MoveNext()), new DivideByZeroException().Message);
        Assert.False(results.MoveNext());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void Map_BufferSize_PreservesInputOrder(int bufferSize)
    {
        using var executor = CreateExecutor(4);

        var results = executor.Map(static (int x) => x + 1, Enumerable.Range(0, 100), bufferSize: bufferSize).ToList();

        Assert.Equal(Enumerable.Range(1, 100), results);
    }

    [Fact]
    public void Map_BufferSizeWithChunkSize_PreservesInputOrder()
    {
        using var executor = CreateExecutor(3);

        var results = executor.Map(static (int x) => -x, Enumerable.Range(0, 101), chunkSize: 4, bufferSize: 2).ToList();

        Assert.Equal(Enumerable.Range(0, 101).Select(x => -x), results);
    }

    [Fact]
    public void Map_BufferSizeOnEndlessSource_ReadsTheSourceOnlyAsResultsAreConsumed()
    {
        using var executor = CreateExecutor(4);
        var source = new CountingSource(int.MaxValue);
        const int BufferSize = 8;

        var consumed = new List<int>();
        foreach (var result in executor.Map(static (int x) => x * 2, source, bufferSize: BufferSize))
        {
            consumed.Add(result);

            // CPython 3.14 tops the window up before waiting, so the awaited item comes on top of bufferSize.
            Assert.InRange(source.Taken - consumed.Count, 0, BufferSize + 1);
            if (consumed.Count == 1000)
            {
                break;
            }
        }

        Assert.Equal(Enumerable.Range(0, 1000).Select(x => x * 2), consumed);
        Assert.True(source.Disposed, "leaving the loop must dispose the source enumerator");
    }

    [Fact]
    public void Map_BufferSizeNeverIterated_ReadsExactlyBufferSizeItems()
    {
        var source = new CountingSource(4);
        var executor = CreateExecutor(2);

        _ = executor.Map(static (int x) => x.ToString(System.Globalization.CultureInfo.InvariantCulture), source, bufferSize: 2);
        executor.Shutdown(wait: true);

        Assert.Equal(2, source.Taken);
    }

    [Fact]
    public void Map_NoBufferSize_ReadsTheWholeSourceBeforeReturning()
    {
        using var executor = CreateExecutor(2);
        var source = new CountingSource(10);

        var results = executor.Map(static (int x) => x, source);

        Assert.Equal(10, source.Taken);
        Assert.True(source.Disposed);
        Assert.Equal(Enumerable.Range(0, 10), results);
    }

    [Fact]
    public void Map_ThenShutdownAtOnce_DoesNotHang()
    {
        var executor = CreateExecutor(2);

        var results = executor.Map(static (int x) => x * x, Enumerable.Range(0, 10));
        Finish(Task.Run(() => executor.Shutdown()));

        Assert.Equal(Enumerable.Range(0, 10).Select(x => x * x), results);
    }

    [Fact]
    public void Submit_ManyTasksFromManyThreads_AllComplete()
    {
        using var executor = CreateExecutor(4);

        var futures = Finish(Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
            Enumerable.Range(t * 1000, 1000).Select(i => executor.Submit(static (int x) => x + 1, i)).ToList()))));

        var results = futures.SelectMany(list => list).Select(f => f.Result(Long)).Order();
        Assert.Equal(Enumerable.Range(1, 4000), results);
    }

    private static int Fail(string message) => throw new InvalidOperationException(message);

    private static int SlowSquare(int x)
    {
        Thread.Sleep(1);
        return x * x;
    }

    private static int SleepThenReturn(int value, int milliseconds)
    {
        Thread.Sleep(milliseconds);
        return value;
    }

    /// <summary>0, 1, 2, ... up to <c>count</c> items, counting how many were taken; read on the test's own thread.</summary>
    private sealed class CountingSource(int count) : IEnumerable<int>
    {
        private int _taken;

        public int Taken => Volatile.Read(ref _taken);

        public bool Disposed { get; private set; }

        public IEnumerator<int> GetEnumerator()
        {
            try
            {
                for (var i = 0; i < count; i++)
                {
                    Interlocked.Increment(ref _taken);
                    yield return i;
                }
            }
            finally
            {
                Disposed = true;
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
