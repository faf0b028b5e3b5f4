using System.Diagnostics;

namespace Weft;

/// <summary>
/// A point in time after which a wait gives up, taken from a Python-style optional timeout:
/// <c>null</c> waits for ever, a negative timeout behaves as zero (CPython's <c>Condition.wait</c>).
/// </summary>
internal readonly struct Deadline
{
    private readonly long _end; // Stopwatch timestamp; long.MaxValue = never

    private Deadline(long end) => _end = end;

    public static Deadline Never => new(long.MaxValue);

    public bool IsNever => _end == long.MaxValue;

    public static Deadline After(TimeSpan? timeout)
    {
        if (timeout is not { } t || t == Timeout.InfiniteTimeSpan)
        {
            return Never;
        }

        if (t <= TimeSpan.Zero)
        {
            return new(Stopwatch.GetTimestamp());
        }

        var ticks = t.TotalSeconds * Stopwatch.Frequency;
        var now = Stopwatch.GetTimestamp();
        return ticks >= long.MaxValue - now ? Never : new(now + (long)ticks);
    }

    public bool HasPassed => !IsNever && Stopwatch.GetTimestamp() >= _end;

    /// <summary>Milliseconds left, for APIs that take an int: -1 for never, 0 once passed.</summary>
    public int RemainingMilliseconds
    {
        get
        {
            if (IsNever)
            {
                return Timeout.Infinite;
            }

            var left = (_end - Stopwatch.GetTimestamp()) * 1000.0 / Stopwatch.Frequency;
            return left <= 0 ? 0 : left >= int.MaxValue - 1 ? int.MaxValue - 1 : (int)Math.Ceiling(left);
        }
    }

    public TimeSpan Remaining
    {
        get
        {
            if (IsNever)
            {
                return Timeout.InfiniteTimeSpan;
            }

            var left = _end - Stopwatch.GetTimestamp();
            return left <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((double)left / Stopwatch.Frequency);
        }
    }
}
