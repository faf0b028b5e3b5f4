using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Polly;
using Polly.Retry;

namespace Weft.Download;

/// <summary>
/// Downloads a list of URLs the way the tutorial does (a <see cref="ThreadPoolExecutor"/> of workers,
/// one per download) but safely: one shared <see cref="HttpClient"/>, a bounded work queue, per-host
/// limits, retries with jittered back-off, idle timeouts, <c>.part</c> files renamed only when
/// verified, resume with <c>Range</c>/<c>If-Range</c>, and hostile-name-proof file names.
/// </summary>
/// <remarks>
/// <para>Python: the tutorial's <c>with ThreadPoolExecutor() as executor: executor.map(download_image, img_urls)</c>.</para>
/// <para>Thread safety: <see cref="GetProgress"/> may be called from any thread during a run; one run at a time.</para>
/// </remarks>
public sealed partial class Downloader : IDisposable
{
    private readonly DownloadOptions _options;
    private readonly HttpClient _client;
    private readonly ResiliencePipeline _pipeline;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<PlannedDownload, Transfer> _active = new();
    private readonly ConcurrentDictionary<string, Uri> _claimedNames = new(StringComparer.OrdinalIgnoreCase);
    private readonly Stopwatch _clock = new();
    private int _total;
    private int _done;
    private int _failed;
    private long _bytes;

    /// <summary>Creates a downloader; it owns one <see cref="HttpClient"/> until disposed.</summary>
    /// <param name="options">The settings; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count or time is out of range.</exception>
    public Downloader(DownloadOptions? options = null)
    {
        _options = options ?? new DownloadOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.Concurrency, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(_options.Retries, nameof(options));
        if (_options.PerHost is { } perHost)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perHost, nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.IdleTimeout, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.ConnectTimeout, TimeSpan.Zero, nameof(options));

        var handler = new SocketsHttpHandler
        {
            // The pool follows -j and --per-host, so workers never fight over connections.
            MaxConnectionsPerServer = Math.Min(_options.PerHost ?? _options.Concurrency, _options.Concurrency),
            ConnectTimeout = _options.ConnectTimeout,
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 10, // SocketsHttpHandler never follows https -> http
            AutomaticDecompression = DecompressionMethods.None, // the bytes on disk are the bytes served
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };
        _client = new HttpClient(handler)
        {
            Timeout = Timeout.InfiniteTimeSpan,
            // HTTP/2 when the server offers it (ALPN over TLS); plain http stays on HTTP/1.1 keep-alive.
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd(_options.UserAgent);
        _pipeline = BuildPipeline(_options);
    }

    /// <summary>Gets the shared client (also used to fetch a list given as a URL).</summary>
    internal HttpClient Client => _client;

    /// <summary>Takes a snapshot of the run in progress.</summary>
    /// <returns>Files done and total, bytes, rate and the active downloads.</returns>
    public DownloadProgress GetProgress()
    {
        var active = _active.Values.Select(t => new ActiveDownload(t.Name, Interlocked.Read(ref t.Bytes), t.Length, t.Attempt)).ToArray();
        return new DownloadProgress(Volatile.Read(ref _total), Volatile.Read(ref _done), Volatile.Read(ref _failed), Interlocked.Read(ref _bytes), _clock.Elapsed, active);
    }

    /// <summary>Downloads every request, at most <see cref="DownloadOptions.Concurrency"/> at once, on a
    /// <see cref="ThreadPoolExecutor"/>; never more than twice that many are queued, so a huge list
    /// does not create a future per URL up front.</summary>
    /// <param name="requests">The URLs; the same URL twice is downloaded once.</param>
    /// <param name="onResult">Called once per URL with its outcome, from a worker thread.</param>
    /// <param name="cancellationToken">Stops the run promptly; <c>.part</c> files are kept for resume.</param>
    /// <returns>The totals; <see cref="DownloadSummary.ExitCode"/> is what <c>weft get</c> exits with.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="requests"/> is null.</exception>
    /// <exception cref="IOException">The output directory cannot be created.</exception>
    public async Task<DownloadSummary> RunAsync(IReadOnlyList<DownloadRequest> requests, Action<DownloadResult>? onResult = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        Directory.CreateDirectory(_options.OutputDirectory);
        var plans = Plan(requests, _options).Where(p => !p.Duplicate).ToArray();
        foreach (var plan in plans)
        {
            _claimedNames.TryAdd(plan.Name, plan.Request.Url);
        }

        Volatile.Write(ref _done, 0);
        Volatile.Write(ref _failed, 0);
        Interlocked.Exchange(ref _bytes, 0);
        var counts = new int[4];
        long bytes = 0;
        Volatile.Write(ref _total, plans.Length);
        _clock.Restart();
        var window = Math.Max(2, _options.Concurrency * 2);
        using var slots = new SemaphoreSlim(window);
        var executor = new ThreadPoolExecutor(_options.Concurrency, _options.ExecutorName);
        await using (executor.ConfigureAwait(false))
        {
            foreach (var plan in plans)
            {
                try
                {
                    await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                var future = executor.Submit(() =>
                {
                    var result = DownloadOne(plan, cancellationToken);
                    Interlocked.Increment(ref counts[(int)result.Status]);
                    if (result.Status == DownloadStatus.Saved)
                    {
                        Interlocked.Add(ref bytes, result.Bytes);
                    }

                    Interlocked.Increment(ref _done);
                    if (result.Status == DownloadStatus.Failed)
                    {
                        Interlocked.Increment(ref _failed);
                    }

                    onResult?.Invoke(result);
                    return result;
                });
                future.AddDoneCallback(_ => slots.Release());
            }

            // Every slot back means every submitted download has reported.
            for (var i = 0; i < window; i++)
            {
                await slots.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        _clock.Stop();
        var reported = counts.Sum();
        return new DownloadSummary
        {
            Total = plans.Length,
            Saved = counts[(int)DownloadStatus.Saved],
            Skipped = counts[(int)DownloadStatus.Skipped],
            Failed = counts[(int)DownloadStatus.Failed],
            Cancelled = counts[(int)DownloadStatus.Cancelled] + (plans.Length - reported),
            Bytes = bytes,
            Elapsed = _clock.Elapsed,
            Interrupted = cancellationToken.IsCancellationRequested,
        };
    }

    /// <summary>Releases the HTTP client.</summary>
    public void Dispose() => _client.Dispose();

    private static ResiliencePipeline BuildPipeline(DownloadOptions options)
    {
        var builder = new ResiliencePipelineBuilder();
        if (options.Retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.Retries,
                ShouldHandle = new PredicateBuilder().Handle<DownloadFailedException>(e => e.Transient),
                DelayGenerator = args =>
                {
                    // Full jitter (AWS's "Exponential Backoff And Jitter"): uniform in [0, min(cap, base * 2^k)],
                    // but never sooner than a (capped) Retry-After.
                    var ceiling = Math.Min(options.RetryMaxDelay.TotalMilliseconds, options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, args.AttemptNumber));
                    var delay = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
                    if (args.Outcome.Exception is DownloadFailedException { RetryAfter: { } retryAfter })
                    {
                        var honoured = retryAfter < options.MaxRetryAfter ? retryAfter : options.MaxRetryAfter;
                        delay = honoured > delay ? honoured : delay;
                    }

                    return new ValueTask<TimeSpan?>(delay);
                },
            });
        }

        return builder.Build();
    }

    private SemaphoreSlim? HostGate(Uri url) =>
        _options.PerHost is { } perHost
            ? _hosts.GetOrAdd($"{url.Scheme}://{url.Authority}", _ => new SemaphoreSlim(perHost))
            : null;

    /// <summary>One download's live state, shared by its attempts.</summary>
    private sealed class Transfer(string name)
    {
        public long Bytes;

        public string Name { get; set; } = name;

        public long? Length { get; set; }

        public int Attempt { get; set; }

        public int? HttpStatus { get; set; }

        public string? Validator { get; set; }

        public string? FinalName { get; set; }

        public bool ExistingChecked { get; set; }

        public bool OverwriteExisting { get; set; }

        public bool Skipped { get; set; }

        public string? SkipReason { get; set; }

        public string? FinalPath { get; set; }

        public long FileBytes { get; set; }
    }
}
