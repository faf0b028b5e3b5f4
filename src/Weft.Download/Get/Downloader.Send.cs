using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Weft.Download;

/// <content>Sending a request and following its redirects by curl's rules: secrets go only to the URL's
/// own origin.</content>
public sealed partial class Downloader
{
    private static readonly string[] s_secretHeaders = ["Authorization", "Cookie", "Proxy-Authorization"];

    /// <summary>Step: the request, with <c>Range</c>/<c>If-Range</c> to continue a <c>.part</c>, or
    /// <c>If-None-Match</c>/<c>If-Modified-Since</c> when weft's own earlier copy is there.</summary>
    private async Task<Response> SendAsync(Transfer transfer, long have, TransferWatch watch, CancellationToken cancellationToken)
    {
        var conditional = have == 0 && transfer.Destination is null && transfer.OwnCopy is { Conditional: true } ? transfer.OwnCopy.Meta : null;
        try
        {
            return await SendFollowingAsync(transfer.Url, request => Condition(request, have, transfer.Origin, conditional), watch.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The watch did not trip, so the handler's own connect timeout did.
            var message = watch.Token.IsCancellationRequested ? watch.Explain(0) : $"could not connect within {_options.ConnectTimeout.TotalSeconds:0.###} s (connect timeout)";
            throw new DownloadFailedException(message, transient: !watch.PastDeadline);
        }
        catch (HttpRequestException e)
        {
            throw new DownloadFailedException($"request failed: {Printable.Escape(e.Message)}", transient: true, e);
        }
    }

    private static bool Condition(HttpRequestMessage request, long have, Origin? origin, MetaFile? ownCopy)
    {
        if (have > 0)
        {
            request.Headers.Range = new RangeHeaderValue(have, null);
            if (origin?.Validator is { } validator)
            {
                request.Headers.TryAddWithoutValidation("If-Range", validator);
            }

            return false;
        }

        if (ownCopy is null)
        {
            return false;
        }

        if (ownCopy.ETag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ownCopy.ETag);
        }

        if (ownCopy.LastModified is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Modified-Since", ownCopy.LastModified);
        }

        return ownCopy.Validator is not null;
    }

    /// <summary>GET <paramref name="url"/>, following up to <see cref="DownloadOptions.MaxRedirects"/>
    /// redirects itself (as curl does): <c>Authorization</c>, <c>Cookie</c>, <c>Proxy-Authorization</c> and the
    /// Basic credentials go to the URL's own scheme, host and port only, unless
    /// <see cref="DownloadOptions.LocationTrusted"/>; never from https to http; the URL's <c>user:password</c>
    /// is sent as Basic auth, never in the request line.</summary>
    /// <param name="url">The URL as given.</param>
    /// <param name="condition">Adds the step's own headers; returns whether the request is conditional.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    internal async Task<Response> SendFollowingAsync(Uri url, Func<HttpRequestMessage, bool> condition, CancellationToken cancellationToken)
    {
        var basic = BasicCredentials(url);
        var current = MetaFile.WithoutCredentials(url);
        for (var hop = 0; ; hop++)
        {
            var trusted = _options.LocationTrusted || SameOrigin(current, url);
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            foreach (var (name, value) in _options.Headers)
            {
                if (trusted || !s_secretHeaders.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    request.Headers.Remove(name);
                    request.Headers.TryAddWithoutValidation(name, value);
                }
            }

            if (basic is not null && trusted && !request.Headers.Contains("Authorization"))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
            }

            var conditional = condition(request);
            var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!IsRedirect(response.StatusCode) || response.Headers.Location is not { } location || hop >= _options.MaxRedirects)
            {
                return new Response(response, current, conditional);
            }

            response.Dispose();
            var next = new Uri(current, location);
            if (next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps)
            {
                throw new DownloadFailedException($"redirected to an unsupported scheme '{Printable.Escape(next.Scheme)}': refused", transient: false);
            }

            if (current.Scheme == Uri.UriSchemeHttps && next.Scheme != Uri.UriSchemeHttps)
            {
                throw new DownloadFailedException("redirected from https to http: refused", transient: false);
            }

            current = MetaFile.WithoutCredentials(next);
        }
    }

    /// <summary>Fetches a small text document (the <c>-i URL</c> list) with the run's headers, credentials,
    /// redirect rules and idle timeout.</summary>
    /// <exception cref="DownloadFailedException">It could not be fetched; the message says why.</exception>
    internal async Task<string> FetchTextAsync(Uri url, CancellationToken cancellationToken = default)
    {
        using var watch = new TransferWatch(_options, null, cancellationToken);
        try
        {
            using var response = await SendFollowingAsync(url, _ => false, watch.Token).ConfigureAwait(false);
            if (response.Message.StatusCode != HttpStatusCode.OK)
            {
                throw new DownloadFailedException($"HTTP {(int)response.Message.StatusCode} {Printable.Escape(response.Message.ReasonPhrase)}", transient: false);
            }

            var stream = await response.Message.Content.ReadAsStreamAsync(watch.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var text = new MemoryStream();
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await stream.ReadAsync(buffer, watch.Token).ConfigureAwait(false)) > 0)
                {
                    text.Write(buffer, 0, read);
                    watch.OnRead(read);
                }

                return Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DownloadFailedException(watch.Token.IsCancellationRequested ? watch.Explain(0) : $"could not connect within {_options.ConnectTimeout.TotalSeconds:0.###} s", transient: false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new DownloadFailedException($"request failed: {Printable.Escape(e.Message)}", transient: false, e);
        }
    }

    private static bool IsRedirect(HttpStatusCode code) => (int)code is 301 or 302 or 303 or 307 or 308;

    private static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    /// <summary>The Basic credentials of <paramref name="url"/>: its own <c>user:password@</c>, else
    /// <see cref="DownloadOptions.User"/>; base64 of the %-decoded <c>user:password</c>.</summary>
    private string? BasicCredentials(Uri url)
    {
        var pair = url.UserInfo.Length > 0 ? Uri.UnescapeDataString(url.UserInfo) : _options.User;
        return pair is null ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes(pair.Contains(':', StringComparison.Ordinal) ? pair : pair + ":"));
    }
}

/// <summary>A response and where it came from after redirects.</summary>
/// <param name="Message">The response (headers read, body not yet).</param>
/// <param name="FinalUrl">The URL that answered, without credentials.</param>
/// <param name="Conditional">Whether the request that got it was conditional (so a 304 means something).</param>
internal sealed record Response(HttpResponseMessage Message, Uri FinalUrl, bool Conditional) : IDisposable
{
    public void Dispose() => Message.Dispose();
}
