using System.Globalization;
using Spectre.Console;
using Weft.Download;

namespace Weft.Cli.Get;

/// <summary>The per-URL table and the totals line printed at the end.</summary>
internal static class SummaryTable
{
    private const int MaxSavedRows = 30;

    public static void Print(IReadOnlyList<DownloadResult> results, DownloadSummary summary, GetConsole console)
    {
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(console.Out),
            Ansi = console.Interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = console.Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!console.Interactive)
        {
            ansi.Profile.Width = 200;
        }

        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumns("status", "url", "file", "http", "bytes", "tries", "ms", "note");
        // Every failure is listed; successes only up to a screenful, so a huge list stays readable.
        var shown = results.Where(r => r.Status != DownloadStatus.Saved).Concat(results.Where(r => r.Status == DownloadStatus.Saved).Take(MaxSavedRows)).ToArray();
        foreach (var r in results.Where(shown.Contains))
        {
            var status = r.Status switch
            {
                DownloadStatus.Saved => "[green]saved[/]",
                DownloadStatus.Skipped => "[blue]skipped[/]",
                DownloadStatus.Failed => "[red]FAILED[/]",
                _ => "[yellow]cancelled[/]",
            };
            table.AddRow(
                new Markup(status),
                new Text(Printable.Url(r.Url)),
                new Text(r.Path is null ? "-" : Printable.Escape(Path.GetFileName(r.Path))),
                new Text(r.HttpStatus?.ToString(CultureInfo.InvariantCulture) ?? "-"),
                new Text(GetRunner.Bytes(r.Bytes)),
                new Text(r.Attempts.ToString(CultureInfo.InvariantCulture)),
                new Text(((long)r.Elapsed.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)),
                new Text(Printable.Escape(Note(r))));
        }

        if (results.Count > 0)
        {
            ansi.Write(table);
        }

        var hidden = results.Count - shown.Length;
        if (hidden > 0)
        {
            ansi.WriteLine($"... and {hidden} more saved files");
        }

        var renamed = results.Count(r => r.Note?.StartsWith("saved as", StringComparison.Ordinal) == true);
        if (renamed > 0)
        {
            ansi.WriteLine($"{renamed} file(s) saved under a new name: an existing file of that name was kept (see the notes).");
        }

        var rate = summary.Elapsed > TimeSpan.Zero ? summary.Bytes / summary.Elapsed.TotalSeconds : 0;
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{summary.Saved} saved, {summary.Skipped} skipped, {summary.Failed} failed, {summary.Cancelled} not done, {summary.InvalidLines} malformed lines of {summary.Total + summary.InvalidLines}; {GetRunner.Bytes(summary.Bytes)} written in {summary.Elapsed.TotalSeconds:0.00} s ({GetRunner.Bytes(rate)}/s)");
        ansi.WriteLine(line);
        if (summary.StopReason is { } stopped)
        {
            ansi.WriteLine($"Stopped early: {Printable.Escape(stopped)}. Finished files are saved; free space and run again with --resume.");
        }

        if (summary.Interrupted)
        {
            ansi.WriteLine("Interrupted: finished files are saved; run again with --resume to continue the .part files.");
        }
    }

    private static string Note(DownloadResult r)
    {
        var text = r.Error ?? r.Note ?? string.Empty;
        return r.FinalUrl is { } final ? $"{text}{(text.Length > 0 ? "; " : string.Empty)}from {final.AbsoluteUri}" : text;
    }
}
