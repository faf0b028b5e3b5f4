using System.Globalization;
using System.Text;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Weft.Cli.Lab;

/// <summary>The lab's results as a terminal table with verdict lines, and as report.md.</summary>
internal static class LabReport
{
    /// <summary>The experiments table.</summary>
    /// <param name="results">The results.</param>
    /// <returns>A renderable table.</returns>
    public static Table Table(LabResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"weft lab: the tutorial's claims on {results.Machine.Cores} cores, .NET {results.Machine.Dotnet}");
        table.AddColumns("Workload", "Strategy", "Tasks", "Workers", "Time", "Speed-up", "Ideal", "Efficiency", "Note");
        foreach (var c in new[] { 2, 3, 4, 5, 6, 7 })
        {
            table.Columns[c].RightAligned();
        }

        foreach (var m in results.Experiments)
        {
            table.AddRow(
                new Text(Strategies.WorkloadLabel(m.Workload)),
                new Text(Strategies.Label(m.Strategy)),
                new Text(m.Tasks.ToString(CultureInfo.InvariantCulture)),
                new Text(m.Available ? m.Workers.ToString(CultureInfo.InvariantCulture) : "-"),
                new Text(Verdicts.S(m.Seconds)),
                new Text(Verdicts.X(m.Speedup)),
                new Text(m.Available ? Verdicts.X(m.Ideal) : "-"),
                new Text(Verdicts.Percent(m.Efficiency)),
                new Text(m.Note ?? string.Empty, new Style(Color.Grey)));
        }

        var w = results.ConcurrentWaits;
        table.AddEmptyRow();
        table.AddRow($"{w.Waits:N0} waits", "threads", w.Waits.ToString("N0", CultureInfo.InvariantCulture), w.Threads.PeakThreads.ToString(CultureInfo.InvariantCulture),
            Verdicts.S(w.Threads.Seconds), "-", "-", "-", $"peak memory +{Verdicts.Mb(w.Threads.PeakBytes)}");
        table.AddRow($"{w.Waits:N0} waits", "async/await", w.Waits.ToString("N0", CultureInfo.InvariantCulture), w.Async.PeakThreads.ToString(CultureInfo.InvariantCulture),
            Verdicts.S(w.Async.Seconds), "-", "-", "-", $"peak memory +{Verdicts.Mb(w.Async.PeakBytes)}");
        return table;
    }

    /// <summary>One line per verdict, marked holds / does not hold.</summary>
    /// <param name="results">The results.</param>
    /// <returns>The renderable lines.</returns>
    public static IRenderable VerdictLines(LabResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var rows = new List<IRenderable>();
        foreach (var v in results.Verdicts)
        {
            var mark = v.Outcome switch
            {
                Verdict.Holds => "[green]holds[/]",
                Verdict.DoesNotHold => "[red]does not hold[/]",
                _ => "[yellow]not measured[/]",
            };
            var comment = v.Comment is null ? string.Empty : $" [grey]{Markup.Escape(v.Comment)}[/]";
            rows.Add(new Markup($"{Markup.Escape(v.Claim)} {mark}: {Markup.Escape(v.Figure)}.{comment}"));
        }

        return new Rows(rows);
    }

    /// <summary>The verdict word used in plain text.</summary>
    /// <param name="outcome">A verdict outcome.</param>
    /// <returns>holds, does not hold or not measured.</returns>
    public static string Word(string outcome) => outcome.Replace('-', ' ');

    /// <summary>report.md: the machine, the table, the verdicts, and what the tutorial gets wrong.</summary>
    /// <param name="results">The results.</param>
    /// <returns>The markdown.</returns>
    public static string Markdown(LabResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var md = new StringBuilder();
        var m = results.Machine;
        md.AppendLine(CultureInfo.InvariantCulture, $"# weft lab: the threading tutorial re-measured");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Machine: {m.Cores} cores, {m.Os}, {m.Architecture}, .NET {m.Dotnet}. Run: {(results.Quick ? "--quick" : "full (best of 3)")}, {results.CreatedAt:yyyy-MM-dd HH:mm} UTC, {results.Seconds:F1} s.");
        md.AppendLine();
        md.AppendLine("![speed-up per workload and strategy](chart.png)");
        md.AppendLine();
        md.AppendLine("## Verdicts");
        md.AppendLine();
        foreach (var v in results.Verdicts)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- {v.Claim} **{Word(v.Outcome)}**: {v.Figure}.{(v.Comment is null ? string.Empty : " " + v.Comment)}");
        }

        md.AppendLine();
        md.AppendLine("## Experiments");
        md.AppendLine();
        md.AppendLine("| Workload | Strategy | Tasks | Workers | Time | Speed-up | Ideal | Efficiency | Note |");
        md.AppendLine("|---|---|--:|--:|--:|--:|--:|--:|---|");
        foreach (var e in results.Experiments)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {Strategies.WorkloadLabel(e.Workload)} | {Strategies.Label(e.Strategy)} | {e.Tasks} | {(e.Available ? e.Workers : "-")} | {Verdicts.S(e.Seconds)} | {Verdicts.X(e.Speedup)} | {(e.Available ? Verdicts.X(e.Ideal) : "-")} | {Verdicts.Percent(e.Efficiency)} | {e.Note} |");
        }

        var w = results.ConcurrentWaits;
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"## {w.Waits:N0} concurrent waits of {w.WaitSeconds:0.##} s");
        md.AppendLine();
        md.AppendLine("| Strategy | Time | Peak memory (above start) | Peak OS threads |");
        md.AppendLine("|---|--:|--:|--:|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| threads | {Verdicts.S(w.Threads.Seconds)} | {Verdicts.Mb(w.Threads.PeakBytes)} | {w.Threads.PeakThreads} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| async/await | {Verdicts.S(w.Async.Seconds)} | {Verdicts.Mb(w.Async.PeakBytes)} | {w.Async.PeakThreads} |");
        md.AppendLine();
        md.AppendLine("## Where the tutorial is wrong or dated");
        md.AppendLine();
        foreach (var note in Corrections)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
        }

        return md.ToString();
    }

    /// <summary>Corrections to the tutorial that are facts about Python, not measurements on this machine.</summary>
    public static IReadOnlyList<string> Corrections { get; } =
    [
        "\"PyPy is an alternative Python interpreter without a GIL\": PyPy has a GIL too (PyPy FAQ, \"Does PyPy have a GIL? Why?\").",
        "CPython 3.13 ships an optional free-threaded build without the GIL (PEP 703; `python3.13t`, `sys._is_gil_enabled()`); .NET threads, measured above, show what that buys for CPU-bound work.",
        "\"map() ensures results print in the order tasks were started\": the results come back in input order, but the work runs at once and finishes in any order (see the ordering verdict).",
        "as_completed() yields each future as it finishes, so the shortest task prints first.",
    ];
}
