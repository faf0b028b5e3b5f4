namespace Weft.Tests.Futures;

/// <summary>The pool's parking semaphore: a permit is never lost, each release wakes as many waiters as it adds,
/// and an interrupted waiter leaves without taking a permit.</summary>
public sealed class WakePermitsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public void Wait_PermitReleasedBeforeAnyoneWaited_ReturnsAtOnce()
    {
        var permits = new WakePermits();
        permits.Release();

        var waiter = StartWaiter(permits);

        Assert.True(waiter.Join(Patience), "the permit released before the wait was lost");
    }

    [Fact]
    public void Release_ThreeToThreeBlockedWaiters_WakesEachOnce()
    {
        var permits = new WakePermits();
        var passed = 0;
        var waiters = Enumerable.Range(0, 3).Select(_ => StartWaiter(permits, () => Interlocked.Increment(ref passed))).ToArray();
        WaitUntilBlocked(waiters);

        permits.Release(3);

        Assert.All(waiters, w => Assert.True(w.Join(Patience), "a waiter was not woken"));
        Assert.Equal(3, passed);
    }

    [Fact]
    public void Release_OnePermitToTwoWaiters_WakesExactlyOne()
    {
        var permits = new WakePermits();
        var passed = 0;
        var waiters = Enumerable.Range(0, 2).Select(_ => StartWaiter(permits, () => Interlocked.Increment(ref passed))).ToArray();
        WaitUntilBlocked(waiters);

        permits.Release();

        Assert.True(ExactlyOneFinishes(waiters), "one permit woke no waiter, or two");
        Assert.Equal(1, Volatile.Read(ref passed));
        permits.Release(); // the second one leaves too, so no thread outlives the test
        Assert.All(waiters, w => Assert.True(w.Join(Patience)));
        Assert.Equal(2, passed);
    }

    [Fact]
    public void Wait_Interrupted_ThrowsAndTakesNoPermit()
    {
        var permits = new WakePermits();
        Exception? error = null;
        var waiter = new Thread(() =>
        {
            try
            {
                permits.Wait();
            }
            catch (ThreadInterruptedException e)
            {
                error = e;
            }
        })
        { IsBackground = true };
        waiter.Start();
        WaitUntilBlocked([waiter]);

        waiter.Interrupt();

        Assert.True(waiter.Join(Patience));
        Assert.IsType<ThreadInterruptedException>(error);
        permits.Release();
        Assert.True(StartWaiter(permits).Join(Patience), "the interrupted waiter took the permit");
    }

    private static Thread StartWaiter(WakePermits permits, Action? after = null)
    {
        var thread = new Thread(() =>
        {
            permits.Wait();
            after?.Invoke();
        })
        { IsBackground = true };
        thread.Start();
        return thread;
    }

    /// <summary>Waits until every thread is blocked in the kernel (WaitSleepJoin), with a timeout.</summary>
    private static void WaitUntilBlocked(Thread[] threads) =>
        Assert.True(SpinWait.SpinUntil(() => threads.All(t => (t.ThreadState & ThreadState.WaitSleepJoin) != 0), Patience), "the waiters never blocked");

    /// <summary>Waits for one of the threads to finish; then gives the others a chance they must not take.</summary>
    private static bool ExactlyOneFinishes(Thread[] threads)
    {
        var done = SpinWait.SpinUntil(() => threads.Any(t => !t.IsAlive), Patience);
        var others = threads.Where(t => t.IsAlive).ToArray();
        // The others have no permit: they must stay blocked, whatever the scheduler does next.
        return done && others.Length == threads.Length - 1 && others.All(t => !t.Join(TimeSpan.FromMilliseconds(100)));
    }
}
