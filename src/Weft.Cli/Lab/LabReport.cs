using System.Globalization;
using System.Text;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Weft.Cli.Lab;

/// <summary>The lab's results as a terminal table with verdict lines, and as report.md.</summary>
internal static class LabReport
{
    /// <summary>The experiments table: per workload and strategy, the .NET row and the CPython row beside it.</summary>
    /// <param name="results">The results.</param>
    /// <returns>A renderable table.</returns>
    public static Table Table(LabResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var table = new Table().Border(TableBorder.Rounded).Title(Title(results));
        table.AddColumns("Workload", "Strategy", "Runtime", "Tasks", "Workers", "Time", "Warm pool", "Speed-up", "Ideal", "Efficiency", "Cores busy", "Note");
        foreach (var c in new[] { 3, 4, 5, 6, 7, 8, 9, 10 })
        {
            table.Columns[c].RightAligned();
        }

        foreach (var m in Ordered(results))
        {
            table.AddRow(Cells(m).Select((cell, i) => (IRenderable)new Text(cell, i == 11 ? new Style(Color.Grey) : Style.Plain)).ToArray());
        }

        table.AddEmptyRow();
        foreach (var (strategy, runtime, w, run) in WaitRows(results))
        {
            table.AddRow($"{w.Waits:N0} waits", strategy, runtime, Started(w, run), run.PeakThreads.ToString("N0", CultureInfo.InvariantCulture),
                Verdicts.S(run.Seconds), "-", "-", "-", "-", "-", WaitNote(run));
        }

        return table;
    }

    /// <summary>The concurrent waits: threads then async/await, .NET's and CPython's beside it.</summary>
    private static IEnumerable<(string Strategy, string Runtime, WaitsResult Waits, WaitRun Run)> WaitRows(LabResults results)
    {
        WaitsResult?[] sides = [results.ConcurrentWaits, results.CPython.ConcurrentWaits];
        foreach (var (strategy, side) in new[] { ("threads", (Func<WaitsResult, WaitRun>)(w => w.Threads)), ("async/await", w => w.Async) })
        {
            foreach (var w in sides.OfType<WaitsResult>())
            {
                yield return (strategy, Runtimes.Label(w.Runtime), w, side(w));
            }
        }
    }

    private static string Started(WaitsResult w, WaitRun run) => (run.Started ?? w.Waits).ToString("N0", CultureInfo.InvariantCulture);

    private static string WaitNote(WaitRun run) =>
        $"peak memory +{Verdicts.Mb(run.PeakBytes)}{(run.Error is null ? string.Empty : $"; the rest failed to start: {run.Error}")}";

    /// <summary>One line saying whether CPython ran beside .NET, and if not, why.</summary>
    /// <param name="results">The results.</param>
    /// <returns>The line, without markup.</returns>
    public static string PythonLine(LabResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var c = results.CPython;
        if (!results.HasCPython)
        {
            return $"CPython: not measured ({c.Reason}); .NET only, with Weft's simulated lock standing in for the GIL.";
        }

        var gil = results.Machine.GilEnabled == false ? "free-threaded, GIL disabled" : "GIL enabled";
        var about = $"CPython {results.Machine.Python} ({c.Executable}, {gil}; start-up {Verdicts.S(c.StartupSeconds)}, not in any time)";
        return c.Status == CPythonRun.Failed
            ? $"{about} failed part-way: {c.Reason}. The rows measured before are shown."
            : $"{about} ran the tutorial's own programs beside .NET.";
    }

    /// <summary>A warning when other work competed for the cores during the CPU-bound runs; null on a quiet machine.</summary>
    /// <param name="results">The results.</param>
    /// <returns>The line, without markup, or null.</returns>
    public static string? BusyLine(LabResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var m = results.Machine;
        var cpu = results.Experiments.Where(e => e.Workload == Strategies.Cpu).ToList();
        var lanes = cpu.Count == 0 ? m.Cores : cpu.Max(e => Math.Min(Math.Min(e.Tasks, e.Workers), m.Cores));
        var other = cpu.Select(e => e.OtherCores).Where(o => o is not null).Max();
        var busy = cpu.Count == 0 ? SystemLoad.IsBusy(m.LoadAverage, m.Cores) : cpu.Any(e => SystemLoad.IsBusy(e.OtherCores, m.LoadAverage, m.Cores, lanes));
        if (!busy)
        {
            return null;
        }

        var load = m.LoadAverage is { } l ? $"load average {Verdicts.F1(l)} on {m.Cores} cores as the run started" : $"{m.Cores} cores";
        var during = other is { } o ? $"other processes kept up to {Verdicts.F1(o)} of the cores busy during the CPU-bound runs ({load})" : load;
        return $"Busy machine: {during}. The CPU-bound speed-ups are not this machine's: other work took the cores, and threads that wait " +
               "and wake (as under a GIL) can even beat one busy thread to them. Those claims are not decided here unless no load could " +
               "have produced the figure. Run it again on an idle machine.";
    }

    /// <summary>One verdict as plain text, never wrapped: "claim **outcome**: reason; figure. comment".</summary>
    /// <param name="v">The verdict.</param>
    /// <param name="bold">Mark the outcome with markdown bold.</param>
    /// <returns>The line.</returns>
    public static string VerdictLine(Verdict v, bool bold = false)
    {
        ArgumentNullException.ThrowIfNull(v);
        var word = bold ? $"**{Word(v.Outcome)}**" : Word(v.Outcome);
        return $"{v.Claim} {word}: {Body(v)}";
    }

    /// <summary>What follows the outcome: the reason it is not decided, the figure, the comment.</summary>
    private static string Body(Verdict v) =>
        $"{(v.Reason is null ? string.Empty : v.Reason + "; ")}{v.Figure}.{(v.Comment is null ? string.Empty : " " + v.Comment)}";

    /// <summary>One line per verdict, coloured by outcome, for an interactive terminal.</summary>
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
                Verdict.NotDecided => "[yellow]not decided here[/]",
                Verdict.Demonstration => "[blue]demonstration[/]",
                _ => "[grey]not measured[/]",
            };
            var reason = v.Reason is null ? string.Empty : $"[yellow]{Markup.Escape(v.Reason)}[/]; ";
            var comment = v.Comment is null ? string.Empty : $" [grey]{Markup.Escape(v.Comment)}[/]";
            rows.Add(new Markup($"{Markup.Escape(v.Claim)} {mark}: {reason}{Markup.Escape(v.Figure)}.{comment}"));
        }

        return new Rows(rows);
    }

    /// <summary>The verdict word used in plain text.</summary>
    /// <param name="outcome">A verdict outcome.</param>
    /// <returns>holds, does not hold, not decided here, demonstration or not measured.</returns>
    public static string Word(string outcome) => outcome == Verdict.NotDecided ? "not decided here" : outcome.Replace('-', ' ');

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
        md.AppendLine(CultureInfo.InvariantCulture, $"Machine: {m.Cores} cores, {m.Os}, {m.Architecture}, .NET {m.Dotnet}. Run: {(results.Quick ? "--quick" : "full")}, {results.CreatedAt:yyyy-MM-dd HH:mm} UTC, {results.Seconds:F1} s.");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Each strategy ran {Repeats(results)} times, in rounds. Times and speed-ups are the median run, with the runs' range in brackets; a claim holds only if every run bears it out, fails only if every run contradicts it, and is otherwise *not decided here* (see docs/lab.md).");
        md.AppendLine();
        md.AppendLine(PythonLine(results));
        md.AppendLine();
        if (BusyLine(results) is { } busy)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"**{busy}**");
            md.AppendLine();
        }

        md.AppendLine("![speed-up per workload and strategy, CPython beside .NET](chart.png)");
        md.AppendLine();
        md.AppendLine("*Cores busy* is the CPU time the process used per second of the run: how many threads ran at once, on average (not measured for a process pool, whose work runs in other processes). Other work on the machine can lower it but never raise it: threads that kept more than one core busy ran in parallel, busy machine or not.");
        md.AppendLine();
        md.AppendLine("## Verdicts");
        md.AppendLine();
        foreach (var v in results.Verdicts)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- {VerdictLine(v, bold: true)}");
        }

        md.AppendLine();
        md.AppendLine("## Experiments");
        md.AppendLine();
        md.AppendLine("| Workload | Strategy | Runtime | Tasks | Workers | Time | Warm pool | Speed-up | Ideal | Efficiency | Cores busy | Note |");
        md.AppendLine("|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|");
        foreach (var e in Ordered(results))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {string.Join(" | ", Cells(e))} |");
        }

        var w = results.ConcurrentWaits;
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"## {w.Waits:N0} concurrent waits of {w.WaitSeconds:0.##} s");
        md.AppendLine();
        md.AppendLine("| Strategy | Runtime | Started | Time | Peak memory (above start) | Peak OS threads |");
        md.AppendLine("|---|---|--:|--:|--:|--:|");
        foreach (var (strategy, runtime, waits, run) in WaitRows(results))
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {strategy} | {runtime} | {Started(waits, run)}{(run.Error is null ? string.Empty : $" ({run.Error})")} | {Verdicts.S(run.Seconds)} | {Verdicts.Mb(run.PeakBytes)} | {run.PeakThreads:N0} |");
        }

        md.AppendLine();
        md.AppendLine("## Where the tutorial is wrong or dated");
        md.AppendLine();
        foreach (var note in Corrections(results))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
        }

        return md.ToString();
    }

    /// <summary>Corrections to the tutorial, with this run's evidence where it has any.</summary>
    /// <param name="results">The results.</param>
    /// <returns>One line per correction.</returns>
    public static IReadOnlyList<string> Corrections(LabResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var tutorial = results.CPython.TutorialProcessPool;
        var evidence = tutorial is null
            ? "(Not run here: no CPython; run with python3 on PATH to see it.)"
            : $"Run here as written on CPython {results.Machine.Python}: it printed \"{tutorial.Printed}\", and reading its results raised {tutorial.Error ?? "nothing"}.";
        return
        [
            "The process-pool example maps `range(4)` onto `cpu_intensive_task()`, which takes no argument: every task raises TypeError, "
                + "which waits in its future until the results are read, and the example never reads them, so it prints a misleadingly short time. "
                + "Give the function a parameter (`def cpu_intensive_task(n)`), and read the results. " + evidence,
            "\"PyPy is an alternative Python interpreter without a GIL\": PyPy has a GIL too (PyPy FAQ, \"Does PyPy have a GIL? Why?\").",
            "CPython 3.13 ships an optional free-threaded build without the GIL (PEP 703; `python3.13t`, `sys._is_gil_enabled()`); .NET threads, measured above, show what that buys for CPU-bound work.",
            "\"map() ensures results print in the order tasks were started\": the results come back in input order, but the work runs at once and finishes in any order (see the ordering verdict).",
            "as_completed() yields each future as it finishes, so the shortest task prints first.",
        ];
    }

    private static string Title(LabResults results) =>
        $"weft lab: the tutorial's claims on {results.Machine.Cores} cores, .NET {results.Machine.Dotnet}"
        + (results.HasCPython ? $" beside CPython {results.Machine.Python}" : string.Empty);

    /// <summary>Workloads in table order; within each, strategies in table order, .NET then CPython.</summary>
    private static IEnumerable<Measurement> Ordered(LabResults results) =>
        results.Experiments
            .OrderBy(m => Index(Strategies.Workloads, m.Workload))
            .ThenBy(m => Index(Strategies.All, m.Strategy))
            .ThenBy(m => m.Runtime == Runtimes.DotNet ? 0 : 1);

    private static int Index(IReadOnlyList<string> order, string name)
    {
        for (var i = 0; i < order.Count; i++)
        {
            if (order[i] == name)
            {
                return i;
            }
        }

        return order.Count;
    }

    /// <summary>How many times each strategy ran (the most runs of any experiment).</summary>
    private static int Repeats(LabResults results) =>
        results.Experiments.Count == 0 ? 0 : results.Experiments.Max(m => m.SecondsSpread.Runs.Count);

    private static string[] Cells(Measurement m) =>
    [
        Strategies.WorkloadLabel(m.Workload),
        Strategies.Label(m.Strategy),
        Runtimes.Label(m.Runtime),
        m.Tasks.ToString(CultureInfo.InvariantCulture),
        m.Workers.ToString(CultureInfo.InvariantCulture),
        Seconds(m.SecondsSpread),
        m.WarmSecondsSpread is { } warm ? $"{Seconds(warm)}: {Verdicts.Range(m.WarmSpeedupSpread!, "x")}" : "-",
        Verdicts.Speedups(m),
        Verdicts.X(m.Ideal),
        Verdicts.Percent(m.Efficiency),
        m.ParallelismSpread is { } p ? Verdicts.Range(p, string.Empty) : "-",
        m.Note ?? string.Empty,
    ];

    /// <summary>"0.21 s (runs 0.20-0.22)".</summary>
    private static string Seconds(Spread s) =>
        s.Runs.Count < 2 ? Verdicts.S(s.Median) : $"{Verdicts.S(s.Median)} (runs {s.Min.ToString("0.00", CultureInfo.InvariantCulture)}-{s.Max.ToString("0.00", CultureInfo.InvariantCulture)})";
}
