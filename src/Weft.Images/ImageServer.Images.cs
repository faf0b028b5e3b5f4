using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Weft.Images;

/// <content>Serving one image: faults, ETag, Range.</content>
public sealed partial class ImageServer
{
    private enum Fault
    {
        None,
        ServerError,
        RateLimit,
        Reset,
        Stall,
    }

    private static Fault[] PlanFaults(ImageServerOptions options)
    {
        // A seeded shuffle gives each kind of fault its own, repeatable set of files.
        var order = Enumerable.Range(0, options.Files).ToArray();
        new Random(options.Seed).Shuffle(order);
        var faults = new Fault[options.Files];
        var at = 0;
        foreach (var (kind, rate) in new[]
        {
            (Fault.ServerError, options.FailRate),
            (Fault.Reset, options.ResetRate),
            (Fault.RateLimit, options.RateLimitRate),
            (Fault.Stall, options.StallRate),
        })
        {
            var count = rate > 0 ? Math.Max(1, (int)Math.Round(options.Files * rate)) : 0;
            for (var i = 0; i < count && at < order.Length; i++)
            {
                faults[order[at++]] = kind;
            }
        }

        return faults;
    }

    private static string ETagOf(int n, int length) => $"\"img-{n}-{length}\"";

    private async Task ServeImageAsync(HttpContext context, int n)
    {
        var request = context.Request;
        var response = context.Response;
        var image = _images[n - 1].Value;
        var fault = _faults[n - 1];
        if (fault != Fault.None && _faultsServed.AddOrUpdate(n, 1, static (_, c) => c + 1) <= _options.FaultTimes)
        {
            Interlocked.Increment(ref _faultCount);
        }
        else
        {
            fault = Fault.None;
        }

        switch (fault)
        {
            case Fault.ServerError:
                response.StatusCode = 500;
                response.ContentType = "text/html";
                await response.WriteAsync("<html><body>500 Internal Server Error</body></html>", context.RequestAborted).ConfigureAwait(false);
                return;
            case Fault.RateLimit:
                response.StatusCode = 429;
                response.Headers.RetryAfter = RetryAfterSeconds();
                await response.WriteAsync("slow down\n", context.RequestAborted).ConfigureAwait(false);
                return;
        }

        var etag = ETagOf(n, image.Length);
        response.ContentType = "image/png";
        response.Headers.ETag = etag;
        response.Headers.LastModified = "Wed, 01 Jan 2025 00:00:00 GMT";
        response.Headers.AcceptRanges = "bytes";
        if (request.Query.TryGetValue("cd", out var disposition))
        {
            response.Headers.ContentDisposition = disposition.ToString();
        }

        var ifNoneMatch = request.Headers.IfNoneMatch.ToString();
        if ((ifNoneMatch.Length > 0 && ifNoneMatch == etag)
            || (ifNoneMatch.Length == 0 && request.Headers.IfModifiedSince.ToString() == response.Headers.LastModified.ToString()))
        {
            response.StatusCode = 304;
            return;
        }

        long start = 0, end = image.Length - 1;
        var range = request.Headers.Range.ToString();
        var ifRange = request.Headers.IfRange.ToString();
        if (range.Length > 0)
        {
            Interlocked.Increment(ref _rangeRequests);
        }

        if (range.Length > 0 && (ifRange.Length == 0 || ifRange == etag || ifRange == response.Headers.LastModified.ToString()))
        {
            if (!TryParseRange(range, image.Length, out start, out end))
            {
                response.StatusCode = 416;
                response.Headers.ContentRange = $"bytes */{image.Length}";
                return;
            }

            response.StatusCode = 206;
            response.Headers.ContentRange = $"bytes {start}-{end}/{image.Length}";
        }

        var body = image.AsMemory((int)start, (int)(end - start + 1));
        response.ContentLength = body.Length;
        if (HttpMethods.IsHead(request.Method))
        {
            return;
        }

        if (fault is Fault.Reset or Fault.Stall)
        {
            await WriteBodyAsync(context, body[..(body.Length / 2)], _options.BytesPerSecond).ConfigureAwait(false);
            await response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            if (fault == Fault.Stall)
            {
                await Task.Delay(_options.StallTime, context.RequestAborted).ConfigureAwait(false);
            }

            context.Abort();
            return;
        }

        await WriteBodyAsync(context, body, _options.BytesPerSecond).ConfigureAwait(false);
    }

    private static bool TryParseRange(string header, long length, out long start, out long end)
    {
        start = 0;
        end = length - 1;
        if (!header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase) || header.Contains(',', StringComparison.Ordinal))
        {
            return false;
        }

        var spec = header.AsSpan(6).Trim();
        var dash = spec.IndexOf('-');
        if (dash < 0)
        {
            return false;
        }

        var first = spec[..dash];
        var last = spec[(dash + 1)..];
        if (first.IsEmpty)
        {
            // Suffix range: the last N bytes.
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var suffix) || suffix == 0)
            {
                return false;
            }

            start = Math.Max(0, length - suffix);
            return length > 0;
        }

        if (!long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out start) || start >= length)
        {
            return false;
        }

        if (!last.IsEmpty)
        {
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out end) || end < start)
            {
                return false;
            }

            end = Math.Min(end, length - 1);
        }

        return true;
    }
}
