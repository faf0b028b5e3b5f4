namespace Weft;

/// <summary>
/// A point in time after which a wait gives up, taken from a Python-style optional timeout on a
/// <see cref="TimeProvider"/>'s clock: <c>null</c> waits for ever; a negative timeout (including -1 ms,
/// the BCL's "infinite") means "do not block", as in CPython; a very long one (30 days) simply waits,
/// however far past the BCL's <c>int.MaxValue</c> milliseconds it reaches.
/// </summary>
internal readonly struct Deadline
{
    private readonly TimeProvider? _time; // null: never
    private readonly long _end;           // a timestamp of _time

    private Deadline(TimeProvider time, long end)
    {
        _time = time;
        _end = end;
    }

    public static Deadline Never => default;

    public bool IsNever => _time is null;

    public bool HasPassed => _time is not null && _time.GetTimestamp() >= _end;

    /// <summary>Time left: <see cref="Timeout.InfiniteTimeSpan"/> for never, zero once passed.</summary>
    public TimeSpan Remaining
    {
        get
        {
            if (_time is null)
            {
                return Timeout.InfiniteTimeSpan;
            }

            var left = _end - _time.GetTimestamp();
            return left <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((double)left / _time.TimestampFrequency);
        }
    }

    /// <summary>Milliseconds left for one BCL wait: -1 for never, 0 once passed, at most <c>int.MaxValue - 1</c>
    /// (a longer deadline is waited for in several rounds).</summary>
    private int RoundMilliseconds
    {
        get
        {
            if (_time is null)
            {
                return Timeout.Infinite;
            }

            var left = Math.Ceiling(Remaining.TotalMilliseconds);
            return left >= int.MaxValue - 1 ? int.MaxValue - 1 : (int)left;
        }
    }

    public static Deadline After(TimeSpan? timeout, TimeProvider time)
    {
        if (timeout is not { } t)
        {
            return Never;
        }

        var now = time.GetTimestamp();
        if (t <= TimeSpan.Zero)
        {
            return new(time, now);
        }

        var ticks = t.TotalSeconds * time.TimestampFrequency;
        return ticks >= long.MaxValue - now ? Never : new(time, now + (long)ticks);
    }

    /// <summary>Blocks on <paramref name="signal"/> until it is set, the deadline passes or the token fires.</summary>
    /// <returns>Whether the signal was set.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    public bool Wait(ManualResetEventSlim signal, CancellationToken cancellationToken) =>
        Wait(static (s, ms, token) => s.Wait(ms, token), signal, cancellationToken);

    /// <summary>Takes a permit of <paramref name="signal"/>, waiting until the deadline passes or the token fires.</summary>
    /// <returns>Whether a permit was taken.</returns>
    public bool Wait(SemaphoreSlim signal, CancellationToken cancellationToken) =>
        Wait(static (s, ms, token) => s.Wait(ms, token), signal, cancellationToken);

    /// <summary>A source cancelled by <paramref name="time"/>'s clock at the deadline. Its delay is relative, so it is
    /// set again if the clock moved while it was being set (a fake clock advanced by another thread).</summary>
    private CancellationTokenSource StartTimer(TimeProvider time)
    {
        while (true)
        {
            var now = time.GetTimestamp();
            var left = _end - now;
            var source = new CancellationTokenSource(left <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((double)left / time.TimestampFrequency), time);
            if (time.GetTimestamp() == now)
            {
                return source;
            }

            source.Dispose();
        }
    }

    /// <summary>Runs a BCL wait (<c>wait(state, milliseconds, token)</c>) against this deadline.</summary>
    /// <remarks>On the system clock the BCL's own timed wait is used, in rounds below its <c>int.MaxValue</c> ms
    /// cap; on any other clock (a fake one in tests) a cancellation source of that clock ends the wait.</remarks>
    public bool Wait<TState>(Func<TState, int, CancellationToken, bool> wait, TState state, CancellationToken cancellationToken)
    {
        if (_time is null)
        {
            return wait(state, Timeout.Infinite, cancellationToken);
        }

        if (ReferenceEquals(_time, TimeProvider.System))
        {
            while (true)
            {
                if (wait(state, RoundMilliseconds, cancellationToken))
                {
                    return true;
                }

                if (HasPassed)
                {
                    return false;
                }
            }
        }

        if (HasPassed)
        {
            return wait(state, 0, cancellationToken);
        }

        using var timeout = StartTimer(_time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return wait(state, Timeout.Infinite, linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return wait(state, 0, CancellationToken.None);
        }
    }
}
