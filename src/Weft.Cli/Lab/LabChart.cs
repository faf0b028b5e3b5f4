using System.Globalization;
using ScottPlot;

namespace Weft.Cli.Lab;

/// <summary>chart.png: one panel per workload, each with its own scale; in each, per strategy, the .NET bar
/// and the CPython bar side by side (the median speed-up, with a whisker from the slowest run to the fastest),
/// the warm pool's median as a diamond where it was timed, and the ideal speed-up on this machine marked above them.</summary>
internal static class LabChart
{
    private static readonly Color s_dotnet = Color.FromHex("#512bd4");
    private static readonly Color s_cpython = Color.FromHex("#ffd43b");
    private const double BarWidth = 0.38;

    /// <summary>Draws the chart and saves it as a PNG.</summary>
    /// <param name="results">The results.</param>
    /// <param name="path">The file to write.</param>
    public static void Save(LabResults results, string path)
    {
        ArgumentNullException.ThrowIfNull(results);
        var workloads = Strategies.Workloads.Where(w => results.Experiments.Any(m => m.Workload == w)).ToList();
        var multiplot = new Multiplot();
        multiplot.AddPlots(Math.Max(1, workloads.Count));
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        for (var i = 0; i < workloads.Count; i++)
        {
            Panel(multiplot.GetPlot(i), results, workloads[i], showLegend: i == workloads.Count - 1);
        }

        multiplot.SavePng(path, 1500, 620);
    }

    private static void Panel(Plot plot, LabResults results, string workload, bool showLegend)
    {
        var strategies = Strategies.All.Where(s => results.Experiments.Any(m => m.Workload == workload && m.Strategy == s)).ToList();
        var bars = new List<Bar>();
        var overBars = new List<Action>(); // whiskers and markers, drawn after the bars so that the bars do not hide them
        var ticks = new List<Tick>();
        var top = 1.0; // the highest median or ideal
        var whiskerTop = 0.0;
        for (var s = 0; s < strategies.Count; s++)
        {
            ticks.Add(new Tick(s, ShortLabel(strategies[s])));
            var net = results.Find(Runtimes.DotNet, workload, strategies[s]);
            var py = results.Find(Runtimes.CPython, workload, strategies[s]);
            foreach (var (m, x, color) in new[] { (net, s - (BarWidth / 2), s_dotnet), (py, s + (BarWidth / 2), s_cpython) })
            {
                if (m is null)
                {
                    continue;
                }

                bars.Add(BarOf(x, m.SpeedupSpread, color));
                var spread = m.SpeedupSpread;
                overBars.Add(() => Whisker(plot, x, spread));
                whiskerTop = Math.Max(whiskerTop, m.SpeedupSpread.Max);
                if (m.WarmSpeedupSpread is { } warm)
                {
                    overBars.Add(() => plot.Add.Marker(x, warm.Median, MarkerShape.FilledDiamond, 10, Colors.Black));
                    top = Math.Max(top, warm.Median);
                }
            }

            var ideal = (net ?? py)!.Ideal;
            var line = plot.Add.Line(s - BarWidth - 0.04, ideal, s + BarWidth + 0.04, ideal);
            line.LineColor = Colors.Black;
            line.LineWidth = 2;
            line.LinePattern = LinePattern.Dashed;
            top = Math.Max(top, Math.Max(ideal, Math.Max(net?.Speedup ?? 0, py?.Speedup ?? 0)));
        }

        // A wild run (a busy machine's) may reach past the top: its whisker is cut there rather than squash the bars.
        top = Math.Max(top, Math.Min(whiskerTop, top * 1.5));
        var barPlot = plot.Add.Bars(bars);
        barPlot.ValueLabelStyle.FontSize = 11;
        barPlot.ValueLabelStyle.BackgroundColor = Colors.White.WithAlpha(0.85);
        overBars.ForEach(draw => draw());
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        plot.Axes.Bottom.TickLabelStyle.Rotation = -30;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        plot.Axes.Bottom.MinimumSize = 90;
        plot.Axes.SetLimits(-0.6, strategies.Count - 0.4, 0, top * 1.4);
        plot.Title(workload == Strategies.Cpu && LabReport.BusyLine(results) is not null
            ? $"{Strategies.WorkloadLabel(workload)} (busy machine: not decided here)"
            : Strategies.WorkloadLabel(workload));
        plot.YLabel("speed-up over sequential (x)");

        if (showLegend)
        {
            List<LegendItem> legend =
            [
                new() { LabelText = $".NET {results.Machine.Dotnet}", FillColor = s_dotnet },
            ];
            if (results.HasCPython)
            {
                legend.Add(new LegendItem { LabelText = $"CPython {results.Machine.Python}", FillColor = s_cpython });
            }

            legend.Add(new LegendItem { LabelText = $"ideal on {results.Machine.Cores} cores", LineColor = Colors.Black, LineWidth = 2, LinePattern = LinePattern.Dashed });
            legend.Add(new LegendItem { LabelText = "median of the runs; whisker: slowest to fastest run", LineColor = Colors.Black, LineWidth = 1 });
            if (results.Experiments.Any(e => e.WarmSpeedupSpread is not null))
            {
                legend.Add(new LegendItem { LabelText = "process pool already running (judged on)", MarkerShape = MarkerShape.FilledDiamond, MarkerFillColor = Colors.Black, MarkerSize = 10 });
            }

            // The top quarter is kept free of bars (the limits above), so the legend covers no data.
            plot.ShowLegend(legend, Alignment.UpperCenter);
        }
    }

    /// <summary>A vertical line from the slowest run's speed-up to the fastest's, capped at both ends.</summary>
    private static void Whisker(Plot plot, double x, Spread runs)
    {
        const double cap = BarWidth / 5;
        foreach (var (x1, y1, x2, y2) in new[] { (x, runs.Min, x, runs.Max), (x - cap, runs.Min, x + cap, runs.Min), (x - cap, runs.Max, x + cap, runs.Max) })
        {
            var line = plot.Add.Line(x1, y1, x2, y2);
            line.LineColor = Colors.Black;
            line.LineWidth = 1.5f;
        }
    }

    private static Bar BarOf(double x, Spread speedup, Color color) => new()
    {
        Position = x,
        Value = speedup.Median,
        Size = BarWidth * 0.95,
        FillColor = color,
        LineColor = Colors.Black.WithAlpha(0.4),
        Label = speedup.Median.ToString("0.0", CultureInfo.InvariantCulture),
    };

    private static string ShortLabel(string strategy) => strategy switch
    {
        Strategies.ThreadPool => "thread pool",
        Strategies.ProcessPool => "process pool",
        Strategies.GilSequential => "sequential + sim. GIL",
        Strategies.GilThreads => "threads + sim. GIL",
        _ => Strategies.Label(strategy),
    };
}
