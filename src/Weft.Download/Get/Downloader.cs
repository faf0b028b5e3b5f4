using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Runtime.ExceptionServices;

namespace Weft.Download;

/// <summary>
/// Downloads a list of URLs the way the tutorial does (a <see cref="ThreadPoolExecutor"/> of workers,
/// one per download) but safely: one shared <see cref="HttpClient"/>, per-host limits that never hold a
/// worker, retries with jittered back-off, idle, low-speed and per-file timeouts, <c>.part</c> files
/// renamed only when verified, resume with <c>Range</c>/<c>If-Range</c>, conditional re-runs, existing
/// files never replaced unless weft left them, and hostile-name-proof file names.
/// </summary>
/// <remarks>
/// <para>Python: the tutorial's <c>with ThreadPoolExecutor() as executor: executor.map(download_image, img_urls)</c>.</para>
/// <para>Thread safety: <see cref="GetProgress"/> may be called from any thread during a run; one run at a time.</para>
/// </remarks>
public sealed partial class Downloader : IDisposable
{
    private readonly DownloadOptions _options;
    private readonly HttpClient _client;
    private readonly ConcurrentDictionary<Transfer, byte> _active = new();
    private readonly ConcurrentDictionary<string, Uri> _claimedNames = new(StringComparer.OrdinalIgnoreCase);
    private readonly Stopwatch _clock = new();
    private int _total;
    private int _done;
    private int _failed;
    private long _bytes;

    /// <summary>Creates a downloader; it owns one <see cref="HttpClient"/> until disposed.</summary>
    /// <param name="options">The settings; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count or time is out of range (<see cref="DownloadOptions.Validate"/>).</exception>
    /// <exception cref="ArgumentException"><see cref="DownloadOptions.OutputDirectory"/> is empty.</exception>
    public Downloader(DownloadOptions? options = null)
    {
        _options = options ?? new DownloadOptions();
        _options.Validate();

        // Resolved once: every name is checked against it, and a relative path would ask the kernel
        // for the working directory on each check (and move with it).
        _options = _options with { OutputDirectory = Path.GetFullPath(_options.OutputDirectory) };
        var handler = new SocketsHttpHandler
        {
            // The pool follows -j and --per-host, so workers never fight over connections.
            MaxConnectionsPerServer = Math.Min(_options.PerHost ?? _options.Concurrency, _options.Concurrency),
            ConnectTimeout = _options.ConnectTimeout,
            // Redirects are followed by weft itself, with curl's rules for credentials (see SendFollowingAsync).
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None, // the bytes on disk are the bytes served
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            UseCookies = false,
        };
        _client = new HttpClient(handler)
        {
            Timeout = Timeout.InfiniteTimeSpan,
            // HTTP/2 when the server offers it (ALPN over TLS); plain http stays on HTTP/1.1 keep-alive.
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        _client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", _options.UserAgent);
    }

    /// <summary>Gets the shared client (also used to fetch a list given as a URL).</summary>
    internal HttpClient Client => _client;

    /// <summary>Takes a snapshot of the run in progress.</summary>
    /// <returns>Files done and total, bytes, rate and the active downloads.</returns>
    public DownloadProgress GetProgress()
    {
        var active = _active.Keys.Select(t => new ActiveDownload(t.Name, Interlocked.Read(ref t.Bytes), t.Length, t.Attempt)).ToArray();
        return new DownloadProgress(Volatile.Read(ref _total), Volatile.Read(ref _done), Volatile.Read(ref _failed), Interlocked.Read(ref _bytes), _clock.Elapsed, active);
    }

    /// <summary>Downloads every request, at most <see cref="DownloadOptions.Concurrency"/> at once, on a
    /// <see cref="ThreadPoolExecutor"/>. A worker is given only a URL that can start now: one waiting for
    /// its host's slot (<see cref="DownloadOptions.PerHost"/>) or for a retry back-off waits here, not on
    /// a worker, so other hosts keep every worker busy. At most <see cref="DownloadOptions.Concurrency"/>
    /// futures exist at a time, however long the list.</summary>
    /// <param name="requests">The URLs; the same URL twice is downloaded once.</param>
    /// <param name="onResult">Called once per URL with its outcome, one call at a time; if it throws, the
    /// run still finishes and the first such exception is rethrown at the end.</param>
    /// <param name="cancellationToken">Stops the run promptly; <c>.part</c> files are kept for resume.</param>
    /// <returns>The totals; <see cref="DownloadSummary.ExitCode"/> is what <c>weft get</c> exits with.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="requests"/> is null.</exception>
    /// <exception cref="IOException">The output directory cannot be created.</exception>
    public async Task<DownloadSummary> RunAsync(IReadOnlyList<DownloadRequest> requests, Action<DownloadResult>? onResult = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        Directory.CreateDirectory(_options.OutputDirectory);
        var schedule = new HostSchedule(_options.PerHost);
        var total = 0;
        foreach (var plan in PlanStoppable(requests, _options, cancellationToken).Where(p => !p.Duplicate))
        {
            _claimedNames.TryAdd(plan.Name, plan.Request.Url);
            schedule.Add(new Transfer(plan, total++, ExpectedSha256(plan)));
        }

        Volatile.Write(ref _done, 0);
        Volatile.Write(ref _failed, 0);
        Interlocked.Exchange(ref _bytes, 0);
        Volatile.Write(ref _total, total);
        _clock.Restart();
        var tally = new Tally(onResult, this);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var executor = new ThreadPoolExecutor(_options.Concurrency, _options.ExecutorName);
        await using (executor.ConfigureAwait(false))
        {
            // fsync and rename run on workers of their own, so a slow disk never holds a download worker.
            var committer = new ThreadPoolExecutor(Math.Min(4, _options.Concurrency), _options.ExecutorName + "-commit");
            await using (committer.ConfigureAwait(false))
            {
                await new Dispatch(this, schedule, tally, executor, committer, stop).RunAsync().ConfigureAwait(false);
            }
        }

        foreach (var left in schedule.TakeAll())
        {
            var why = tally.StopReason is { } reason ? $"stopped: {reason}" : "interrupted";
            tally.Add(Cancelled(left, left.Attempt == 0 ? $"not started: {why}"
                : PartKept(left, $"{why} while waiting to retry after {left.Attempt} attempt(s) (last: {left.LastError})")));
        }

        _clock.Stop();
        tally.ThrowIfCallbackFailed();
        return tally.Summary(total, _clock.Elapsed, cancellationToken.IsCancellationRequested);
    }

    /// <summary>Releases the HTTP client.</summary>
    public void Dispose() => _client.Dispose();

    private string? ExpectedSha256(PlannedDownload plan) =>
        plan.Request.Sha256
        ?? (_options.Checksums is { } sums
            ? sums.GetValueOrDefault(plan.Name) ?? sums.GetValueOrDefault(plan.Request.Url.AbsoluteUri)
            : null);

    /// <summary>How one attempt ended: a final result, a verified file to commit, or a retry after
    /// <see cref="RetryAfter"/>.</summary>
    /// <param name="Result">The URL's result, when it is done.</param>
    /// <param name="RetryAfter">The back-off before the next attempt, when it is not.</param>
    /// <param name="StopReason">Why the whole run must stop (a full disk).</param>
    /// <param name="Commit">A verified <c>.part</c> to commit.</param>
    /// <param name="HostPause">How long the host's other URLs wait too (it answered 429 or 503).</param>
    private readonly record struct AttemptOutcome(DownloadResult? Result, TimeSpan RetryAfter, string? StopReason = null, Commit? Commit = null, TimeSpan? HostPause = null);

    /// <summary>The run's counts, fed by the dispatch loop alone (no lock needed).</summary>
    private sealed class Tally(Action<DownloadResult>? onResult, Downloader owner)
    {
        private readonly int[] _counts = new int[4];
        private long _written;
        private ExceptionDispatchInfo? _callbackError;

        public string? StopReason { get; set; }

        public void Add(DownloadResult result)
        {
            _counts[(int)result.Status]++;
            _written += result.Written;
            Interlocked.Increment(ref owner._done);
            if (result.Status == DownloadStatus.Failed)
            {
                Interlocked.Increment(ref owner._failed);
            }

            try
            {
                onResult?.Invoke(result);
            }
#pragma warning disable CA1031 // The caller's callback must not stop the run half-way (workers would be lost); its first error is rethrown at the end.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _callbackError ??= ExceptionDispatchInfo.Capture(e);
            }
        }

        /// <summary>Rethrows the first exception of the caller's <c>onResult</c>, after the run.</summary>
        public void ThrowIfCallbackFailed() => _callbackError?.Throw();

        public DownloadSummary Summary(int total, TimeSpan elapsed, bool interrupted) => new()
        {
            Total = total,
            Saved = _counts[(int)DownloadStatus.Saved],
            Skipped = _counts[(int)DownloadStatus.Skipped],
            Failed = _counts[(int)DownloadStatus.Failed],
            Cancelled = _counts[(int)DownloadStatus.Cancelled],
            Bytes = _written,
            Elapsed = elapsed,
            Interrupted = interrupted,
            StopReason = StopReason,
        };
    }
}
