using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Weft.Images;

/// <summary>
/// The built-in image server: Kestrel on 127.0.0.1 serving generated PNGs under <c>/img/{n}.png</c>
/// and their URLs under <c>/list.txt</c>, with latency, a bandwidth cap, Range/ETag support and
/// fault injection (500s, 429s, resets mid-body, stalled bodies). Used by <c>weft serve</c>, the demo,
/// the lab and the tests, so nothing needs the internet.
/// </summary>
/// <remarks>
/// <para>Test helpers: <c>/bad/{name}?...</c> misbehaves as its query says (see <see cref="VersionedBytes"/>'s
/// file); <c>/img/{n}.png?cd=VALUE</c> answers with <c>Content-Disposition: VALUE</c>;
/// <c>/status/{code}</c> always answers that status; <c>/hops/{k}/{n}</c> redirects k times to image n;
/// <c>If-None-Match</c>/<c>If-Modified-Since</c> get a 304; a <c>Range</c> past the end gets a 416;
/// <see cref="ImageServerOptions.BytesPerSecond"/> trickles bodies; <see cref="RequestLog"/> records every
/// request with its <c>Host</c> (the server answers as 127.0.0.1 and as localhost alike).</para>
/// <para>Images are rendered before the server starts listening when they fit in
/// <see cref="PrerenderBytes"/> together (else on first request), so that a timed download measures the
/// client and the network, not the server drawing PNGs on the same cores.</para>
/// <para>Thread safety: the counters may be read from any thread while the server runs.</para>
/// </remarks>
[DebuggerDisplay("{BaseAddress}: requests={Requests}, maxInFlight={MaxInFlight}")]
public sealed partial class ImageServer : IAsyncDisposable
{
    /// <summary>The most image bytes rendered up front (256 MiB); a larger set is rendered on first request.</summary>
    public const long PrerenderBytes = 256L * 1024 * 1024;

    private readonly WebApplication _app;
    private readonly ImageServerOptions _options;
    private readonly Lazy<byte[]>[] _images;
    private readonly Fault[] _faults;
    private readonly ConcurrentDictionary<int, int> _faultsServed = new();
    private readonly ConcurrentQueue<ServedRequest> _log = new();
    private long _requests;
    private int _inFlight;
    private int _maxInFlight;
    private long _rangeRequests;
    private long _faultCount;

    private ImageServer(WebApplication app, ImageServerOptions options)
    {
        _app = app;
        _options = options;
        _images = new Lazy<byte[]>[options.Files];
        for (var i = 0; i < options.Files; i++)
        {
            var n = i + 1;
            _images[i] = new Lazy<byte[]>(() => PngImages.Create(n, options.Size));
        }

        _faults = PlanFaults(options);
        BaseAddress = null!;
        ImageUris = [];
    }

    /// <summary>Gets the server's root, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseAddress { get; private set; }

    /// <summary>Gets the address of the URL list, <see cref="BaseAddress"/> + <c>list.txt</c>.</summary>
    public Uri ListUri => new(BaseAddress, "list.txt");

    /// <summary>Gets the address of every image, in order.</summary>
    public IReadOnlyList<Uri> ImageUris { get; private set; }

    /// <summary>Gets the most requests that were in flight at once so far (latency included).</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Gets the requests in flight now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Gets the number of requests received so far.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Gets the number of requests that carried a <c>Range</c> header.</summary>
    public long RangeRequests => Interlocked.Read(ref _rangeRequests);

    /// <summary>Gets the number of faults injected so far.</summary>
    public long FaultsInjected => Interlocked.Read(ref _faultCount);

    /// <summary>Gets every request answered so far, in the order they ended.</summary>
    public IReadOnlyList<ServedRequest> RequestLog => _log.ToArray();

    /// <summary>Gets the options the server runs with.</summary>
    public ImageServerOptions Options => _options;

    /// <summary>Starts a server on 127.0.0.1.</summary>
    /// <param name="options">What to serve.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it to stop.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count, size or rate is out of range.</exception>
    /// <exception cref="IOException">The port is in use.</exception>
    public static async Task<ImageServer> StartAsync(ImageServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Files);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Size);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, 65535);
        ArgumentOutOfRangeException.ThrowIfNegative(options.BytesPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegative(options.FaultTimes);
        foreach (var rate in new[] { options.FailRate, options.RateLimitRate, options.ResetRate, options.StallRate })
        {
            ArgumentOutOfRangeException.ThrowIfNegative(rate);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(rate, 1.0);
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, options.Port);
            k.AddServerHeader = false;
            // Stalls and bandwidth caps are ours to inject: Kestrel must not cut slow responses itself.
            k.Limits.MinResponseDataRate = null;
            k.Limits.MaxConcurrentConnections = null;
        });
        var app = builder.Build();
        var server = new ImageServer(app, options);
        server.Prerender(cancellationToken);
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        server.ImageUris = Enumerable.Range(1, options.Files).Select(n => new Uri(server.BaseAddress, $"img/{n}.png")).ToArray();
        return server;
    }

    /// <summary>Gets how many images have been rendered so far.</summary>
    internal int RenderedImages => _images.Count(i => i.IsValueCreated);

    private void Prerender(CancellationToken cancellationToken)
    {
        if ((long)_options.Files * _options.Size <= PrerenderBytes)
        {
            Parallel.For(0, _images.Length, new ParallelOptions { CancellationToken = cancellationToken }, i => _ = _images[i].Value);
        }
    }

    /// <summary>Gets the bytes of image <paramref name="number"/> (1-based), as served.</summary>
    /// <param name="number">The image number, 1 to <see cref="ImageServerOptions.Files"/>.</param>
    /// <returns>The PNG bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException">No such image.</exception>
    public byte[] GetImage(int number)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(number, _options.Files);
        return _images[number - 1].Value;
    }

    /// <summary>Stops the server, aborting requests still running.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            try
            {
                await _app.StopAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stalled responses are abandoned; disposing the host below closes their connections.
            }
        }

        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _requests);
        var now = Interlocked.Increment(ref _inFlight);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
        {
        }

        try
        {
            if (_options.Latency > TimeSpan.Zero)
            {
                await Task.Delay(_options.Latency, context.RequestAborted).ConfigureAwait(false);
            }

            await RouteAsync(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            _log.Enqueue(new ServedRequest(context.Request.Host.Value ?? string.Empty, context.Request.Path + context.Request.QueryString, headers, started, Stopwatch.GetTimestamp(), context.Response.StatusCode));
        }
    }

    private Task RouteAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (path == "/list.txt")
        {
            var text = new StringBuilder();
            foreach (var uri in ImageUris)
            {
                text.Append(uri.AbsoluteUri).Append('\n');
            }

            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync(text.ToString(), context.RequestAborted);
        }

        if (path.StartsWith("/status/", StringComparison.Ordinal)
            && int.TryParse(path.AsSpan(8), NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 200 and <= 599)
        {
            context.Response.StatusCode = code;
            if (code == 429)
            {
                context.Response.Headers.RetryAfter = RetryAfterSeconds();
            }

            return context.Response.WriteAsync($"status {code}\n", context.RequestAborted);
        }

        if (path.StartsWith("/bad/", StringComparison.Ordinal))
        {
            return ServeMisbehavingAsync(context);
        }

        if (path.StartsWith("/hops/", StringComparison.Ordinal))
        {
            // /hops/K/N redirects K times, then to /img/N.png.
            var parts = path.Split('/');
            if (parts.Length == 4 && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var hops)
                && int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var target))
            {
                context.Response.StatusCode = 302;
                context.Response.Headers.Location = hops > 1 ? $"/hops/{hops - 1}/{target}" : $"/img/{target}.png";
                return Task.CompletedTask;
            }
        }

        if (path.StartsWith("/img/", StringComparison.Ordinal) && path.EndsWith(".png", StringComparison.Ordinal)
            && int.TryParse(path.AsSpan(5, path.Length - 9), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && n >= 1 && n <= _options.Files)
        {
            return ServeImageAsync(context, n);
        }

        context.Response.StatusCode = 404;
        return Task.CompletedTask;
    }

    private string RetryAfterSeconds() =>
        ((long)Math.Ceiling(_options.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private static async Task WriteBodyAsync(HttpContext context, ReadOnlyMemory<byte> body, long bytesPerSecond)
    {
        if (bytesPerSecond <= 0)
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var chunk = (int)Math.Clamp(bytesPerSecond / 20, 1, 64 * 1024);
        var clock = Stopwatch.StartNew();
        long sent = 0;
        while (sent < body.Length)
        {
            var length = (int)Math.Min(chunk, body.Length - sent);
            await context.Response.Body.WriteAsync(body.Slice((int)sent, length), context.RequestAborted).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            sent += length;
            var due = TimeSpan.FromSeconds((double)sent / bytesPerSecond) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, context.RequestAborted).ConfigureAwait(false);
            }
        }
    }
}
