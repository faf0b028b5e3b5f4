using Weft.Download;

namespace Weft.Cli.Get;

/// <summary><c>--dry-run</c>: the names every URL would get, duplicates and collisions; no request.</summary>
internal static class DryRun
{
    public static int Print(IReadOnlyList<PlannedDownload> plans, DownloadOptions options, GetConsole console, int invalidLines)
    {
        var collisions = 0;
        foreach (var plan in plans)
        {
            string note;
            if (plan.Duplicate)
            {
                note = "\tduplicate URL: downloaded once";
            }
            else if (plan.CollidedWith is { } other)
            {
                collisions++;
                note = $"\tname collides with {other.AbsoluteUri}: renamed";
            }
            else if (File.Exists(Path.Combine(options.OutputDirectory, plan.Name)))
            {
                note = $"\texists (--on-exists {options.OnExists.ToString().ToLowerInvariant()})";
            }
            else
            {
                note = string.Empty;
            }

            console.Out.WriteLine($"{plan.Request.Url.AbsoluteUri}\t{Path.Combine(options.OutputDirectory, plan.Name)}{note}");
        }

        console.Out.WriteLine($"{plans.Count(p => !p.Duplicate)} files, {plans.Count(p => p.Duplicate)} duplicate URLs, {collisions} name collisions, {invalidLines} malformed lines (names from Content-Disposition may still differ)");
        return invalidLines > 0 ? 1 : 0;
    }
}
