using System.Text.Json;
using System.Text.Json.Serialization;
using Weft.Download;

namespace Weft.Cli.Get;

/// <summary><c>--json</c>: one object per URL as it finishes, then one summary object; nothing else on
/// stdout. camelCase, the one style of every <c>weft ... --json</c>; serialised by the source-generated
/// <see cref="GetJsonContext"/> (no reflection, so trimming and Native AOT keep it working).</summary>
internal sealed class JsonLines(TextWriter output)
{
    private readonly Lock _lock = new();

    public void Write(DownloadResult result) => WriteLine(JsonSerializer.Serialize(new FileLine(
        "file",
        Printable.Url(result.Url),
        result.FinalUrl?.AbsoluteUri,
        result.Path,
        result.Status.ToString().ToLowerInvariant(),
        result.HttpStatus,
        result.Bytes,
        result.Written,
        result.Attempts,
        (long)result.Elapsed.TotalMilliseconds,
        result.Note,
        result.Error), GetJsonContext.Default.FileLine));

    public void Write(DownloadSummary summary) => WriteLine(JsonSerializer.Serialize(new SummaryLine(
        "summary",
        summary.Total,
        summary.Saved,
        summary.Skipped,
        summary.Failed,
        summary.Cancelled,
        summary.InvalidLines,
        summary.Bytes,
        (long)summary.Elapsed.TotalMilliseconds,
        summary.Interrupted,
        summary.StopReason,
        summary.ExitCode), GetJsonContext.Default.SummaryLine));

    public void Write(PlanLine plan) => WriteLine(JsonSerializer.Serialize(plan, GetJsonContext.Default.PlanLine));

    public void Write(PlanSummaryLine summary) => WriteLine(JsonSerializer.Serialize(summary, GetJsonContext.Default.PlanSummaryLine));

    private void WriteLine(string line)
    {
        lock (_lock)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}

/// <summary>One URL's outcome (<c>"type": "file"</c>).</summary>
internal sealed record FileLine(string Type, string Url, string? FinalUrl, string? Path, string Status, int? Http, long Bytes, long Written, int Attempts, long Ms, string? Note, string? Error);

/// <summary>The run's totals (<c>"type": "summary"</c>), last.</summary>
internal sealed record SummaryLine(string Type, int Total, int Saved, int Skipped, int Failed, int Cancelled, int InvalidLines, long Bytes, long Ms, bool Interrupted, string? StopReason, int ExitCode);

/// <summary>One URL of <c>--dry-run</c> (<c>"type": "plan"</c>).</summary>
internal sealed record PlanLine(string Type, string Url, string Path, bool Duplicate, string? CollidesWith, bool Exists);

/// <summary>The totals of <c>--dry-run</c> (<c>"type": "planSummary"</c>).</summary>
internal sealed record PlanSummaryLine(string Type, int Files, int Duplicates, int Collisions, int InvalidLines, int ExitCode);

/// <summary>The source-generated serializer of <c>get --json</c>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(FileLine))]
[JsonSerializable(typeof(SummaryLine))]
[JsonSerializable(typeof(PlanLine))]
[JsonSerializable(typeof(PlanSummaryLine))]
internal sealed partial class GetJsonContext : JsonSerializerContext;
