namespace Weft.Download;

/// <summary>One attempt failed; <see cref="Transient"/> says whether a retry may help.</summary>
internal sealed class DownloadFailedException : Exception
{
    public DownloadFailedException()
    {
    }

    public DownloadFailedException(string message)
        : base(message)
    {
    }

    public DownloadFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DownloadFailedException(string message, bool transient, Exception? innerException = null, TimeSpan? retryAfter = null, bool keepPart = true)
        : base(message, innerException)
    {
        Transient = transient;
        RetryAfter = retryAfter;
        KeepPart = keepPart;
    }

    /// <summary>408, 425, 429, 5xx, resets, short bodies, timeouts: worth another attempt.</summary>
    public bool Transient { get; }

    /// <summary>The server's <c>Retry-After</c>, if any.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Whether the <c>.part</c> file is worth keeping for a resume.</summary>
    public bool KeepPart { get; } = true;

    /// <summary>Whether the <c>.part</c>'s bytes cannot be continued (another version, a wrong range): the
    /// next attempt starts from byte 0.</summary>
    public bool Restart { get; init; }

    /// <summary>Whether the host asked to slow down (429, 503): its other URLs wait too.</summary>
    public bool BackPressure { get; init; }

    /// <summary>Whether every other download would fail the same way (a full disk): the run stops.</summary>
    public bool StopsRun { get; init; }
}
