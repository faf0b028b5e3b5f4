using System.Globalization;

namespace Weft.Download;

/// <content>The ranges of <see cref="DownloadOptions"/>, checked in one place before any request.</content>
public sealed partial record DownloadOptions
{
    /// <summary>The most downloads at once (and the most <see cref="PerHost"/>).</summary>
    public const int MaxConcurrency = 1024;

    /// <summary>The most <see cref="Retries"/>.</summary>
    public const int MaxRetries = 100;

    /// <summary>The most <see cref="MaxRedirects"/>.</summary>
    public const int RedirectsLimit = 50;

    /// <summary>The shortest timeout or time window accepted: 1 ms (a shorter one rounds to nothing).</summary>
    public static readonly TimeSpan ShortestTime = TimeSpan.FromMilliseconds(1);

    /// <summary>The longest timeout or time window accepted: 24 days (.NET timers stop at 2^31 - 1 ms,
    /// 24.8 days; a longer one would fail every URL instead of waiting).</summary>
    public static readonly TimeSpan LongestTime = TimeSpan.FromDays(24);

    /// <summary>Checks every count and time against its range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">One is out of range; the message names the property, the range and the value.</exception>
    /// <exception cref="ArgumentException"><see cref="OutputDirectory"/> is empty, or <see cref="User"/> or <see cref="UserAgent"/> is not one line.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(OutputDirectory))
        {
            throw new ArgumentException("OutputDirectory is empty: name a directory ('.' for the current one).", nameof(OutputDirectory));
        }

        CheckWhole(nameof(Concurrency), Concurrency, 1, MaxConcurrency);
        CheckWhole(nameof(PerHost), PerHost, 1, MaxConcurrency);
        CheckWhole(nameof(Retries), Retries, 0, MaxRetries);
        CheckWhole(nameof(MaxRedirects), MaxRedirects, 0, RedirectsLimit);
        CheckWhole(nameof(SpeedLimit), SpeedLimit, 1, long.MaxValue);
        CheckWhole(nameof(MaxSize), MaxSize, 1, long.MaxValue);
        CheckWhole(nameof(LimitRate), LimitRate, 1, long.MaxValue);
        CheckTime(nameof(IdleTimeout), IdleTimeout);
        CheckTime(nameof(ConnectTimeout), ConnectTimeout);
        CheckTime(nameof(SpeedTime), SpeedTime);
        CheckTime(nameof(MaxTime), MaxTime);
        CheckTime(nameof(RetryMaxDelay), RetryMaxDelay);
        CheckTime(nameof(RetryBaseDelay), RetryBaseDelay);
        CheckTime(nameof(MaxRetryAfter), MaxRetryAfter);
        CheckOneLine(nameof(UserAgent), UserAgent);
        CheckOneLine(nameof(User), User);
    }

    private static void CheckWhole(string name, long? value, long min, long max)
    {
        if (value is { } v && (v < min || v > max))
        {
            throw new ArgumentOutOfRangeException(name, v, string.Create(CultureInfo.InvariantCulture, $"{name} must be from {min} to {max}, not {v}."));
        }
    }

    private static void CheckTime(string name, TimeSpan? value)
    {
        if (value is { } v && (v < ShortestTime || v > LongestTime))
        {
            throw new ArgumentOutOfRangeException(name, v, string.Create(CultureInfo.InvariantCulture, $"{name} must be from {ShortestTime.TotalSeconds} s to {LongestTime.TotalSeconds} s, not {v.TotalSeconds} s."));
        }
    }

    private static void CheckOneLine(string name, string? value)
    {
        if (value is not null && (value.Length == 0 || value.AsSpan().ContainsAny('\r', '\n', '\0')))
        {
            throw new ArgumentException($"{name} must be one non-empty line.", name);
        }
    }
}
