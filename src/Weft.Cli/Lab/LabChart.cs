using System.Globalization;
using ScottPlot;

namespace Weft.Cli.Lab;

/// <summary>chart.png: one panel per workload, each with its own scale; in each, per strategy, the .NET bar
/// and the CPython bar side by side, and the ideal speed-up on this machine marked above them.</summary>
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
        var ticks = new List<Tick>();
        var top = 1.0;
        for (var s = 0; s < strategies.Count; s++)
        {
            ticks.Add(new Tick(s, ShortLabel(strategies[s])));
            var net = results.Find(Runtimes.DotNet, workload, strategies[s]);
            var py = results.Find(Runtimes.CPython, workload, strategies[s]);
            if (net is not null)
            {
                bars.Add(BarOf(s - (BarWidth / 2), net.Speedup, s_dotnet));
            }

            if (py is not null)
            {
                bars.Add(BarOf(s + (BarWidth / 2), py.Speedup, s_cpython));
            }

            var ideal = (net ?? py)!.Ideal;
            var line = plot.Add.Line(s - BarWidth - 0.04, ideal, s + BarWidth + 0.04, ideal);
            line.LineColor = Colors.Black;
            line.LineWidth = 2;
            line.LinePattern = LinePattern.Dashed;
            top = Math.Max(top, Math.Max(ideal, Math.Max(net?.Speedup ?? 0, py?.Speedup ?? 0)));
        }

        var barPlot = plot.Add.Bars(bars);
        barPlot.ValueLabelStyle.FontSize = 11;
        barPlot.ValueLabelStyle.BackgroundColor = Colors.White.WithAlpha(0.85);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        plot.Axes.Bottom.TickLabelStyle.Rotation = -30;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        plot.Axes.Bottom.MinimumSize = 90;
        plot.Axes.SetLimits(-0.6, strategies.Count - 0.4, 0, top * 1.4);
        var m = results.Machine;
        plot.Title(workload == Strategies.Cpu && SystemLoad.IsBusy(m.LoadAverage, m.Cores)
            ? $"{Strategies.WorkloadLabel(workload)} (busy machine: load {m.LoadAverage:0.0} on {m.Cores} cores)"
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
            // The top quarter is kept free of bars (the limits above), so the legend covers no data.
            plot.ShowLegend(legend, Alignment.UpperCenter);
        }
    }

    private static Bar BarOf(double x, double speedup, Color color) => new()
    {
        Position = x,
        Value = speedup,
        Size = BarWidth * 0.95,
        FillColor = color,
        LineColor = Colors.Black.WithAlpha(0.4),
        Label = speedup.ToString("0.0", CultureInfo.InvariantCulture),
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
