using Microsoft.Coyote.Specifications;
using Weft.Threading;

namespace Weft.Coyote.Tests;

/// <summary>
/// Concurrency unit tests that Coyote runs under its scheduler, exploring interleavings of the tasks each one
/// starts. Only code built from tasks, monitors and interlocked operations is controlled; the pool's own
/// threads and kernel waits are not, so these drive the state machines directly from tasks.
/// </summary>
internal static class SystematicTests
{
    public static IEnumerable<(string Name, Func<Task> Test)> All =>
    [
        (nameof(Future_CancelRunAndCallbacks_ExactlyOneOutcomeAndEveryCallbackOnce), Future_CancelRunAndCallbacks_ExactlyOneOutcomeAndEveryCallbackOnce),
        (nameof(WorkerAccounting_CallbackAddedWhilePublishing_NeverRunsOnAWorkerCountedIdle), WorkerAccounting_CallbackAddedWhilePublishing_NeverRunsOnAWorkerCountedIdle),
        (nameof(WorkerAccounting_CancelRacesWorker_WorkerCountedIdleAfterwards), WorkerAccounting_CancelRacesWorker_WorkerCountedIdleAfterwards),
        (nameof(JoinableQueue_AsyncGetterAndPutter_ItemHandedOver), JoinableQueue_AsyncGetterAndPutter_ItemHandedOver),
        (nameof(Condition_WaitNotifyAndTimeout_NoNotificationLost), Condition_WaitNotifyAndTimeout_NoNotificationLost),
        (nameof(JoinableQueue_AsyncGettersPuttersCancellationAndImmediateShutdown_NoItemLostNoWaiterLeft), JoinableQueue_AsyncGettersPuttersCancellationAndImmediateShutdown_NoItemLostNoWaiterLeft),
        (nameof(WakePermits_ThreeWaitersOneAndTwoPermits_NoWakeUpLost), WakePermits_ThreeWaitersOneAndTwoPermits_NoWakeUpLost),
    ];

    /// <summary>The pool's parking semaphore: three waiters and releases of one and two permits, in any order
    /// (a release may come before anyone waits): every waiter passes, so none is left parked for ever
    /// (Coyote reports a deadlock otherwise).</summary>
    public static async Task WakePermits_ThreeWaitersOneAndTwoPermits_NoWakeUpLost()
    {
        var permits = new WakePermits();
        var passed = 0;
        var waiters = Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
        {
            permits.Wait();
            Interlocked.Increment(ref passed);
        })).ToArray();
        var one = Task.Run(() => permits.Release());
        var two = Task.Run(() => permits.Release(2));
        await Task.WhenAll([.. waiters, one, two]);
        Specification.Assert(passed == 3, $"{passed} of 3 waiters passed");
    }

    /// <summary>Cancel, run and add callbacks at once: exactly one of cancelled/finished, each callback once, on a done future.</summary>
    public static async Task Future_CancelRunAndCallbacks_ExactlyOneOutcomeAndEveryCallbackOnce()
    {
        var executor = new ThreadPoolExecutor(1);
        var future = new Future<int>(new Func<int>(() => 7), executor);
        var calls = 0;
        var sawDone = true;
        void Callback(Future f)
        {
            Interlocked.Increment(ref calls);
            sawDone &= f.IsDone;
        }

        var cancel = Task.Run(() => future.Cancel());
        var run = Task.Run(() =>
        {
            if (future.TryStart() && future.RunUnpublished(CancellationToken.None))
            {
                future.PublishOutcome(executor);
            }
        });
        var add1 = Task.Run(() => future.AddDoneCallback(Callback));
        var add2 = Task.Run(() => future.AddDoneCallback(Callback));
        await Task.WhenAll(cancel, run, add1, add2);

        Specification.Assert(future.IsDone, "the future is not done");
        Specification.Assert(future.IsCancelled != (future.State == FutureState.Finished), $"state {future.State}");
        Specification.Assert(calls == 2, $"callbacks ran {calls} times, not 2");
        Specification.Assert(sawDone, "a callback saw the future not done");
        Specification.Assert(await cancel == future.IsCancelled, "Cancel's answer disagrees with the state");
    }

    /// <summary>Bug 10.11: a callback added while the worker publishes must not run on that worker while it is counted idle
    /// (a callback that submits and waits would then get no new thread).</summary>
    public static async Task WorkerAccounting_CallbackAddedWhilePublishing_NeverRunsOnAWorkerCountedIdle()
    {
        var executor = new ThreadPoolExecutor(1);
        var future = new Future<int>(new Func<int>(() => 1), executor);
        var onWorker = new AsyncLocal<bool>();
        var idleWhileOnWorker = -1;
        var worker = Task.Run(() =>
        {
            onWorker.Value = true;
            future.TryStart();
            if (future.RunUnpublished(CancellationToken.None))
            {
                future.PublishOutcome(executor);
            }
        });
        var adder = Task.Run(() => future.AddDoneCallback(_ =>
        {
            if (onWorker.Value)
            {
                idleWhileOnWorker = executor.IdleCount;
            }
        }));
        await Task.WhenAll(worker, adder);

        Specification.Assert(idleWhileOnWorker <= 0, "a done-callback ran on the worker after it was counted idle");
        Specification.Assert(executor.IdleCount == 1, $"idle count {executor.IdleCount} after one task, expected 1");
    }

    /// <summary>Bug 10.1: whether the worker runs the future or finds it cancelled, it is counted idle once afterwards.</summary>
    public static async Task WorkerAccounting_CancelRacesWorker_WorkerCountedIdleAfterwards()
    {
        var executor = new ThreadPoolExecutor(1);
        var future = new Future<int>(new Func<int>(() => 1), executor);
        var cancel = Task.Run(() => future.Cancel());
        var worker = Task.Run(() => executor.RunOnThisThreadForTest(future));
        await Task.WhenAll(cancel, worker);

        Specification.Assert(future.IsDone, "the future is not done");
        Specification.Assert(executor.IdleCount == 1, $"idle count {executor.IdleCount} after one item, expected 1");
    }

    /// <summary>Two waiters (one with a zero timeout) and a notifier that notifies one: the notification is never lost,
    /// and the waiter count is back to zero.</summary>
    public static async Task Condition_WaitNotifyAndTimeout_NoNotificationLost()
    {
        var condition = new Condition();
        var ready = false;
        var waiter = Task.Run(() =>
        {
            using (condition.Acquire())
            {
                return condition.WaitFor(() => ready);
            }
        });
        var impatient = Task.Run(() =>
        {
            using (condition.Acquire())
            {
                return condition.Wait(TimeSpan.Zero);
            }
        });
        var notifier = Task.Run(() =>
        {
            using (condition.Acquire())
            {
                ready = true;
                condition.Notify(2);
            }
        });
        await Task.WhenAll(waiter, impatient, notifier);
        Specification.Assert(await waiter, "the waiter missed the notification");
        Specification.Assert(!await impatient, "a zero timeout reported a notification");
        Specification.Assert(condition.WaiterCount == 0, "a waiter was left listed");
    }

    /// <summary>An async getter and putter on a bounded queue: the item is handed over and nobody is left waiting.</summary>
    public static async Task JoinableQueue_AsyncGetterAndPutter_ItemHandedOver()
    {
        var queue = new JoinableQueue<int>(maxSize: 1);
        var get = Task.Run(async () => await queue.GetAsync());
        var put = Task.Run(async () => await queue.PutAsync(5));
        await Task.WhenAll(get, put);
        Specification.Assert(await get == 5, "wrong item");
        Specification.Assert(queue.WaitingGetters == 0 && queue.WaitingPutters == 0, "a waiter was left queued");
    }

    /// <summary>Async getters (one cancelled while a put may be waking it), putters on a full queue and an immediate
    /// shutdown: no wake-up is lost to the cancellation, every item put is either got or dropped by the shutdown, no
    /// waiter is left queued, and the unfinished count matches.</summary>
    public static async Task JoinableQueue_AsyncGettersPuttersCancellationAndImmediateShutdown_NoItemLostNoWaiterLeft()
    {
        var queue = new JoinableQueue<int>(maxSize: 1);
        using var cancel = new CancellationTokenSource();
        var got = 0;
        var put = 0;

        async Task Get(CancellationToken token)
        {
            try
            {
                await queue.GetAsync(token);
                Interlocked.Increment(ref got);
                queue.TaskDone();
            }
            catch (OperationCanceledException)
            {
            }
            catch (QueueShutDownException)
            {
            }
        }

        async Task Put(int item)
        {
            try
            {
                await queue.PutAsync(item);
                Interlocked.Increment(ref put);
            }
            catch (QueueShutDownException)
            {
            }
        }

        var tasks = new List<Task>
        {
            Task.Run(() => Get(cancel.Token)),
            Task.Run(() => Get(CancellationToken.None)),
            Task.Run(() => Put(1)),
            Task.Run(() => Put(2)),
            Task.Run(() => Put(3)),
            Task.Run(() => cancel.Cancel()),
        };
        // Three puts and at most one item for the cancellable getter: the other getter must get one before the
        // shutdown. A wake-up lost to the cancellation (the put woke the cancelled getter, which then neither took
        // the item nor passed the wake-up on) leaves it waiting beside a queued item, and Coyote reports the hang.
        await tasks[1];
        await tasks[5];
        queue.Shutdown(immediate: true);
        await Task.WhenAll(tasks);

        Specification.Assert(queue.WaitingGetters == 0 && queue.WaitingPutters == 0, "a waiter was left queued");
        Specification.Assert(got <= put, $"got {got} of {put} items put");
        Specification.Assert(queue.UnfinishedTasks == 0, $"{queue.UnfinishedTasks} unfinished after an immediate shutdown");
        Specification.Assert(queue.Join(TimeSpan.Zero), "Join blocks with nothing unfinished");
    }
}
