using Weft.Download;

namespace Weft.Cli.Get;

/// <summary>Reads the <c>-i</c> list from a file, a URL or standard input.</summary>
internal static class ListReader
{
    /// <summary>Reads and parses the list.</summary>
    /// <exception cref="ListUnavailableException">It cannot be read; the message says why.</exception>
    public static async Task<DownloadList> ReadAsync(string input, TextReader stdin, Downloader downloader, CancellationToken cancellationToken)
    {
        if (input == "-")
        {
            return DownloadList.Parse(stdin);
        }

        if (input.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || input.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (!DownloadList.TryParseUrl(input, out var url, out var reason))
            {
                throw new ListUnavailableException(reason);
            }

            // The run's own request rules: -H headers, credentials, redirects, the idle timeout (no fixed
            // cap: a slow list server that keeps sending is waited for).
            string text;
            try
            {
                text = await downloader.FetchTextAsync(url, cancellationToken).ConfigureAwait(false);
            }
            catch (DownloadFailedException e)
            {
                throw new ListUnavailableException(e.Message, e);
            }

            using var reader = new StringReader(text);
            return DownloadList.Parse(reader);
        }

        try
        {
            using var file = File.OpenText(input);
            return DownloadList.Parse(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ListUnavailableException(e.Message, e);
        }
    }
}
