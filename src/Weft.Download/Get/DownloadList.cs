namespace Weft.Download;

/// <summary>A parsed URL list: one URL per line, optional <c>URL&lt;TAB&gt;name[&lt;TAB&gt;sha256]</c>,
/// <c>#</c> comments and blank lines allowed.</summary>
/// <param name="Requests">The valid lines, in order.</param>
/// <param name="Errors">The invalid lines, with their line numbers.</param>
public sealed record DownloadList(IReadOnlyList<DownloadRequest> Requests, IReadOnlyList<DownloadListError> Errors)
{
    /// <summary>Parses a list.</summary>
    /// <param name="reader">The list.</param>
    /// <returns>The requests and the errors.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> is null.</exception>
    public static DownloadList Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var requests = new List<DownloadRequest>();
        var errors = new List<DownloadListError>();
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }

            var columns = text.Split('\t');
            if (!TryParseUrl(columns[0].Trim(), out var url, out var reason))
            {
                errors.Add(new DownloadListError(number, line, reason));
                continue;
            }

            var name = columns.Length > 1 && columns[1].Trim().Length > 0 ? columns[1].Trim() : null;
            var sha = columns.Length > 2 && columns[2].Trim().Length > 0 ? columns[2].Trim() : null;
            if (sha is not null && (sha.Length != 64 || !sha.All(char.IsAsciiHexDigit)))
            {
                errors.Add(new DownloadListError(number, line, "the third column is not a sha256 (64 hex digits)"));
                continue;
            }

            requests.Add(new DownloadRequest(url) { Name = name, Sha256 = sha?.ToLowerInvariant(), Line = number });
        }

        return new DownloadList(requests, errors);
    }

    /// <summary>Checks that <paramref name="text"/> is an absolute http or https URL with a host.</summary>
    /// <param name="text">The candidate.</param>
    /// <param name="url">The URL when valid.</param>
    /// <param name="reason">What is wrong when not.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool TryParseUrl(string text, out Uri url, out string reason)
    {
        url = null!;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed) || text.Contains(' ', StringComparison.Ordinal))
        {
            reason = "not an absolute URL";
            return false;
        }

        if (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
        {
            reason = $"unsupported scheme '{parsed.Scheme}' (only http and https)";
            return false;
        }

        if (string.IsNullOrEmpty(parsed.Host))
        {
            reason = "no host";
            return false;
        }

        url = parsed;
        reason = string.Empty;
        return true;
    }
}
