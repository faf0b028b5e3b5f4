using static Weft.Tests.Futures.TestFutures;

namespace Weft.Tests.Futures;

/// <summary>Weft.Futures.Wait with every ReturnWhen mode (checklist W1-W11).</summary>
public sealed class WaitTests
{
    [Fact]
    public void Wait_Duplicates_CountedOnce()
    {
        var future = Succeeded(1);

        var result = Weft.Futures.Wait([future, future]);

        Assert.Equal([future], result.Done);
        Assert.Empty(result.NotDone);
    }

    [Fact]
    public void Wait_Empty_ReturnsTwoEmptySets()
    {
        var result = Weft.Futures.Wait(Array.Empty<Future>(), TimeSpan.Zero);

        Assert.Empty(result.Done);
        Assert.Empty(result.NotDone);
    }

    [Fact]
    public void Wait_FirstCompleted_ReturnsAtTheFirstCompletion()
    {
        var first = Running();
        var blocked = Running();
        var waiting = Task.Run(() => Weft.Futures.Wait([first, blocked], Long, ReturnWhen.FirstCompleted));
        AssertNotCompleted(waiting);

        first.TrySetResult(1);

        var result = Finish(waiting);
        Assert.Equal([first], result.Done);
        Assert.Equal([blocked], result.NotDone);
    }

    [Fact]
    public void Wait_FirstCompleted_CancelledFutureIsDoneAtOnce()
    {
        // CPython returns a cancelled-but-not-notified future in not_done (W3); Weft has no such step.
        var cancelled = Cancelled();
        var blocked = Running();

        var result = Weft.Futures.Wait([cancelled, blocked], Long, ReturnWhen.FirstCompleted);

        Assert.Equal([cancelled], result.Done);
        Assert.Equal([blocked], result.NotDone);
    }

    [Fact]
    public void Wait_FirstCompleted_SomeAlreadyComplete_ReturnsAtOnce()
    {
        var succeeded = Succeeded(1);
        var cancelled = Cancelled();
        var blocked = Running();

        var result = Weft.Futures.Wait([succeeded, cancelled, blocked], Long, ReturnWhen.FirstCompleted);

        Assert.Equal(new HashSet<Future<int>> { succeeded, cancelled }, result.Done);
        Assert.Equal([blocked], result.NotDone);
    }

    [Fact]
    public void Wait_FirstCompleted_FutureCancelledWhileWaiting_Returns()
    {
        var pending = Pending();
        var blocked = Running();
        var waiting = Task.Run(() => Weft.Futures.Wait([pending, blocked], Long, ReturnWhen.FirstCompleted));
        AssertNotCompleted(waiting);

        pending.Cancel();

        Assert.Equal([pending], Finish(waiting).Done);
    }

    [Fact]
    public void Wait_FirstException_ReturnsWhenAFutureFails()
    {
        var succeeded = Succeeded(1);
        var failing = Running();
        var blocked = Running();
        var waiting = Task.Run(() => Weft.Futures.Wait([succeeded, failing, blocked], Long, ReturnWhen.FirstException));
        AssertNotCompleted(waiting);

        failing.TrySetException(new IOException());

        var result = Finish(waiting);
        Assert.Equal(new HashSet<Future<int>> { succeeded, failing }, result.Done);
        Assert.Equal([blocked], result.NotDone);
    }

    [Fact]
    public void Wait_FirstException_SuccessesAndCancellationsDoNotEndTheWait()
    {
        var succeeding = Running();
        var cancelling = Pending();
        var blocked = Running();
        var waiting = Task.Run(() => Weft.Futures.Wait([succeeding, cancelling, blocked], Long, ReturnWhen.FirstException));

        succeeding.TrySetResult(1);
        cancelling.Cancel();
        AssertNotCompleted(waiting);
        blocked.TrySetResult(2);

        var result = Finish(waiting);
        Assert.Equal(3, result.Done.Count);
        Assert.Empty(result.NotDone);
    }

    [Fact]
    public void Wait_FirstException_OneAlreadyFailed_ReturnsAtOnce()
    {
        var failed = Failed(new IOException());
        var blocked = Running();

        var result = Weft.Futures.Wait([failed, blocked], Long, ReturnWhen.FirstException);

        Assert.Equal([failed], result.Done);
        Assert.Equal([blocked], result.NotDone);
    }

    [Fact]
    public void Wait_FirstException_SomeAlreadyComplete_ReturnsAtOnceWithAllDoneOnes()
    {
        using var executor = new ThreadPoolExecutor(1);
        var succeeded = Succeeded(1);
        var cancelled = Cancelled();
        var divideByZero = executor.Submit(static x => 1 / x, 0);
        divideByZero.Wait(Long);
        var blocked = Running();

        var result = Weft.Futures.Wait([succeeded, cancelled, divideByZero, blocked], Long, ReturnWhen.FirstException);

        Assert.Equal(new HashSet<Future<int>> { succeeded, cancelled, divideByZero }, result.Done);
        Assert.Equal([blocked], result.NotDone);
    }

    [Fact]
    public void Wait_FirstException_NoExceptions_WaitsForAll()
    {
        Future<int>[] futures = [Succeeded(1), Cancelled(), Succeeded(2)];

        var result = Weft.Futures.Wait(futures, TimeSpan.Zero, ReturnWhen.FirstException);

        Assert.Equal(futures.ToHashSet(), result.Done);
        Assert.Empty(result.NotDone);
    }

    [Fact]
    public void Wait_AllCompleted_ExceptionsDoNotShortCircuit()
    {
        using var executor = new ThreadPoolExecutor(2);
        using var gate = new ManualResetEventSlim();
        var futures = new List<Future<int>>
        {
            Succeeded(1),
            Failed(new IOException()),
            executor.Submit(static x => 10 / x, 0),
            executor.Submit(() =>
            {
                gate.WaitOrFail();
                return 5;
            }),
            Cancelled(),
        };
        var waiting = Task.Run(() => Weft.Futures.Wait(futures, Long));
        AssertNotCompleted(waiting);

        gate.Set();

        var result = Finish(waiting);
        Assert.Equal(futures.ToHashSet(), result.Done);
        Assert.Empty(result.NotDone);
    }

    [Fact]
    public void Wait_Timeout_ReturnsThePartialResultWithoutThrowing()
    {
        Future<int>[] finished = [Succeeded(1), Failed(new IOException()), Cancelled()];
        var blocked = Running();

        var result = Weft.Futures.Wait([.. finished, blocked], Short);

        Assert.Equal(finished.ToHashSet(), result.Done);
        Assert.Equal([blocked], result.NotDone);
    }

    [Fact]
    public void Wait_ZeroTimeout_ReturnsAtOnce()
    {
        var blocked = Running();

        var result = Weft.Futures.Wait([blocked], TimeSpan.Zero);

        Assert.Empty(result.Done);
        Assert.Equal([blocked], result.NotDone);
        Assert.False(blocked.IsCancelled);
    }

    [Fact]
    public void Wait_HundredFuturesCompletingAtOnce_NoLostWakeUp()
    {
        for (var round = 0; round < 20; round++)
        {
            var futures = Enumerable.Range(0, 100).Select(_ => Running()).ToList();
            using var start = new Barrier(5);
            var completers = Enumerable.Range(0, 4).Select(t => Task.Run(() =>
            {
                start.SignalAndWait(Long);
                for (var i = t; i < futures.Count; i += 4)
                {
                    futures[i].TrySetResult(i);
                }
            })).ToArray();
            var waiting = Task.Run(() =>
            {
                start.SignalAndWait(Long);
                return Weft.Futures.Wait(futures, Long);
            });

            var result = Finish(waiting);
            Assert.Equal(100, result.Done.Count);
            Finish(Task.WhenAll(completers));
        }
    }

    [Fact]
    public void Wait_InvalidReturnWhen_ThrowsArgumentOutOfRange()
    {
        // CPython validates only when it has to wait; Weft always validates.
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Weft.Futures.Wait([Succeeded(1)], returnWhen: (ReturnWhen)42));

        Assert.Contains("Invalid return condition", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wait_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => Weft.Futures.Wait<Future>(null!));
        Assert.Throws<ArgumentNullException>(() => Weft.Futures.Wait(new Future[] { null! }));
    }

    [Fact]
    public void Wait_ResultSets_CompareFuturesByReference()
    {
        var a = Succeeded(1);
        var b = Succeeded(1);

        var result = Weft.Futures.Wait([a, b]);

        Assert.Equal(2, result.Done.Count);
        Assert.Contains(a, result.Done);
        Assert.Contains(b, result.Done);
    }
}
