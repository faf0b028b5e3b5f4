using Weft.Download;

namespace Weft.Cli.Get;

/// <summary>Reads the <c>-i</c> list from a file, a URL or standard input.</summary>
internal static class ListReader
{
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

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            using var response = await downloader.Client.GetAsync(url, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new ListUnavailableException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            var text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            using var reader = new StringReader(text);
            return DownloadList.Parse(reader);
        }

        using var file = File.OpenText(input);
        return DownloadList.Parse(file);
    }
}
