namespace Weft.Download;

/// <content>Who runs what, when: the dispatch of one run.</content>
public sealed partial class Downloader
{
    /// <summary>
    /// One run's dispatch. Workers of the executor are started with a URL that can start now; when an
    /// attempt ends, the worker settles it (a result, a file to commit, or a retry put back with its
    /// back-off) and takes the next URL that can start now, if there is one, without a round trip
    /// through the dispatcher; else it ends. The dispatcher starts workers while there are free ones and
    /// startable URLs, and otherwise waits for a change or for a back-off to fall due.
    /// </summary>
    /// <remarks>Lock order: <see cref="_gate"/> guards the schedule, the tally, the counts and
    /// <see cref="_stopping"/>, and is never held across an attempt, a commit or a wait. Only the
    /// dispatcher cancels the run's stop (a full disk), outside the gate, so no worker ever touches it
    /// after the dispatcher has returned.</remarks>
    private sealed class Dispatch(Downloader owner, HostSchedule schedule, Tally tally, ThreadPoolExecutor executor, ThreadPoolExecutor committer, CancellationTokenSource stop)
    {
        private readonly Lock _gate = new();
        private readonly SemaphoreSlim _changed = new(0);
        private int _running;
        private int _committing;
        private bool _stopping;

        private DateTimeOffset Now => owner._options.Time.GetUtcNow();

        private bool Stopped => _stopping || stop.IsCancellationRequested;

        public async Task RunAsync()
        {
            using (_changed)
            {
                while (true)
                {
                    if (Volatile.Read(ref _stopping) && !stop.IsCancellationRequested)
                    {
                        await stop.CancelAsync().ConfigureAwait(false); // attempts in flight end, keeping their .part
                    }

                    DateTimeOffset? due;
                    lock (_gate)
                    {
                        while (_running < owner._options.Concurrency && !Stopped && schedule.TryTake(Now, out var transfer))
                        {
                            _running++;
                            _ = executor.Submit(() => Work(transfer));
                        }

                        if (_running + _committing == 0 && (schedule.Count == 0 || Stopped))
                        {
                            return;
                        }

                        due = Stopped ? null : schedule.NextDue(Now);
                    }

                    await WaitAsync(due).ConfigureAwait(false);
                }
            }
        }

        /// <summary>A worker: attempts back to back, each one of a URL that could start when taken.</summary>
        private bool Work(Transfer first)
        {
            var token = stop.Token;
            Transfer? transfer = first;
            while (transfer is not null)
            {
                var outcome = owner.RunAttempt(transfer, token);
                lock (_gate)
                {
                    schedule.Release(transfer);
                    var wake = Settle(transfer, outcome);
                    transfer = !Stopped && schedule.TryTake(Now, out var next) ? next : null;
                    if (transfer is null)
                    {
                        _running--;
                        wake = true;
                    }

                    if (wake)
                    {
                        _changed.Release(); // its waiter continues asynchronously, never inside the gate
                    }
                }
            }

            return true;
        }

        /// <summary>Records how an attempt or commit ended; under <see cref="_gate"/>.</summary>
        /// <returns>Whether the dispatcher must look again (a back-off to time, a commit started).</returns>
        private bool Settle(Transfer transfer, AttemptOutcome outcome)
        {
            if (outcome.Commit is { } commit)
            {
                _committing++;
                _ = committer.Submit(() => Commit(transfer, commit));
                return false;
            }

            if (outcome.Result is { } result)
            {
                tally.Add(result);
                if (outcome.StopReason is { } reason && tally.StopReason is null)
                {
                    tally.StopReason = reason;
                    _stopping = true;
                    return true;
                }

                return false;
            }

            schedule.Delay(transfer, Now + outcome.RetryAfter);
            if (outcome.HostPause is { } pause)
            {
                schedule.PauseHost(transfer, Now + pause);
            }

            return true;
        }

        private bool Commit(Transfer transfer, Commit commit)
        {
            var outcome = owner.CommitOne(transfer, commit);
            lock (_gate)
            {
                _committing--;
                Settle(transfer, outcome);
                _changed.Release();
            }

            return true;
        }

        /// <summary>Waits for a change, for <paramref name="due"/> (a back-off is over), or for the stop.</summary>
        private async Task WaitAsync(DateTimeOffset? due)
        {
            var wait = due is { } at ? at - Now : Timeout.InfiniteTimeSpan;
            using var timer = new CancellationTokenSource(wait > TimeSpan.Zero || wait == Timeout.InfiniteTimeSpan ? wait : TimeSpan.Zero, owner._options.Time);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, Stopped ? CancellationToken.None : stop.Token);
            try
            {
                await _changed.WaitAsync(either.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // A back-off fell due, or the run stopped: the loop looks again.
            }
        }
    }
}
