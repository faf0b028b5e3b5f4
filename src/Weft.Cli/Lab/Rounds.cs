using System.Diagnostics;
using Weft.Cli.Demos;

namespace Weft.Cli.Lab;

/// <summary>Times one workload's .NET strategies in rounds: each strategy once per round, for
/// <see cref="LabSettings.Repeats"/> rounds, keeping every run. Rounds, rather than one strategy's runs back to
/// back, spread a burst of other load over all strategies, and pair each run with the same round's sequential run
/// for its speed-up. While the group runs, it measures how much CPU other processes took.</summary>
internal sealed class Rounds(LabSettings settings, ILabProgress progress)
{
    /// <summary>Measures a group of experiments.</summary>
    /// <param name="group">The workload's experiments; their baselines among them.</param>
    /// <returns>One measurement per experiment, in order.</returns>
    public List<Measurement> Measure(IReadOnlyList<Experiment> group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var before = SystemLoad.Snapshot();
        var times = group.Select(_ => new List<double>()).ToArray();
        var warm = group.Select(_ => new List<double>()).ToArray();
        var cpu = group.Select(_ => new List<double>()).ToArray();
        var trials = new List<Trial>(group.Count);
        var notes = new string?[group.Count];
        try
        {
            foreach (var experiment in group)
            {
                trials.Add(experiment.Prepare());
            }

            for (var round = 1; round <= settings.Repeats; round++)
            {
                for (var i = 0; i < group.Count; i++)
                {
                    progress.Begin($"{Label(group[i])} (run {round} of {settings.Repeats})");
                    var (seconds, cpuSeconds) = Time(trials[i].Run);
                    times[i].Add(seconds);
                    cpu[i].Add(cpuSeconds);
                    if (trials[i].Warm is { } run)
                    {
                        warm[i].Add(Time(run).Seconds);
                    }
                }
            }

            for (var i = 0; i < group.Count; i++)
            {
                notes[i] = trials[i].Note;
            }
        }
        finally
        {
            foreach (var trial in trials)
            {
                trial.Dispose();
            }
        }

        // After the pools' workers have ended, so their CPU time counts as this process's, not as other work.
        var otherCores = SystemLoad.OtherCores(before, SystemLoad.Snapshot(), Environment.ProcessorCount);
        var measurements = new List<Measurement>(group.Count);
        for (var i = 0; i < group.Count; i++)
        {
            var e = group[i];
            var seconds = new Spread(times[i]);
            var baseline = new Spread(times[IndexOf(group, e.Baseline)]);
            var warmSeconds = warm[i].Count > 0 ? new Spread(warm[i]) : null;
            var m = new Measurement(Runtimes.DotNet, e.Workload, e.Strategy, e.Tasks, e.Workers, seconds, Spread.Ratio(baseline, seconds), e.Ideal,
                notes[i], warmSeconds, warmSeconds is null ? null : Spread.Ratio(baseline, warmSeconds), e.InProcess ? new Spread(cpu[i]) : null)
            {
                OtherCores = otherCores,
            };
            progress.End(Label(e), $"{Verdicts.S(m.Seconds)} ({Verdicts.Speedups(m)})");
            measurements.Add(m);
        }

        return measurements;
    }

    private static int IndexOf(IReadOnlyList<Experiment> group, string strategy)
    {
        for (var i = 0; i < group.Count; i++)
        {
            if (group[i].Strategy == strategy)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"{group[0].Workload} has no {strategy} experiment to measure against");
    }

    /// <summary>Wall time, and the CPU time this process used meanwhile (every thread's).</summary>
    private static (double Seconds, double CpuSeconds) Time(Action run)
    {
        var cpu = Environment.CpuUsage.TotalTime;
        var start = Stopwatch.GetTimestamp();
        run();
        return (Clock.Seconds(start), (Environment.CpuUsage.TotalTime - cpu).TotalSeconds);
    }

    private static string Label(Experiment e) => $"{e.Workload} / {Strategies.Label(e.Strategy)}";
}
