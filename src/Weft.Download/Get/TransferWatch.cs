namespace Weft.Download;

/// <summary>
/// The clocks of one attempt: the idle timeout (no bytes for <see cref="DownloadOptions.IdleTimeout"/>),
/// the low-speed limit (fewer than <see cref="DownloadOptions.SpeedLimit"/> bytes per second over
/// <see cref="DownloadOptions.SpeedTime"/>, curl's <c>-Y/-y</c>) and the file's deadline
/// (<see cref="DownloadOptions.MaxTime"/>). <see cref="Token"/> is cancelled when the first of them trips;
/// <see cref="Explain"/> then says which one.
/// </summary>
/// <remarks>One timer, re-armed after every read to the earliest limit that could still trip, so a
/// trickle of one byte a second fails the speed limit even though the idle timeout never fires.</remarks>
internal sealed class TransferWatch : IDisposable
{
    private readonly DownloadOptions _options;
    private readonly DateTimeOffset? _deadline;
    private readonly CancellationTokenSource _timer;
    private readonly CancellationTokenSource _linked;
    private DateTimeOffset _windowStart;
    private long _windowBytes;
    private Limit _armed;

    public TransferWatch(DownloadOptions options, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        _options = options;
        _deadline = deadline;
        _timer = new CancellationTokenSource(Timeout.InfiniteTimeSpan, options.Time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _timer.Token);
        _windowStart = Now;
        Arm();
    }

    /// <summary>Gets the token that trips with the first limit (or with the run's cancellation).</summary>
    public CancellationToken Token => _linked.Token;

    /// <summary>Gets a value indicating whether the file's deadline has passed (not worth a retry).</summary>
    public bool PastDeadline => (_timer.IsCancellationRequested && _armed == Limit.Deadline) || (_deadline is { } deadline && Now >= deadline);

    private DateTimeOffset Now => _options.Time.GetUtcNow();

    private long Required => _options.SpeedLimit is { } limit ? (long)(limit * _options.SpeedTime.TotalSeconds) : 0;

    /// <summary>Counts <paramref name="bytes"/> just read and re-arms the timer.</summary>
    /// <returns><see langword="false"/> when a whole speed window went by below the limit.</returns>
    public bool OnRead(int bytes)
    {
        _windowBytes += bytes;
        if (_options.SpeedLimit is not null && Now - _windowStart >= _options.SpeedTime)
        {
            if (_windowBytes < Required)
            {
                return false;
            }

            (_windowStart, _windowBytes) = (Now, 0);
        }

        Arm();
        return true;
    }

    /// <summary>Why <see cref="Token"/> tripped (or would trip now).</summary>
    public string Explain(long have)
    {
        if (PastDeadline)
        {
            return $"took longer than --max-time {_options.MaxTime!.Value.TotalSeconds:0.###} s ({have} bytes)";
        }

        var slow = _timer.IsCancellationRequested ? _armed == Limit.Speed : Now - _windowStart >= _options.SpeedTime && _windowBytes < Required;
        if (_options.SpeedLimit is { } limit && slow)
        {
            return $"slower than --speed-limit {limit} bytes/s for --speed-time {_options.SpeedTime.TotalSeconds:0.###} s ({have} bytes)";
        }

        return have > 0
            ? $"stalled: no data for {_options.IdleTimeout.TotalSeconds:0.#} s after {have} bytes"
            : $"no response within {_options.IdleTimeout.TotalSeconds:0.#} s";
    }

    public void Dispose()
    {
        _linked.Dispose();
        _timer.Dispose();
    }

    private void Arm()
    {
        // The timer's clock and GetUtcNow may differ by a hair, so the limit the timer was armed for is
        // remembered: it, not a fresh reading of the clock, says which limit tripped.
        var now = Now;
        (var wait, _armed) = (_options.IdleTimeout, Limit.Idle);
        if (_options.SpeedLimit is not null && _windowBytes < Required && _windowStart + _options.SpeedTime - now < wait)
        {
            (wait, _armed) = (_windowStart + _options.SpeedTime - now, Limit.Speed);
        }

        if (_deadline is { } deadline && deadline - now < wait)
        {
            (wait, _armed) = (deadline - now, Limit.Deadline);
        }

        _timer.CancelAfter(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
    }

    private enum Limit
    {
        Idle,
        Speed,
        Deadline,
    }
}
