using System.Runtime.CompilerServices;
using static Weft.Tests.Futures.TestFutures;

namespace Weft.Tests.Futures;

/// <summary>The Future state machine, from CPython's test_future.py (checklist F1-F18).</summary>
public sealed class FutureTests
{
    [Fact]
    public void Cancel_Pending_SucceedsAndFutureIsCancelledAndDone()
    {
        var future = Pending();

        Assert.True(future.Cancel());

        Assert.Equal(FutureState.Cancelled, future.State);
        Assert.True(future.IsCancelled);
        Assert.True(future.IsDone);
        Assert.False(future.IsRunning);
    }

    [Fact]
    public void Cancel_Running_FailsAndFutureStaysRunning()
    {
        var future = Running();

        Assert.False(future.Cancel());

        Assert.Equal(FutureState.Running, future.State);
        Assert.True(future.IsRunning);
        Assert.False(future.IsCancelled);
        Assert.False(future.IsDone);
    }

    [Fact]
    public void Cancel_FinishedWithResult_FailsAndResultIsKept()
    {
        var future = Succeeded(42);

        Assert.False(future.Cancel());

        Assert.Equal(FutureState.Finished, future.State);
        Assert.Equal(42, future.Result(TimeSpan.Zero));
    }

    [Fact]
    public void Cancel_FinishedWithException_FailsAndExceptionIsKept()
    {
        var error = new IOException("disk");
        var future = Failed(error);

        Assert.False(future.Cancel());

        Assert.Equal(FutureState.Finished, future.State);
        Assert.Same(error, future.GetException(TimeSpan.Zero));
    }

    [Fact]
    public void Cancel_AlreadyCancelled_ReturnsTrueAndDoesNotRunCallbacksAgain()
    {
        var future = Pending();
        var calls = 0;
        future.AddDoneCallback(_ => calls++);
        Assert.True(future.Cancel());

        Assert.True(future.Cancel());

        Assert.Equal(1, calls);
        Assert.Equal(FutureState.Cancelled, future.State);
    }

    [Fact]
    public void Predicates_EachState_MatchPythonTruthTable()
    {
        // (state, running, cancelled, done) as cancelled(), done() and running() in CPython's FutureTests.
        (Future Future, FutureState State, bool Running, bool Cancelled, bool Done)[] rows =
        [
            (Pending(), FutureState.Pending, false, false, false),
            (Running(), FutureState.Running, true, false, false),
            (Cancelled(), FutureState.Cancelled, false, true, true),
            (Succeeded(1), FutureState.Finished, false, false, true),
            (Failed(new IOException()), FutureState.Finished, false, false, true),
        ];

        foreach (var row in rows)
        {
            Assert.Equal(row.State, row.Future.State);
            Assert.Equal(row.Running, row.Future.IsRunning);
            Assert.Equal(row.Cancelled, row.Future.IsCancelled);
            Assert.Equal(row.Done, row.Future.IsDone);
        }
    }

    [Fact]
    public void Result_ZeroTimeout_ByState()
    {
        Assert.Throws<TimeoutException>(() => Pending().Result(TimeSpan.Zero));
        Assert.Throws<TimeoutException>(() => Running().Result(TimeSpan.Zero));
        Assert.Throws<OperationCanceledException>(() => Cancelled().Result(TimeSpan.Zero));
        Assert.Throws<IOException>(() => Failed(new IOException()).Result(TimeSpan.Zero));
        Assert.Equal(42, Succeeded(42).Result(TimeSpan.Zero));
    }

    [Fact]
    public void GetException_ZeroTimeout_ByState()
    {
        var error = new IOException();

        Assert.Throws<TimeoutException>(() => Pending().GetException(TimeSpan.Zero));
        Assert.Throws<TimeoutException>(() => Running().GetException(TimeSpan.Zero));
        Assert.Throws<OperationCanceledException>(() => Cancelled().GetException(TimeSpan.Zero));
        Assert.Same(error, Failed(error).GetException(TimeSpan.Zero));
        Assert.Null(Succeeded(42).GetException(TimeSpan.Zero));
    }

    [Fact]
    public void Wait_ByState_ThrowsOnlyOnTimeoutNeverTheTaskError()
    {
        Assert.Throws<TimeoutException>(() => Pending().Wait(TimeSpan.Zero));
        Assert.Throws<TimeoutException>(() => Running().Wait(Short));
        Cancelled().Wait(TimeSpan.Zero);
        Failed(new IOException()).Wait(TimeSpan.Zero);
        Succeeded(1).Wait();
    }

    [Fact]
    public void Result_BlockedUntilAnotherThreadSetsResult_ReturnsIt()
    {
        var future = Running();
        var waiting = Task.Run(() => future.Result(Long));
        AssertNotCompleted(waiting);

        Assert.True(future.TrySetResult(42));

        Assert.Equal(42, Finish(waiting));
    }

    [Fact]
    public void Result_BlockedWhenAnotherThreadCancels_ThrowsOperationCanceledPromptly()
    {
        var future = Pending();
        var waiting = Task.Run(() => future.Result(Long));
        AssertNotCompleted(waiting);

        Assert.True(future.Cancel());

        Assert.IsAssignableFrom<OperationCanceledException>(FinishFaulted(waiting));
    }

    [Fact]
    public void GetException_BlockedUntilAnotherThreadSetsException_ReturnsIt()
    {
        var future = Running();
        var error = new IOException("late");
        var waiting = Task.Run(() => future.GetException(Long));
        AssertNotCompleted(waiting);

        Assert.True(future.TrySetException(error));

        Assert.Same(error, Finish(waiting));
    }

    [Fact]
    public void Wait_BlockedUntilAnotherThreadFinishes_ReturnsWithoutThrowingTheError()
    {
        var future = Running();
        var waiting = Task.Run(() => future.Wait(Long));
        AssertNotCompleted(waiting);

        future.TrySetException(new IOException());

        Finish(waiting);
    }

    [Fact]
    public void Result_TimesOut_FutureIsNotCancelledAndLaterResultSucceeds()
    {
        var future = Running();

        Assert.Throws<TimeoutException>(() => future.Result(Short));

        Assert.False(future.IsCancelled);
        future.TrySetResult(7);
        Assert.Equal(7, future.Result(Long));
    }

    [Fact]
    public void Result_NegativeTimeout_ActsAsZero()
    {
        Assert.Throws<TimeoutException>(() => Pending().Result(TimeSpan.FromSeconds(-1)));
        Assert.Throws<TimeoutException>(() => Pending().GetException(TimeSpan.FromSeconds(-5)));
        Assert.Equal(3, Succeeded(3).Result(TimeSpan.FromSeconds(-1)));
    }

    [Fact]
    public void Result_TaskException_IsTheSameObjectWithItsOriginalStackTrace()
    {
        Exception original;
        try
        {
            ThrowFromHere();
            throw new InvalidOperationException("unreachable");
        }
        catch (FormatException e)
        {
            original = e;
        }

        var future = Failed(original);

        var thrown = Assert.Throws<FormatException>(() => future.Result(Long));
        Assert.Same(original, thrown);
        Assert.Contains(nameof(ThrowFromHere), thrown.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void TrySetResult_Twice_RejectedAndFirstValueKept()
    {
        var future = Running();
        Assert.True(future.TrySetResult(1));

        Assert.False(future.TrySetResult(2));
        Assert.False(future.TrySetException(new IOException()));

        Assert.Equal(1, future.Result(TimeSpan.Zero));
    }

    [Fact]
    public void TrySetException_Twice_RejectedAndFirstExceptionKept()
    {
        var first = new IOException("first");
        var future = Running();
        Assert.True(future.TrySetException(first));

        Assert.False(future.TrySetException(new FormatException()));
        Assert.False(future.TrySetResult(5));

        Assert.Same(first, future.GetException(TimeSpan.Zero));
    }

    [Fact]
    public void TrySetResult_OnCancelled_RejectedAndStaysCancelled()
    {
        var future = Cancelled();

        Assert.False(future.TrySetResult(1));
        Assert.False(future.TrySetException(new IOException()));

        Assert.Equal(FutureState.Cancelled, future.State);
    }

    [Fact]
    public void TryStart_Transitions_AsSetRunningOrNotifyCancel()
    {
        Assert.True(Pending().TryStart());
        Assert.False(Cancelled().TryStart());
        Assert.Throws<InvalidOperationException>(() => Running().TryStart());
        Assert.Throws<InvalidOperationException>(() => Succeeded(1).TryStart());
    }

    [Fact]
    public void AddDoneCallback_RunsOnceOnCompletionInRegistrationOrderWithTheFuture()
    {
        var future = Running();
        var calls = new List<(int Index, Future Future, int Result)>();
        for (var i = 0; i < 3; i++)
        {
            var index = i;
            future.AddDoneCallback(f => calls.Add((index, f, ((Future<int>)f).Result(TimeSpan.Zero))));
        }

        Assert.Empty(calls);
        future.TrySetResult(5);

        Assert.Equal([0, 1, 2], calls.Select(c => c.Index));
        Assert.All(calls, c => Assert.Same(future, c.Future));
        Assert.All(calls, c => Assert.Equal(5, c.Result));
    }

    [Fact]
    public void AddDoneCallback_WithException_SeesTheException()
    {
        var future = Running();
        Exception? seen = null;
        future.AddDoneCallback(f => seen = f.GetException(TimeSpan.Zero));

        future.TrySetException(new IOException("test"));

        Assert.Equal("test", Assert.IsType<IOException>(seen).Message);
    }

    [Fact]
    public void AddDoneCallback_OnCancel_SeesCancelledOnTheCancellingThread()
    {
        var future = Pending();
        bool? cancelled = null;
        Thread? thread = null;
        future.AddDoneCallback(f =>
        {
            cancelled = f.IsCancelled;
            thread = Thread.CurrentThread;
        });

        future.Cancel();

        Assert.True(cancelled);
        Assert.Same(Thread.CurrentThread, thread);
    }

    [Fact]
    public void AddDoneCallback_CompletedOnAnotherThread_RunsOnTheCompletingThread()
    {
        var future = Running();
        Thread? callbackThread = null;
        future.AddDoneCallback(_ => callbackThread = Thread.CurrentThread);
        Thread? completer = null;

        var thread = new Thread(() =>
        {
            completer = Thread.CurrentThread;
            future.TrySetResult(1);
        });
        thread.Start();
        Assert.True(thread.Join(Long));

        Assert.NotNull(completer);
        Assert.Same(completer, callbackThread);
    }

    [Theory]
    [InlineData("succeeded")]
    [InlineData("failed")]
    [InlineData("cancelled")]
    public void AddDoneCallback_AlreadyDone_RunsAtOnceOnTheCallersThread(string outcome)
    {
        var future = outcome switch
        {
            "succeeded" => Succeeded(5),
            "failed" => Failed(new IOException()),
            _ => Cancelled(),
        };
        Thread? thread = null;

        future.AddDoneCallback(_ => thread = Thread.CurrentThread);

        Assert.Same(Thread.CurrentThread, thread);
    }

    [Fact]
    public void AddDoneCallback_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => Pending().AddDoneCallback(null!));
    }

    [Fact]
    public void AddDoneCallback_ManyThreadsRacingCompletion_EachCallbackRunsExactlyOnce()
    {
        const int Adders = 4;
        const int PerAdder = 500;
        for (var round = 0; round < 20; round++)
        {
            var future = Running();
            var counts = new int[Adders * PerAdder];
            using var start = new Barrier(Adders + 1);
            var adders = Enumerable.Range(0, Adders).Select(a => Task.Run(() =>
            {
                start.SignalAndWait(Long);
                for (var i = 0; i < PerAdder; i++)
                {
                    var slot = (a * PerAdder) + i;
                    future.AddDoneCallback(_ => Interlocked.Increment(ref counts[slot]));
                }
            })).ToArray();

            start.SignalAndWait(Long);
            future.TrySetResult(round);
            Finish(Task.WhenAll(adders));

            Assert.All(counts, c => Assert.Equal(1, c));
        }
    }

    [Fact]
    public void ToString_DescribesStateLikePythonsRepr()
    {
        Assert.Equal("<Future state=pending>", Pending().ToString());
        Assert.Equal("<Future state=running>", Running().ToString());
        Assert.Equal("<Future state=cancelled>", Cancelled().ToString());
        Assert.Equal("<Future state=finished raised IOException>", Failed(new IOException()).ToString());
        Assert.Equal("<Future state=finished returned Int32>", Succeeded(1).ToString());
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowFromHere() => throw new FormatException("bad format");
}
