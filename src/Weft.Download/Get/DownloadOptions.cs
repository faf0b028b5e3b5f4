namespace Weft.Download;

/// <summary>Settings for <see cref="Downloader"/>; the defaults are the safe ones <c>weft get</c> uses.</summary>
/// <remarks>The one source of truth for defaults and ranges: <c>weft get</c> reads its defaults from a
/// <c>new DownloadOptions()</c> and its ranges from the constants here, and <see cref="Validate"/> checks
/// them before any request. Python: the keyword arguments of the tutorial's <c>download_image</c>.</remarks>
public sealed partial record DownloadOptions
{
    /// <summary>Gets the directory the files are written to (created when missing).</summary>
    /// <value>The current directory by default.</value>
    public string OutputDirectory { get; init; } = ".";

    /// <summary>Gets the number of downloads at once (the worker threads of the executor).</summary>
    /// <value>8 by default; 1 to <see cref="MaxConcurrency"/>.</value>
    public int Concurrency { get; init; } = 8;

    /// <summary>Gets the most requests at once to one host (scheme, host and port), across all files.</summary>
    /// <value><see langword="null"/> by default: only <see cref="Concurrency"/> limits.</value>
    public int? PerHost { get; init; }

    /// <summary>Gets the retries after the first attempt, for 408, 425, 429, 5xx, resets, short bodies
    /// and timeouts; other 4xx fail at once.</summary>
    /// <value>3 by default; 0 to <see cref="MaxRetries"/>.</value>
    public int Retries { get; init; } = 3;

    /// <summary>Gets the cap of the exponential back-off (full jitter) between retries.</summary>
    /// <value>10 seconds by default.</value>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets the base of the back-off: retry k waits a random time up to base x 2^k.</summary>
    /// <value>250 ms by default.</value>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Gets the longest <c>Retry-After</c> honoured; a longer one is cut to this.</summary>
    /// <value>5 minutes by default. A server asking for a longer wait fails the URL, saying so (it is
    /// never retried early behind the server's back).</value>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets the connect timeout.</summary>
    /// <value>10 seconds by default.</value>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets the idle timeout: the longest wait for response headers or for the next bytes of
    /// a body. A stalled body is abandoned and retried with <c>Range</c>.</summary>
    /// <value>30 seconds by default.</value>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets the low-speed limit in bytes per second (curl's <c>--speed-limit</c>): an attempt
    /// slower than this over <see cref="SpeedTime"/> is abandoned and retried.</summary>
    /// <value><see langword="null"/> (no limit) by default.</value>
    public long? SpeedLimit { get; init; }

    /// <summary>Gets the window of <see cref="SpeedLimit"/> (curl's <c>--speed-time</c>).</summary>
    /// <value>30 seconds by default.</value>
    public TimeSpan SpeedTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets the longest time one file may take, all attempts together (curl's <c>--max-time</c>);
    /// past it the file fails and is not retried.</summary>
    /// <value><see langword="null"/> (no limit) by default.</value>
    public TimeSpan? MaxTime { get; init; }

    /// <summary>Gets the most redirects followed per request; 0 follows none. A redirect from https to
    /// http is never followed.</summary>
    /// <value>10 by default; 0 to <see cref="RedirectsLimit"/>.</value>
    public int MaxRedirects { get; init; } = 10;

    /// <summary>Gets extra request headers sent with every request (<c>-H "Name: value"</c>).</summary>
    /// <value>None by default.</value>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>Gets the largest file accepted, checked against <c>Content-Length</c> and while streaming.</summary>
    /// <value><see langword="null"/> (no limit) by default.</value>
    public long? MaxSize { get; init; }

    /// <summary>Gets what to do when the final name already exists.</summary>
    /// <value><see cref="OnExists.Keep"/> by default: a file is only ever replaced when weft itself left it
    /// there; anyone else's file is kept and a different download saved under a new name.</value>
    public OnExists OnExists { get; init; } = OnExists.Keep;

    /// <summary>Gets a value indicating whether a URL whose planned name exists (a file, a directory or a
    /// link) is skipped without any request (curl's <c>--skip-existing</c>).</summary>
    /// <value><see langword="false"/> by default.</value>
    public bool SkipExisting { get; init; }

    /// <summary>Gets the credentials <c>user:password</c> sent as HTTP Basic auth to every URL without its own
    /// (curl's <c>-u</c>); a URL's own <c>user:password@</c> wins. Never written to disk.</summary>
    /// <value><see langword="null"/> by default.</value>
    public string? User { get; init; }

    /// <summary>Gets a value indicating whether <c>Authorization</c>, <c>Cookie</c>, <c>Proxy-Authorization</c>
    /// and the credentials are sent on after a redirect to another scheme, host or port (curl's
    /// <c>--location-trusted</c>). Without it they are sent only to the URL's own origin.</summary>
    /// <value><see langword="false"/> by default.</value>
    public bool LocationTrusted { get; init; }

    /// <summary>Gets the most bytes per second one file is read at (curl's <c>--limit-rate</c>, per transfer).</summary>
    /// <value><see langword="null"/> (no limit) by default.</value>
    public long? LimitRate { get; init; }

    /// <summary>Gets a value indicating whether a saved file's modification time is the server's
    /// <c>Last-Modified</c> (curl's <c>-R/--remote-time</c>).</summary>
    /// <value><see langword="false"/> by default.</value>
    public bool RemoteTime { get; init; }

    /// <summary>Gets a value indicating whether <c>.part</c> files left by an earlier run are continued
    /// with <c>Range</c> (within one run, a retry always continues its own <c>.part</c>).</summary>
    /// <value><see langword="false"/> by default: an old <c>.part</c> is started over.</value>
    public bool Resume { get; init; }

    /// <summary>Gets expected sha256 hashes (hex) by the URL's planned file name (see <see cref="Downloader.Plan"/>)
    /// or by the URL itself, e.g. from <see cref="ChecksumManifest.Parse"/>; never by the name a file ends
    /// up with, so a server-supplied or renamed file is checked all the same.</summary>
    /// <value><see langword="null"/> by default.</value>
    public IReadOnlyDictionary<string, string>? Checksums { get; init; }

    /// <summary>Gets the <c>User-Agent</c> sent.</summary>
    /// <value><c>weft/0.1</c> by default.</value>
    public string UserAgent { get; init; } = "weft/0.1";

    /// <summary>Gets a value indicating whether each file is flushed to the disk (fsync) before the
    /// rename that gives it its final name, so a crash never leaves a final name on missing bytes.</summary>
    /// <value><see langword="true"/> by default.</value>
    public bool Fsync { get; init; } = true;

    /// <summary>Gets the clock for back-off, timeouts and the speed limit (tests pass a fake one).</summary>
    internal TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Gets how a new <c>.part</c> file is created (tests inject a full disk).</summary>
    internal Func<string, FileStream> OpenPart { get; init; } = PartFile.Create;

    /// <summary>Gets the name of the run's executor (its metrics tag and worker-name prefix).</summary>
    internal string ExecutorName { get; init; } = "weft-get";
}
