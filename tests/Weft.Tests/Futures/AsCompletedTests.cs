using System.Diagnostics;
using static Weft.Tests.Futures.TestFutures;

namespace Weft.Tests.Futures;

/// <summary>Weft.Futures.AsCompleted and AsCompletedAsync (checklist A1-A9).</summary>
public sealed class AsCompletedTests
{
    [Fact]
    public void AsCompleted_NoTimeout_YieldsEveryFutureOnceWhenComplete()
    {
        using var executor = new ThreadPoolExecutor(2);
        var done = Succeeded(1);
        var failed = Failed(new IOException());
        var cancelled = Cancelled();
        var submitted1 = executor.Submit(static () => 2);
        var submitted2 = executor.Submit(static () => 3);
        Future[] all = [done, failed, cancelled, submitted1, submitted2];

        var yielded = Weft.Futures.AsCompleted(all, Long).ToList();

        Assert.Equal(5, yielded.Count);
        Assert.Equal(all.ToHashSet(), yielded.ToHashSet());
        Assert.All(yielded, f => Assert.True(f.IsDone));
    }

    [Fact]
    public void AsCompleted_AlreadyDoneFirst_ThenInCompletionOrder()
    {
        var slow = Running();
        var fast = Running();
        var done = Succeeded(1);
        var cancelled = Cancelled();

        using var iterator = Weft.Futures.AsCompleted([slow, fast, done, cancelled, done, fast], Long).GetEnumerator();
        Assert.True(iterator.MoveNext());
        var first = iterator.Current;
        Assert.True(iterator.MoveNext());
        var second = iterator.Current;
        Assert.Equal(new HashSet<Future<int>> { done, cancelled }, [first, second]);

        var third = Task.Run(() => iterator.MoveNext() ? iterator.Current : null);
        AssertNotCompleted(third);
        fast.TrySetResult(2);
        Assert.Same(fast, Finish(third));

        slow.TrySetResult(3);
        Assert.True(iterator.MoveNext());
        Assert.Same(slow, iterator.Current);
        Assert.False(iterator.MoveNext());
    }

    [Fact]
    public void AsCompleted_DuplicatesFromAnyEnumerable_YieldedOnce()
    {
        var future = Succeeded(1);

        Assert.Equal([future], Weft.Futures.AsCompleted(Enumerable.Repeat(future, 3)));
    }

    [Fact]
    public void AsCompleted_PendingDuplicates_YieldedOnceWhenTheyComplete()
    {
        var future = Running();
        var completer = Task.Run(() => future.TrySetResult(1));

        Assert.Equal([future], Weft.Futures.AsCompleted([future, future, future], Long));
        Finish(completer);
    }

    [Fact]
    public void AsCompleted_ZeroTimeout_YieldsTheDoneOnesThenThrowsTimeout()
    {
        var running = Running();
        Future<int>[] finished = [Succeeded(1), Failed(new IOException()), Cancelled()];

        var yielded = new List<Future<int>>();
        var error = Assert.Throws<TimeoutException>(() =>
        {
            foreach (var future in Weft.Futures.AsCompleted([.. finished, running], TimeSpan.Zero))
            {
                yielded.Add(future);
            }
        });

        Assert.Equal(finished.ToHashSet(), yielded.ToHashSet());
        Assert.Equal("1 (of 4) futures unfinished", error.Message);
    }

    [Fact]
    public void AsCompleted_ShortTimeoutWithBlockedFutures_MessageCountsUnfinished()
    {
        Future<int>[] futures = [Cancelled(), Pending(), Running(), Succeeded(1)];

        var error = Assert.Throws<TimeoutException>(() => Weft.Futures.AsCompleted(futures, Short).ToList());

        Assert.Equal("2 (of 4) futures unfinished", error.Message);
    }

    [Fact]
    public void AsCompleted_CancelledFuture_CountsAsCompleteAtOnce()
    {
        // Deliberate difference from CPython (see Future's remarks): no CANCELLED_AND_NOTIFIED step.
        var cancelled = Cancelled();

        Assert.Equal([cancelled], Weft.Futures.AsCompleted([cancelled], TimeSpan.Zero));
    }

    [Fact]
    public void AsCompleted_FutureCancelledWhileWaiting_IsYielded()
    {
        var pending = Pending();
        using var iterator = Weft.Futures.AsCompleted([pending], Long).GetEnumerator();
        var next = Task.Run(iterator.MoveNext);
        AssertNotCompleted(next);

        pending.Cancel();

        Assert.True(Finish(next));
        Assert.Same(pending, iterator.Current);
    }

    [Fact]
    public void AsCompleted_DeadlineStartsAtFirstMoveNextNotAtTheCall()
    {
        var future = Running();
        var timeout = TimeSpan.FromSeconds(1);
        var sequence = Weft.Futures.AsCompleted([future], timeout);
        Thread.Sleep(timeout + TimeSpan.FromMilliseconds(100));

        using var iterator = sequence.GetEnumerator();
        var next = Task.Run(iterator.MoveNext);
        future.TrySetResult(1);

        Assert.True(Finish(next));
        Assert.Same(future, iterator.Current);
    }

    [Fact]
    public void AsCompleted_IteratorAbandoned_LaterCompletionsAreHarmless()
    {
        var done = Succeeded(1);
        var pending = Running();
        using (var iterator = Weft.Futures.AsCompleted([done, pending], Long).GetEnumerator())
        {
            Assert.True(iterator.MoveNext());
            Assert.Same(done, iterator.Current);
        }

        Assert.True(pending.TrySetResult(2));
        Assert.Equal(2, pending.Result(TimeSpan.Zero));
        Assert.Equal([pending], Weft.Futures.AsCompleted([pending], TimeSpan.Zero));
    }

    [Fact]
    public void AsCompleted_Empty_YieldsNothing()
    {
        Assert.Empty(Weft.Futures.AsCompleted(Array.Empty<Future>()));
        Assert.Empty(Weft.Futures.AsCompleted(Array.Empty<Future>(), TimeSpan.Zero));
    }

    [Fact]
    public void AsCompleted_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => Weft.Futures.AsCompleted<Future>(null!));
        Assert.Throws<ArgumentNullException>(() => Weft.Futures.AsCompletedAsync<Future>(null!));
    }

    [Fact]
    public void AsCompleted_ManyFuturesCompletingConcurrently_EachYieldedOnce()
    {
        using var executor = new ThreadPoolExecutor(4);
        using var gate = new ManualResetEventSlim();
        var futures = Enumerable.Range(0, 500).Select(i => executor.Submit(() =>
        {
            gate.WaitOrFail();
            return i;
        })).ToList();

        var collecting = Task.Run(() => Weft.Futures.AsCompleted(futures, Long).Select(f => f.Result(TimeSpan.Zero)).ToList());
        gate.Set();

        Assert.Equal(Enumerable.Range(0, 500), Finish(collecting).Order());
    }

    [Fact]
    public async Task AsCompletedAsync_AlreadyDoneFirstThenInCompletionOrder()
    {
        var slow = Running();
        var fast = Running();
        var done = Succeeded(1);
        var cancelled = Cancelled();

        await using var iterator = Weft.Futures.AsCompletedAsync([slow, fast, done, done, cancelled]).GetAsyncEnumerator();
        Assert.True(await iterator.MoveNextAsync());
        var first = iterator.Current;
        Assert.True(await iterator.MoveNextAsync());
        Assert.Equal(new HashSet<Future<int>> { done, cancelled }, [first, iterator.Current]);

        var third = iterator.MoveNextAsync().AsTask();
        Assert.False(third.IsCompleted, "waiting for the next future must not complete (or block) synchronously");
        fast.TrySetResult(2);
        Assert.True(await third.WaitAsync(Long));
        Assert.Same(fast, iterator.Current);

        slow.TrySetException(new IOException());
        Assert.True(await iterator.MoveNextAsync().AsTask().WaitAsync(Long));
        Assert.Same(slow, iterator.Current);
        Assert.False(await iterator.MoveNextAsync());
    }

    [Fact]
    public async Task AsCompletedAsync_Cancelled_ThrowsOperationCanceledAndLeavesFuturesAlone()
    {
        var future = Running();
        using var cancellation = new CancellationTokenSource();

        await using var iterator = Weft.Futures.AsCompletedAsync([future], cancellation.Token).GetAsyncEnumerator();
        var next = iterator.MoveNextAsync().AsTask();
        Assert.False(next.IsCompleted);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.WaitAsync(Long));
        Assert.Equal(FutureState.Running, future.State);
    }

    [Fact]
    public async Task AsCompletedAsync_WithExecutor_YieldsEveryResult()
    {
        await using var executor = new ThreadPoolExecutor(3);
        var futures = Enumerable.Range(0, 50).Select(i => executor.Submit(static x => x * 2, i)).ToList();

        var results = new List<int>();
        await foreach (var future in Weft.Futures.AsCompletedAsync(futures).WithCancellation(new CancellationTokenSource(Long).Token))
        {
            results.Add(future.Result(TimeSpan.Zero));
        }

        Assert.Equal(Enumerable.Range(0, 50).Select(x => x * 2), results.Order());
    }

    [Fact]
    public async Task AsCompletedAsync_Empty_YieldsNothing()
    {
        await foreach (var future in Weft.Futures.AsCompletedAsync(Array.Empty<Future>()))
        {
            Assert.Fail($"yielded {future}");
        }
    }

    [Fact]
    public void AsCompleted_TimeoutMessage_RemainingCountShrinksAsFuturesComplete()
    {
        var a = Running();
        var b = Running();
        var stopwatch = Stopwatch.StartNew();
        using var iterator = Weft.Futures.AsCompleted([a, b], TimeSpan.FromMilliseconds(500)).GetEnumerator();
        var next = Task.Run(iterator.MoveNext);
        a.TrySetResult(1);
        Assert.True(Finish(next));
        Assert.Same(a, iterator.Current);

        // b never completes: the rest of the 500 ms goes by and the message names the one left.
        var error = Assert.Throws<TimeoutException>(() => iterator.MoveNext());
        Assert.Equal("1 (of 2) futures unfinished", error.Message);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(400));
    }
}
