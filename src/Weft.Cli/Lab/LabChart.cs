using ScottPlot;

namespace Weft.Cli.Lab;

/// <summary>chart.png: bars of speed-up per workload and strategy, with each bar's ideal marked.</summary>
internal static class LabChart
{
    private static readonly Color[] s_palette =
    [
        Color.FromHex("#9e9e9e"), Color.FromHex("#1f77b4"), Color.FromHex("#2ca02c"),
        Color.FromHex("#d62728"), Color.FromHex("#9467bd"), Color.FromHex("#ff7f0e"),
    ];

    /// <summary>Draws the chart and saves it as a PNG.</summary>
    /// <param name="results">The results.</param>
    /// <param name="path">The file to write.</param>
    public static void Save(LabResults results, string path)
    {
        ArgumentNullException.ThrowIfNull(results);
        var plot = new Plot();
        var workloads = Strategies.Workloads.Where(w => results.Experiments.Any(m => m.Workload == w && m.Available)).ToList();
        var strategies = Strategies.All;
        const double groupWidth = 1.0;
        var barWidth = groupWidth / (strategies.Count + 1);
        var bars = new List<Bar>();
        var ticks = new List<Tick>();

        for (var g = 0; g < workloads.Count; g++)
        {
            var center = g * (groupWidth + 0.4);
            ticks.Add(new Tick(center, Strategies.WorkloadLabel(workloads[g])));
            for (var s = 0; s < strategies.Count; s++)
            {
                var m = results.Find(workloads[g], strategies[s]);
                if (m?.Speedup is not { } speedup)
                {
                    continue;
                }

                var x = center + ((s - ((strategies.Count - 1) / 2.0)) * barWidth);
                bars.Add(new Bar
                {
                    Position = x,
                    Value = speedup,
                    Size = barWidth * 0.9,
                    FillColor = s_palette[s % s_palette.Length],
                    Label = speedup.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture),
                });
                var ideal = plot.Add.Line(x - (barWidth / 2), m.Ideal, x + (barWidth / 2), m.Ideal);
                ideal.LineColor = Colors.Black;
                ideal.LineWidth = 2;
                ideal.LinePattern = LinePattern.Dashed;
            }
        }

        plot.Add.Bars(bars);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        plot.Axes.Margins(bottom: 0);
        plot.Title($"weft lab: speed-up over sequential ({results.Machine.Cores} cores, .NET {results.Machine.Dotnet})");
        plot.YLabel("speed-up (x)");

        var legend = strategies.Select((s, i) => new LegendItem { LabelText = Strategies.Label(s), FillColor = s_palette[i % s_palette.Length] }).ToList();
        legend.Add(new LegendItem { LabelText = "ideal on this machine", LineColor = Colors.Black, LineWidth = 2, LinePattern = LinePattern.Dashed });
        plot.ShowLegend(legend, Alignment.UpperRight);
        plot.SavePng(path, 1000, 560);
    }
}
