namespace Weft.Download;

/// <summary>The wait before a retry: exponential back-off with full jitter (AWS's "Exponential Backoff And
/// Jitter"), uniform in [0, min(cap, base x 2^k)], but never sooner than the server's <c>Retry-After</c>,
/// which is honoured whole (a longer one than <see cref="DownloadOptions.MaxRetryAfter"/> fails the URL
/// before this is asked).</summary>
internal static class RetryDelay
{
    public static TimeSpan Of(int attempt, TimeSpan? retryAfter, TimeSpan baseDelay, TimeSpan cap, double random)
    {
        var ceiling = Math.Min(cap.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30)));
        var delay = TimeSpan.FromMilliseconds(random * ceiling);
        return retryAfter is { } wanted && wanted > delay ? wanted : delay;
    }
}
