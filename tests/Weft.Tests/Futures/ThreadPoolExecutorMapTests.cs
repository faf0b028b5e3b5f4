using System.Collections.Concurrent;
using System.Diagnostics;
using static Weft.Tests.Futures.TestFutures;

namespace Weft.Tests.Futures;

/// <summary>Map with gated tasks: timeouts, early exit and what gets cancelled (checklist M3, M5-M9).</summary>
public sealed class ThreadPoolExecutorMapTests
{
    [Fact]
    public void Map_NeverIterated_EveryItemStillRuns()
    {
        var executed = new ConcurrentBag<int>();
        var executor = new ThreadPoolExecutor(2);

        _ = executor.Map(x =>
        {
            executed.Add(x);
            return x;
        }, Enumerable.Range(0, 10));
        executor.Shutdown(wait: true);

        Assert.Equal(Enumerable.Range(0, 10), executed.Order());
    }

    [Fact]
    public void Map_TaskThrows_IterationEndsAndItemsNotStartedAreCancelled()
    {
        using var gate = new ManualResetEventSlim();
        var executed = new ConcurrentQueue<int>();
        var executor = new ThreadPoolExecutor(1);

        using (var results = executor.Map(x =>
        {
            executed.Enqueue(x);
            if (x == 1)
            {
                throw new FormatException("item 1");
            }

            if (x == 2)
            {
                gate.WaitOrFail();
            }

            return x;
        }, Enumerable.Range(0, 5)).GetEnumerator())
        {
            Assert.True(results.MoveNext());
            Assert.Equal(0, results.Current);
            Assert.Equal("item 1", Assert.Throws<FormatException>(() => results.MoveNext()).Message);
            Assert.False(results.MoveNext());
        }

        gate.Set();
        executor.Shutdown(wait: true);
        Assert.DoesNotContain(3, executed);
        Assert.DoesNotContain(4, executed);
    }

    [Fact]
    public void Map_TimeoutWhileItemsBlocked_ThrowsTimeoutAndThenTheIteratorIsFinished()
    {
        using var gate = new ManualResetEventSlim();
        var executor = new ThreadPoolExecutor(2);

        using (var results = executor.Map(x =>
        {
            if (x == 2)
            {
                gate.WaitOrFail();
            }

            return x;
        }, [0, 1, 2], timeout: TimeSpan.FromMilliseconds(200)).GetEnumerator())
        {
            Assert.True(results.MoveNext());
            Assert.Equal(0, results.Current);
            Assert.True(results.MoveNext());
            Assert.Equal(1, results.Current);
            Assert.Throws<TimeoutException>(() => results.MoveNext());
            Assert.False(results.MoveNext());
        }

        gate.Set();
        executor.Shutdown(wait: true);
    }

    [Fact]
    public void Map_Timeout_CancelsTheAwaitedItemAndEveryRemainingOne()
    {
        using var gate = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        var log = new ConcurrentQueue<string>();
        var executor = new ThreadPoolExecutor(1);
        executor.Submit(() =>
        {
            log.Enqueue("first started");
            started.Set();
            gate.WaitOrFail();
            log.Enqueue("first stopped");
        });
        started.WaitOrFail();

        var results = executor.Map(name =>
        {
            log.Enqueue($"{name} started");
            return name;
        }, ["second", "third"], timeout: TimeSpan.Zero);

        Assert.Throws<TimeoutException>(() => results.ToList());
        gate.Set();
        executor.Shutdown(wait: true);
        Assert.Equal(["first started", "first stopped"], log);
    }

    [Fact]
    public void Map_Timeout_IsMeasuredFromTheMapCallNotFromIteration()
    {
        using var gate = new ManualResetEventSlim();
        var executor = new ThreadPoolExecutor(1);
        var timeout = TimeSpan.FromSeconds(1.5);

        var results = executor.Map(x =>
        {
            gate.WaitOrFail();
            return x;
        }, [1], timeout: timeout);

        // Sleeping here only guarantees that the deadline has passed; the assertion below does not race it.
        Thread.Sleep(timeout + TimeSpan.FromMilliseconds(100));
        var stopwatch = Stopwatch.StartNew();
        Assert.Throws<TimeoutException>(() => results.ToList());

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"the deadline had passed, so MoveNext should have thrown at once, not after {stopwatch.Elapsed}");
        gate.Set();
        executor.Shutdown(wait: true);
    }

    [Fact]
    public void Map_ItemAlreadyDoneAfterDeadline_IsStillYielded()
    {
        using var executor = new ThreadPoolExecutor(1);

        var results = executor.Map(static x => x, [7], timeout: TimeSpan.FromMilliseconds(1));
        executor.Shutdown(wait: true);

        Assert.Equal([7], results);
    }

    [Fact]
    public void Map_StartedIteratorDisposedEarly_CancelsItemsNotStarted()
    {
        using var gate = new ManualResetEventSlim();
        using var oneStarted = new ManualResetEventSlim();
        var executed = new ConcurrentQueue<int>();
        var executor = new ThreadPoolExecutor(1);

        using (var results = executor.Map(x =>
        {
            executed.Enqueue(x);
            if (x == 1)
            {
                oneStarted.Set();
                gate.WaitOrFail();
            }

            return x;
        }, Enumerable.Range(0, 4)).GetEnumerator())
        {
            Assert.True(results.MoveNext());
            Assert.Equal(0, results.Current);
            oneStarted.WaitOrFail();
        }

        gate.Set();
        executor.Shutdown(wait: true);
        Assert.Equal([0, 1], executed.Take(2));
        Assert.DoesNotContain(2, executed);
        Assert.DoesNotContain(3, executed);
    }

    [Fact]
    public void Map_BreakOutOfForeach_CancelsItemsNotStarted()
    {
        using var gate = new ManualResetEventSlim();
        using var oneStarted = new ManualResetEventSlim();
        var executed = new ConcurrentQueue<int>();
        var executor = new ThreadPoolExecutor(1);

        foreach (var result in executor.Map(x =>
        {
            executed.Enqueue(x);
            if (x == 1)
            {
                oneStarted.Set();
                gate.WaitOrFail();
            }

            return x;
        }, Enumerable.Range(0, 6), bufferSize: 3))
        {
            Assert.Equal(0, result);
            oneStarted.WaitOrFail();
            break;
        }

        gate.Set();
        executor.Shutdown(wait: true);
        Assert.Equal([0, 1], executed);
    }

    [Fact]
    public void Map_BufferSize_AtMostBufferSizePlusTheAwaitedItemSubmittedAhead()
    {
        using var gate = new ManualResetEventSlim();
        var taken = 0;
        IEnumerable<int> Source()
        {
            for (var i = 0; ; i++)
            {
                Interlocked.Increment(ref taken);
                yield return i;
            }
        }

        var executor = new ThreadPoolExecutor(2);
        var results = executor.Map(x =>
        {
            gate.WaitOrFail();
            return x;
        }, Source(), bufferSize: 3);
        Assert.Equal(3, Volatile.Read(ref taken));

        using var iterator = results.GetEnumerator();
        var first = Task.Run(() => iterator.MoveNext());
        TestFutures.WaitUntil(() => Volatile.Read(ref taken) == 4, "the first MoveNext topped the window up");
        AssertNotCompleted(first);
        Assert.Equal(4, Volatile.Read(ref taken));
        gate.Set();
        Assert.True(Finish(first));
        Assert.Equal(0, iterator.Current);
        Assert.Equal(4, Volatile.Read(ref taken));
        iterator.Dispose();
        executor.Shutdown(wait: true);
    }

    [Fact]
    public void Map_SourceThrowsWhileToppingUpTheBuffer_EveryItemNotStartedIsCancelled()
    {
        using var gate = new ManualResetEventSlim();
        var executed = new ConcurrentQueue<int>();
        IEnumerable<int> Source()
        {
            yield return 0;
            yield return 1;
            throw new FormatException("bad input");
        }

        var executor = new ThreadPoolExecutor(1);
        executor.Occupy(gate);

        var results = executor.Map(x =>
        {
            executed.Enqueue(x);
            return x;
        }, Source(), bufferSize: 2);

        Assert.Equal("bad input", Assert.Throws<FormatException>(() => results.ToList()).Message);
        gate.Set();
        executor.Shutdown(wait: true);
        Assert.Empty(executed);
    }

    [Fact]
    public void Map_NoTimeout_WaitsForBlockedItems()
    {
        using var gate = new ManualResetEventSlim();
        using var executor = new ThreadPoolExecutor(2);
        var results = executor.Map(x =>
        {
            gate.WaitOrFail();
            return x;
        }, [1, 2]);

        var listing = Task.Run(() => results.ToList());
        AssertNotCompleted(listing);
        gate.Set();

        Assert.Equal([1, 2], Finish(listing));
    }
}
