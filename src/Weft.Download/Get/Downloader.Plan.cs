namespace Weft.Download;

/// <content>Naming every URL before the first request, so collisions are found up front.</content>
public sealed partial class Downloader
{
    /// <summary>Names every request before any download: the list's name, else the %-decoded last
    /// URL segment without the query, made safe; the same URL twice is marked
    /// <see cref="PlannedDownload.Duplicate"/>; different URLs with one name get a short hash of the
    /// URL in all but the first name.</summary>
    /// <param name="requests">The URLs in list order.</param>
    /// <param name="options">The settings (for the output directory).</param>
    /// <returns>One plan per request, in order.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IReadOnlyList<PlannedDownload> Plan(IReadOnlyList<DownloadRequest> requests, DownloadOptions options) =>
        PlanStoppable(requests, options, CancellationToken.None);

    /// <summary><see cref="Plan(IReadOnlyList{DownloadRequest}, DownloadOptions)"/>, stoppable: a run plans
    /// before its first request, so a huge list must still answer Ctrl+C.</summary>
    internal static IReadOnlyList<PlannedDownload> PlanStoppable(IReadOnlyList<DownloadRequest> requests, DownloadOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(options);
        var seenUrls = new HashSet<string>(StringComparer.Ordinal);
        var owners = new Dictionary<string, Uri>(StringComparer.OrdinalIgnoreCase);
        var plans = new List<PlannedDownload>(requests.Count);
        foreach (var request in requests)
        {
            ArgumentNullException.ThrowIfNull(request);
            cancellationToken.ThrowIfCancellationRequested();
            var name = FileNames.Sanitize(request.Name) ?? FileNames.FromUrl(request.Url) ?? FileNames.Sanitize(request.Url.Host) ?? "download";
            if (!seenUrls.Add(request.Url.AbsoluteUri))
            {
                plans.Add(new PlannedDownload(request, name) { Duplicate = true });
                continue;
            }

            Uri? collided = null;
            if (owners.TryGetValue(name, out var owner))
            {
                collided = owner;
                name = FileNames.Disambiguate(name, request.Url);
                // Each variant carries a new hash that the length cap never cuts, so this ends; bounded all the same.
                for (var i = 1; owners.ContainsKey(name) && i <= FileNames.MaxNumbered; i++)
                {
                    name = FileNames.Disambiguate(name, new Uri(request.Url, $"#{i}"));
                }
            }

            owners[name] = request.Url;
            plans.Add(new PlannedDownload(request, name) { CollidedWith = collided });
        }

        return plans;
    }
}
