using System.Text.Json.Nodes;
using Weft.Download;

namespace Weft.Cli.Get;

/// <summary><c>--json</c>: one object per URL as it finishes, then one summary object; nothing else on stdout.</summary>
internal sealed class JsonLines(TextWriter output)
{
    private readonly Lock _lock = new();

    public void Write(DownloadResult result)
    {
        var line = new JsonObject
        {
            ["type"] = "file",
            ["url"] = result.Url.AbsoluteUri,
            ["path"] = result.Path,
            ["status"] = result.Status.ToString().ToLowerInvariant(),
            ["http"] = result.HttpStatus,
            ["bytes"] = result.Bytes,
            ["attempts"] = result.Attempts,
            ["ms"] = (long)result.Elapsed.TotalMilliseconds,
            ["error"] = result.Error,
        }.ToJsonString();
        lock (_lock)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }

    public void Write(DownloadSummary summary)
    {
        var line = new JsonObject
        {
            ["type"] = "summary",
            ["total"] = summary.Total,
            ["saved"] = summary.Saved,
            ["skipped"] = summary.Skipped,
            ["failed"] = summary.Failed,
            ["cancelled"] = summary.Cancelled,
            ["invalid_lines"] = summary.InvalidLines,
            ["bytes"] = summary.Bytes,
            ["ms"] = (long)summary.Elapsed.TotalMilliseconds,
            ["interrupted"] = summary.Interrupted,
            ["exit_code"] = summary.ExitCode,
        }.ToJsonString();
        lock (_lock)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
