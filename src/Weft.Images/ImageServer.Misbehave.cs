using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Weft.Images;

/// <content><c>/bad/{name}</c>: a server that misbehaves on purpose, as the query says, for tests that
/// check what a client does with it. Every URL (path and query) counts its own requests ("hits").</content>
/// <remarks>
/// Query parameters (all optional):
/// <list type="bullet">
/// <item><c>size=N</c> body length (default 100,000); the body is <see cref="VersionedBytes"/>.</item>
/// <item><c>versions=1</c> every request serves a new version (version = hit number), with a new ETag.</item>
/// <item><c>validators=0</c> no ETag and no Last-Modified.</item>
/// <item><c>ifrange=ignore</c> a Range is answered 206 whatever If-Range says.</item>
/// <item><c>resetat=N</c> the first request sends N bytes of the body, then resets the connection
/// (after <c>holdms=MS</c> of silence, if given).</item>
/// <item><c>short=K</c> a ranged request gets only K bytes; with <c>star=1</c> its Content-Range total is <c>*</c>.</item>
/// <item><c>shift=K</c> a ranged request is answered from K bytes later than asked (Content-Range says so).</item>
/// <item><c>status=CODE</c> with <c>times=N</c> (default every request): that status instead;
/// <c>retryafter=S</c> adds Retry-After; <c>reason=TEXT</c> sets the reason phrase, control characters and all.</item>
/// <item><c>always304=1</c> answers 304 even to an unconditional request.</item>
/// <item><c>to=URL</c> redirects (302) to URL, absolute or relative.</item>
/// <item><c>stall=MS</c> waits MS milliseconds before answering at all.</item>
/// </list>
/// </remarks>
public sealed partial class ImageServer
{
    private readonly ConcurrentDictionary<string, int> _hits = new(StringComparer.Ordinal);

    /// <summary>The body <c>/bad/...</c> serves for <paramref name="version"/>: distinct bytes per
    /// version and position, so a file stitched from two versions is told apart from either.</summary>
    /// <param name="version">The version, from 1.</param>
    /// <param name="size">The length in bytes.</param>
    /// <returns>The bytes.</returns>
    public static byte[] VersionedBytes(int version, int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var bytes = new byte[size];
        for (var i = 0; i < size; i++)
        {
            bytes[i] = (byte)((i * 7) + (i >> 8) + (version * 101));
        }

        return bytes;
    }

    private async Task ServeMisbehavingAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var hit = _hits.AddOrUpdate(request.Path + request.QueryString, 1, static (_, n) => n + 1);
        var query = request.Query;
        string? Q(string key) => query.TryGetValue(key, out var v) ? v.ToString() : null;
        long N(string key, long fallback) => long.TryParse(Q(key), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : fallback;

        if (N("stall", 0) is var stall and > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(stall), context.RequestAborted).ConfigureAwait(false);
        }

        if (Q("to") is { } to)
        {
            response.StatusCode = 302;
            response.Headers.Location = to;
            return;
        }

        if (N("status", 0) is var status and >= 100 and <= 599 && hit <= N("times", long.MaxValue))
        {
            response.StatusCode = (int)status;
            if (Q("reason") is { } reason)
            {
                context.Features.Get<IHttpResponseFeature>()!.ReasonPhrase = reason;
            }

            if (Q("retryafter") is { } after)
            {
                response.Headers.RetryAfter = after;
            }

            await response.WriteAsync($"status {status}\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (Q("always304") == "1")
        {
            response.StatusCode = 304;
            return;
        }

        var version = Q("versions") == "1" ? hit : 1;
        var body = VersionedBytes(version, (int)N("size", 100_000));
        var etag = $"\"v{version}\"";
        var lastModified = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(version).ToString("R", CultureInfo.InvariantCulture);
        var validators = Q("validators") != "0";
        if (validators)
        {
            response.Headers.ETag = etag;
            response.Headers.LastModified = lastModified;
        }

        response.ContentType = "application/octet-stream";
        var range = request.Headers.Range.ToString();
        var ifRange = request.Headers.IfRange.ToString();
        long start = 0, end = body.Length - 1;
        if (range.Length > 0 && (Q("ifrange") == "ignore" || ifRange.Length == 0 || (validators && (ifRange == etag || ifRange == lastModified)))
            && TryParseRange(range, body.Length, out start, out end))
        {
            start = Math.Min(body.Length - 1, start + N("shift", 0));
            end = Q("short") is not null ? Math.Min(end, start + N("short", 0) - 1) : end;
            response.StatusCode = 206;
            response.Headers.ContentRange = $"bytes {start}-{end}/{(Q("star") == "1" ? "*" : body.Length.ToString(CultureInfo.InvariantCulture))}";
        }
        else
        {
            (start, end) = (0, body.Length - 1);
        }

        var slice = body.AsMemory((int)start, (int)(end - start + 1));
        response.ContentLength = slice.Length;
        if (hit == 1 && N("resetat", -1) is var resetAt and >= 0)
        {
            await response.Body.WriteAsync(slice[..(int)Math.Min(resetAt, slice.Length)], context.RequestAborted).ConfigureAwait(false);
            await response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            if (N("holdms", 0) is var hold and > 0)
            {
                // Silent, so a client's idle timeout ends the attempt with every byte sent read (a reset
                // may discard bytes the client had not read yet).
                await Task.Delay(TimeSpan.FromMilliseconds(hold), context.RequestAborted).ConfigureAwait(false);
            }

            context.Abort();
            return;
        }

        await response.Body.WriteAsync(slice, context.RequestAborted).ConfigureAwait(false);
    }
}
