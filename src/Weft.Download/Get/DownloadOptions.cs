namespace Weft.Download;

/// <summary>Settings for <see cref="Downloader"/>; the defaults are the safe ones <c>weft get</c> uses.</summary>
public sealed record DownloadOptions
{
    /// <summary>Gets the directory the files are written to (created when missing).</summary>
    /// <value>The current directory by default.</value>
    public string OutputDirectory { get; init; } = ".";

    /// <summary>Gets the number of downloads at once (the worker threads of the executor).</summary>
    /// <value>8 by default.</value>
    public int Concurrency { get; init; } = 8;

    /// <summary>Gets the most requests at once to one host (scheme, host and port), across all files.</summary>
    /// <value><see langword="null"/> by default: only <see cref="Concurrency"/> limits.</value>
    public int? PerHost { get; init; }

    /// <summary>Gets the retries after the first attempt, for 408, 425, 429, 5xx, resets, short bodies
    /// and timeouts; other 4xx fail at once.</summary>
    /// <value>3 by default.</value>
    public int Retries { get; init; } = 3;

    /// <summary>Gets the cap of the exponential back-off (full jitter) between retries.</summary>
    /// <value>10 seconds by default.</value>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets the base of the back-off: retry k waits a random time up to base x 2^k.</summary>
    /// <value>250 ms by default.</value>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Gets the longest <c>Retry-After</c> honoured; a longer one is cut to this.</summary>
    /// <value>30 seconds by default.</value>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets the connect timeout.</summary>
    /// <value>10 seconds by default.</value>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets the idle timeout: the longest wait for response headers or for the next bytes of
    /// a body. A stalled body is abandoned and retried with <c>Range</c>.</summary>
    /// <value>30 seconds by default.</value>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets the largest file accepted, checked against <c>Content-Length</c> and while streaming.</summary>
    /// <value><see langword="null"/> (no limit) by default.</value>
    public long? MaxSize { get; init; }

    /// <summary>Gets what to do when the final name already exists.</summary>
    /// <value><see cref="OnExists.Skip"/> (skip when complete) by default.</value>
    public OnExists OnExists { get; init; } = OnExists.Skip;

    /// <summary>Gets a value indicating whether <c>.part</c> files left by an earlier run are continued
    /// with <c>Range</c> (within one run, a retry always continues its own <c>.part</c>).</summary>
    /// <value><see langword="false"/> by default: an old <c>.part</c> is started over.</value>
    public bool Resume { get; init; }

    /// <summary>Gets expected sha256 hashes (hex) by final file name, e.g. from
    /// <see cref="ChecksumManifest.Parse"/>.</summary>
    /// <value><see langword="null"/> by default.</value>
    public IReadOnlyDictionary<string, string>? Checksums { get; init; }

    /// <summary>Gets the <c>User-Agent</c> sent.</summary>
    /// <value><c>weft/0.1</c> by default.</value>
    public string UserAgent { get; init; } = "weft/0.1";

    /// <summary>Gets the name of the run's executor (its metrics tag and worker-name prefix).</summary>
    internal string ExecutorName { get; init; } = "weft-get";
}
