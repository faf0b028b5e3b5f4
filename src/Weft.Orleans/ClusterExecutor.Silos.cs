using Weft.Orleans.Silos;

namespace Weft.Orleans;

/// <summary>Keeping the silo table current: a refresh every period, and at once when a silo was lost.</summary>
public sealed partial class ClusterExecutor
{
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Asks every silo to fire the tokens of this executor's running calls; their replies still come back,
    /// as the process pool's <c>CancelAll</c>. Best effort: a silo that does not answer is not asked again.</summary>
    private void CancelRunningTasks()
    {
        List<WorkerSilo> silos;
        lock (_gate)
        {
            silos = [.. _silos.Snapshot().Values];
        }

        foreach (var silo in silos)
        {
            _ = silo.Call(_grains, w => w.CancelRunning(_id).ContinueWith(static _ => true, TaskScheduler.Default));
        }
    }

    /// <summary>Asks for a refresh now. Under <c>_gate</c>.</summary>
    private void WakeRefresh() => _wake.TrySetResult();

    /// <summary>Refreshes the silo table until the executor has stopped, or has been dropped without a shutdown:
    /// the loop holds the executor only weakly between refreshes, so an executor nobody references is collected
    /// and its loop ends (CPython's workers exit once their executor is garbage). A failed refresh keeps the old table.</summary>
    private static async Task RefreshLoopAsync(WeakReference<ClusterExecutor> weak, TimeProvider time, TimeSpan period)
    {
        while (true)
        {
            if (!weak.TryGetTarget(out var executor) || executor.Stopped.IsCompleted)
            {
                return;
            }

            var due = executor.NextRefreshDue(time, period);
            executor = null;   // not held across the wait
            await due.ConfigureAwait(false);
            if (!weak.TryGetTarget(out executor) || executor.Stopped.IsCompleted)
            {
                return;
            }

            var grains = executor._grains;
            Dictionary<string, WorkerSilo> known;
            lock (executor._gate)
            {
                // A wake-up from now on (a silo failing during this refresh) makes the next wait end at once.
                if (executor._wake.Task.IsCompleted)
                {
                    executor._wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                known = executor._silos.Snapshot();
            }

            executor = null;
            List<WorkerSilo> fresh;
            try
            {
                using var timeout = new CancellationTokenSource(s_discoveryTimeout, time);
                fresh = await SiloTable.DiscoverAsync(grains, known, timeout.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // The cluster may be unreachable for a while; the next period tries again.
            catch (Exception)
#pragma warning restore CA1031
            {
                continue;
            }

            if (weak.TryGetTarget(out executor))
            {
                lock (executor._gate)
                {
                    executor._silos.Replace(fresh);
                }

                executor.Dispatch();
            }
        }
    }

    /// <summary>Completes after <paramref name="period"/>, on a wake-up (a silo failed) or when the executor stops.</summary>
    private Task NextRefreshDue(TimeProvider time, TimeSpan period)
    {
        Task wake;
        lock (_gate)
        {
            wake = _wake.Task;
        }

        return Task.WhenAny(wake, Task.Delay(period, time), Stopped);
    }
}
