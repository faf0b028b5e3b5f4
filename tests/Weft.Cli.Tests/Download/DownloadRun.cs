using Weft.Download;

namespace Weft.Cli.Tests.Download;

/// <summary>Runs a <see cref="Downloader"/> with a timeout and collects its results.</summary>
internal static class DownloadRun
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static async Task<(DownloadSummary Summary, List<DownloadResult> Results)> RunAsync(DownloadOptions options, IReadOnlyList<DownloadRequest> requests, CancellationToken cancellationToken = default)
    {
        var results = new List<DownloadResult>();
        using var downloader = new Downloader(options);
        var summary = await downloader.RunAsync(requests, r => { lock (results) { results.Add(r); } }, cancellationToken).WaitAsync(Timeout);
        return (summary, results);
    }

    public static DownloadRequest Request(Uri url) => new(url);

    /// <summary>Image <paramref name="n"/> answered with <c>Content-Disposition: attachment; filename=...</c>.</summary>
    public static Uri Named(Weft.Images.ImageServer server, int n, string disposition) =>
        new(server.ImageUris[n - 1] + "?cd=" + Uri.EscapeDataString(disposition));
}
