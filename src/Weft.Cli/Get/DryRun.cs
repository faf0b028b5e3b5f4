using Weft.Download;

namespace Weft.Cli.Get;

/// <summary><c>--dry-run</c>: the names every URL would get, duplicates and collisions; no request.
/// With <c>--json</c>, JSON Lines only (one <c>plan</c> object per URL, then a <c>planSummary</c>).</summary>
internal static class DryRun
{
    public static int Print(IReadOnlyList<PlannedDownload> plans, DownloadOptions options, GetConsole console, int invalidLines, JsonLines? json)
    {
        var collisions = plans.Count(p => !p.Duplicate && p.CollidedWith is not null);
        var exit = (int)(invalidLines > 0 ? DownloadExitCode.SomeFailed : DownloadExitCode.Success);
        foreach (var plan in plans)
        {
            var path = Path.Combine(options.OutputDirectory, plan.Name);
            var exists = !plan.Duplicate && File.Exists(path);
            if (json is not null)
            {
                json.Write(new PlanLine("plan", Printable.Url(plan.Request.Url), path, plan.Duplicate, plan.CollidedWith?.AbsoluteUri, exists));
                continue;
            }

            var note = plan.Duplicate ? "\tduplicate URL: downloaded once"
                : plan.CollidedWith is { } other ? $"\tname collides with {other.AbsoluteUri}: renamed"
                : exists ? $"\texists (--on-exists {options.OnExists.ToString().ToLowerInvariant()})"
                : string.Empty;
            console.Out.WriteLine(Printable.Escape($"{Printable.Url(plan.Request.Url)}\t{path}{note}").Replace("\\x09", "\t", StringComparison.Ordinal));
        }

        var files = plans.Count(p => !p.Duplicate);
        var duplicates = plans.Count(p => p.Duplicate);
        if (json is not null)
        {
            json.Write(new PlanSummaryLine("planSummary", files, duplicates, collisions, invalidLines, exit));
        }
        else
        {
            console.Out.WriteLine($"{files} files, {duplicates} duplicate URLs, {collisions} name collisions, {invalidLines} malformed lines (names from Content-Disposition may still differ)");
        }

        return exit;
    }
}
