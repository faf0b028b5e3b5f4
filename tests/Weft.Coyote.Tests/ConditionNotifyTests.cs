using Microsoft.Coyote.Specifications;
using Weft.Threading;

namespace Weft.Coyote.Tests;

/// <summary>Issue 18, defect 8: a notification that reaches a waiter whose token has already fired is not lost.</summary>
internal static class ConditionNotifyTests
{
    public static IEnumerable<(string Name, Func<Task> Test)> All =>
    [
        (nameof(Condition_NotifyRacesCancelledWaiter_NotificationReachesTheOtherWaiter), Condition_NotifyRacesCancelledWaiter_NotificationReachesTheOtherWaiter),
    ];

    /// <summary>Two waiters, one with a token that fires while a single notification is sent. Whatever the order,
    /// the notification wakes someone: the cancellable waiter returns true (it won the race), or the other waiter
    /// is woken. On the old code Notify could take the cancelled waiter off the list after its token fired; it then
    /// threw and the plain waiter waited for ever (Coyote reports the deadlock).</summary>
    public static async Task Condition_NotifyRacesCancelledWaiter_NotificationReachesTheOtherWaiter()
    {
        var condition = new Condition();
        var notified = false;   // guarded by the condition's lock
        using var cancel = new CancellationTokenSource();
        var cancellable = Task.Run(() =>
        {
            using (condition.Acquire())
            {
                try
                {
                    return condition.Wait(null, cancel.Token);
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
            }
        });

        // WaitFor re-checks its predicate, so a plain waiter that starts after the notification does not wait:
        // it can only hang if it was waiting and the notification was spent on the cancelled waiter.
        var plain = Task.Run(() =>
        {
            using (condition.Acquire())
            {
                return condition.WaitFor(() => notified);
            }
        });
        var canceller = Task.Run(cancel.Cancel);
        var notifier = Task.Run(() =>
        {
            using (condition.Acquire())
            {
                notified = true;
                condition.Notify();
            }
        });
        await Task.WhenAll(canceller, notifier);

        if (await cancellable)
        {
            // The cancellable waiter took the one notification legitimately: release the other one too.
            using (condition.Acquire())
            {
                condition.Notify();
            }
        }

        Specification.Assert(await plain, "the plain waiter returned without a notification");
        Specification.Assert(condition.WaiterCount == 0, "a waiter was left listed");
    }
}
