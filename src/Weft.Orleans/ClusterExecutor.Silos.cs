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

    /// <summary>Refreshes the silo table until the executor has stopped. A failed refresh keeps the old table.</summary>
    private async Task RefreshLoopAsync(TimeProvider time, TimeSpan period)
    {
        while (!_stopped.Task.IsCompleted)
        {
            Task wake;
            lock (_gate)
            {
                wake = _wake.Task;
            }

            await Task.WhenAny(wake, Task.Delay(period, time), _stopped.Task).ConfigureAwait(false);
            lock (_gate)
            {
                if (_wake.Task.IsCompleted)
                {
                    _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }

            if (_stopped.Task.IsCompleted)
            {
                return;
            }

            try
            {
                Dictionary<string, WorkerSilo> known;
                lock (_gate)
                {
                    known = _silos.Snapshot();
                }

                using var timeout = new CancellationTokenSource(s_discoveryTimeout, time);
                var fresh = await SiloTable.DiscoverAsync(_grains, known, timeout.Token).ConfigureAwait(false);
                lock (_gate)
                {
                    _silos.Replace(fresh);
                }
            }
#pragma warning disable CA1031 // The cluster may be unreachable for a while; the next period tries again.
            catch (Exception)
#pragma warning restore CA1031
            {
            }

            Dispatch();
        }
    }
}
