using Weft.Threading;

namespace Weft.Tests.Threading;

/// <summary>CPython Lib/test/lock_tests.py ConditionTests (rows C1-C11 of the reference), made deterministic.</summary>
public sealed class ConditionTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(20);

    [Fact]
    public void Acquire_Twice_IsReentrant()
    {
        var cond = new Condition();
        using (cond.Acquire())
        using (cond.Acquire())
        {
            Assert.True(cond.IsHeldByCurrentThread);
        }

        Assert.False(cond.IsHeldByCurrentThread);
    }

    [Fact]
    public void TryAcquire_HeldByOtherThread_ReturnsFalse()
    {
        var cond = new Condition();
        using (cond.Acquire())
        {
            var other = TestThread<bool>.Start(() => cond.TryAcquire(TimeSpan.Zero, out _));
            Assert.False(other.Join());
        }
    }

    [Fact]
    public void Wait_WithoutLock_ThrowsSynchronizationLockException()
    {
        var cond = new Condition();
        Assert.Throws<SynchronizationLockException>(() => cond.Wait(TimeSpan.Zero));
    }

    [Fact]
    public void Notify_WithoutLock_ThrowsSynchronizationLockException()
    {
        var cond = new Condition();
        Assert.Throws<SynchronizationLockException>(() => cond.Notify());
        Assert.Throws<SynchronizationLockException>(cond.NotifyAll);
    }

    [Fact]
    public void Notify_NoWaiters_DoesNothing()
    {
        var cond = new Condition();
        using (cond.Acquire())
        {
            cond.Notify();
            cond.NotifyAll();
        }
    }

    [Fact]
    public void Notify_N_WakesAtMostNWaitersInFifoOrder()
    {
        var cond = new Condition();
        var woken = new List<int>();
        var threads = new List<Thread>();
        for (var i = 0; i < 5; i++)
        {
            var id = i;
            var thread = new Thread(() =>
            {
                using (cond.Acquire())
                {
                    Assert.True(cond.Wait(Long));
                    woken.Add(id);
                }
            });
            thread.Start();
            threads.Add(thread);

            // Each waiter is queued before the next starts, so the FIFO order is known.
            SpinUntil(() => cond.WaiterCount == id + 1);
        }

        using (cond.Acquire())
        {
            cond.Notify(2);
        }

        SpinUntil(() => Locked(cond, () => woken.Count == 2));
        using (cond.Acquire())
        {
            // The two oldest waiters were woken (they may re-acquire the lock in either order).
            Assert.Equal(new[] { 0, 1 }, woken.Order());
            Assert.Equal(3, cond.WaiterCount);
            cond.Notify(5); // more than are waiting: wakes the remaining 3
        }

        foreach (var thread in threads)
        {
            Assert.True(thread.Join(Long));
        }

        Assert.Equal(new[] { 0, 1, 2, 3, 4 }, woken.Order());
    }

    [Fact]
    public void NotifyAll_WakesEveryWaiter()
    {
        var cond = new Condition();
        var woken = 0;
        var threads = Enumerable.Range(0, 4).Select(_ => TestThread.Start(() =>
        {
            using (cond.Acquire())
            {
                if (cond.Wait(Long))
                {
                    woken++;
                }
            }
        })).ToArray();
        SpinUntil(() => cond.WaiterCount == 4);

        using (cond.Acquire())
        {
            cond.NotifyAll();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        Assert.Equal(4, woken);
    }

    [Fact]
    public void Wait_Timeout_ReturnsFalseAndHoldsLockAgain()
    {
        var cond = new Condition();
        using (cond.Acquire())
        {
            Assert.False(cond.Wait(TimeSpan.FromMilliseconds(20)));
            Assert.True(cond.IsHeldByCurrentThread);
            Assert.Equal(0, cond.WaiterCount);
        }
    }

    [Fact]
    public void Wait_HeldReentrantly_ReleasesFullyAndRestoresDepth()
    {
        var cond = new Condition();
        var otherAcquired = new ManualResetEventSlim();
        var outer = cond.Acquire();
        var inner = cond.Acquire();
        var other = TestThread.Start(() =>
        {
            using (cond.Acquire())
            {
                otherAcquired.Set();
                cond.Notify();
            }
        });

        Assert.True(cond.Wait(Long));
        Assert.True(otherAcquired.IsSet);
        other.Join();

        inner.Dispose();
        Assert.True(cond.IsHeldByCurrentThread); // the second level survived the wait
        outer.Dispose();
        Assert.False(cond.IsHeldByCurrentThread);
    }

    [Fact]
    public void WaitFor_PredicateAlreadyTrue_ReturnsWithoutWaiting()
    {
        var cond = new Condition();
        using (cond.Acquire())
        {
            Assert.True(cond.WaitFor(() => true, TimeSpan.Zero));
        }
    }

    [Fact]
    public void WaitFor_RechecksAfterEachNotify_ReturnsTrueWhenStateReached()
    {
        var cond = new Condition();
        var state = 0;
        var checks = 0;
        var waiter = TestThread<bool>.Start(() =>
        {
            using (cond.Acquire())
            {
                return cond.WaitFor(() => { checks++; return state == 4; }, Long);
            }
        });

        for (var i = 0; i < 4; i++)
        {
            SpinUntil(() => cond.WaiterCount == 1);
            using (cond.Acquire())
            {
                state++;
                cond.Notify();
            }
        }

        Assert.True(waiter.Join());
        Assert.Equal(5, checks); // once before waiting, once after each of the 4 wake-ups
    }

    [Fact]
    public void WaitFor_Timeout_ReturnsLastPredicateValue()
    {
        var cond = new Condition();
        using (cond.Acquire())
        {
            Assert.False(cond.WaitFor(() => false, TimeSpan.FromMilliseconds(30)));
        }
    }

    [Fact]
    public void Release_WithoutLock_Throws()
    {
        var cond = new Condition();
        Assert.Throws<SynchronizationLockException>(cond.Release);
    }

    internal static void SpinUntil(Func<bool> condition) =>
        Assert.True(SpinWait.SpinUntil(condition, Long), "condition not reached in time");

    private static bool Locked(Condition cond, Func<bool> check)
    {
        using (cond.Acquire())
        {
            return check();
        }
    }
}
