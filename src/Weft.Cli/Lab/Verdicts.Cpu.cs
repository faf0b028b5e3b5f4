using System.Globalization;

namespace Weft.Cli.Lab;

/// <summary>The CPU-bound claims. They need free cores, so a busy machine leaves them not decided, except where the
/// figure is one load could not have produced (see <see cref="Decision.OnBusyMachine"/>).</summary>
internal static partial class Verdicts
{
    private static Verdict CpuThreads(LabResults results)
    {
        const string id = "cpu-threads", claim = "Threads do not speed up CPU-bound work (section 5, the GIL example).";
        if (Deciding(results, Strategies.Cpu, Strategies.Threads) is not { } m)
        {
            return NotMeasured(id, claim, Strategies.Cpu, Strategies.Threads);
        }

        var holds = Serial(results, m);
        string? comment;
        if (OnCPython(m))
        {
            comment = results.Machine.GilEnabled == false
                ? "This CPython runs without the GIL (a free-threaded build), so its threads can use every core."
                : results.Find(Runtimes.DotNet, Strategies.Cpu, Strategies.Threads) is { } net && Serial(results, net) != false
                    ? DotNetBeside(results, m, $"{Cores(net)} with the same threads: .NET has no GIL, but other work kept the cores busy during this run.")
                    : DotNetBeside(results, m, " with the same threads: .NET has no GIL, so CPU-bound threads run on all cores.");
        }
        else
        {
            comment = holds switch
            {
                true when results.Machine.Cores < 2 => "One core: nothing can run in parallel here, GIL or not.",
                true => "The cores were busy with other work during this run; .NET itself has no GIL. Run it again on an idle machine.",
                false => "Differs in .NET: it has no GIL, so CPU-bound threads run on all cores.",
                null => ".NET has no GIL: on an idle machine its CPU-bound threads run on all cores.",
            };
        }

        return SerialVerdict(results, id, claim, m,
            $"{X(m.Speedup)}{Cores(m)} with {m.Workers} threads on {results.Machine.Cores} cores {On(results, m)} (ideal {X(m.Ideal)})", [m.Id], comment);
    }

    private static Verdict CpuGil(LabResults results)
    {
        const string id = "cpu-gil", claim = "Under the GIL, CPU-bound threads are no faster than sequential code.";
        var simulated = results.Find(Runtimes.DotNet, Strategies.Cpu, Strategies.GilThreads);
        if (RealGil(results, Strategies.Cpu) is { } real)
        {
            return SerialVerdict(results, id, claim, real,
                $"{X(real.Speedup)}{Cores(real)} with {real.Workers} threads under CPython {results.Machine.Python}'s GIL (ideal {X(real.Ideal)})",
                [real.Id, .. Ids(simulated)],
                simulated is null ? null : $"Weft's simulated lock: {X(simulated.Speedup)}{Cores(simulated)}.");
        }

        return SimulatedOnly(id, claim, Strategies.Cpu, simulated, "Weft's simulated lock lets one thread run at a time, switching every few ms.");
    }

    /// <summary>A GIL claim without a GIL-enabled CPython: the simulated lock shows it, by construction.</summary>
    private static Verdict SimulatedOnly(string id, string claim, string workload, Measurement? simulated, string why) =>
        simulated is null
            ? NotMeasured(id, claim, workload, Strategies.GilThreads)
            : new Verdict(id, claim, Verdict.Demonstration,
                $"{Speedups(simulated)} with {simulated.Workers} threads under the simulated lock (ideal {X(simulated.Ideal)})", [simulated.Id],
                $"Holds by construction: {why} With python3 the real GIL decides.");

    private static Verdict GilModel(LabResults results)
    {
        const string id = "gil-model", claim = "Weft's simulated lock behaves like CPython's GIL on the CPU-bound loop (the model, checked).";
        var simulated = results.Find(Runtimes.DotNet, Strategies.Cpu, Strategies.GilThreads);
        var real = results.Find(Runtimes.CPython, Strategies.Cpu, Strategies.Threads);
        if (simulated is null || real is null)
        {
            return new Verdict(id, claim, Verdict.NotMeasured,
                real is null ? "needs CPython: run with python3 on PATH or --python PATH" : $"{Strategies.Cpu}/{Strategies.GilThreads} was not run",
                [.. Ids(simulated), .. Ids(real)]);
        }

        var (a, b) = (Serial(results, simulated), Serial(results, real));
        bool? agree = a is { } x && b is { } y ? x == y : null;
        var undecided = a is null ? simulated : real;
        return Decided(id, claim, agree,
            $"threads' speed-up: simulated {X(simulated.Speedup)}{Cores(simulated)}, CPython {results.Machine.Python} {X(real.Speedup)}{Cores(real)} (ideal {X(real.Ideal)}; one at a time below {F2(NoSpeedup)} cores busy)",
            [simulated.Id, real.Id],
            results.Machine.GilEnabled == false ? "This CPython runs without the GIL: the model is of the GIL-enabled build." : null,
            () => SerialReason(results, undecided));
    }

    private static Verdict CpuProcesses(LabResults results)
    {
        const string id = "cpu-processes", claim = "A process pool speeds up CPU-bound work (it bypasses the GIL).";
        if (Deciding(results, Strategies.Cpu, Strategies.ProcessPool) is not { } m)
        {
            return NotMeasured(id, claim, Strategies.Cpu, Strategies.ProcessPool);
        }

        // Judged on the pool already running: its start-up is a fixed cost, not the work's, and on a short run it
        // would decide the figure. The tutorial's with block (start-up included) is quoted beside it.
        var judged = m.WarmSpeedupSpread ?? m.SpeedupSpread;
        var busy = IsBusy(results, m, Lanes(results, m));
        var holds = Decision.OnBusyMachine(Decision.AtLeast(judged, NoSpeedup), busy, parallelRegardless: false);
        var figure = m.WarmSpeedupSpread is null
            ? $"{Speedups(m)} with {m.Workers} processes {On(results, m)}, pool start-up included (ideal {X(m.Ideal)})"
            : $"{Range(judged, "x")} with {m.Workers} processes {On(results, m)} on a pool already running; "
              + $"{Speedups(m)} with its start-up, as the tutorial's with block times it (ideal {X(m.Ideal)})";
        string? comment;
        if (OnCPython(m))
        {
            var net = results.Find(Runtimes.DotNet, Strategies.Cpu, Strategies.ProcessPool);
            var threads = results.Find(Runtimes.DotNet, Strategies.Cpu, Strategies.Threads);
            comment = $".NET: process pool {X(net?.WarmSpeedup ?? net?.Speedup)} running, {X(net?.Speedup)} with start-up; plain threads {X(threads?.Speedup)}: no GIL to bypass.";
        }
        else
        {
            comment = holds switch
            {
                true => "In .NET plain threads do as well, without copying arguments between processes.",
                false => "Copying arguments and results between processes outweighed the work.",
                null => null,
            };
        }

        return Decided(id, claim, holds, figure, [m.Id], comment,
            () => busy ? Busy(results, m) : Straddles(judged, NoSpeedup, "x"));
    }

    /// <summary>A "no faster than sequential" claim, by cores busy where measured.</summary>
    private static Verdict SerialVerdict(LabResults results, string id, string claim, Measurement m, string figure, IReadOnlyList<string> evidence, string? comment) =>
        Decided(id, claim, Serial(results, m), figure, evidence, comment, () => SerialReason(results, m));

    /// <summary>Whether CPU-bound threads ran one at a time: by their CPU time per wall second where it was measured
    /// (other load can lower it but never raise it), else by their speed-up; null when not decided.</summary>
    private static bool? Serial(LabResults results, Measurement m)
    {
        var runs = m.ParallelismSpread ?? m.SpeedupSpread;
        var serial = Decision.Below(runs, NoSpeedup);
        return Decision.OnBusyMachine(serial, IsBusy(results, m, Lanes(results, m)), parallelRegardless: serial == false && m.ParallelismSpread is not null);
    }

    private static string SerialReason(LabResults results, Measurement m) =>
        IsBusy(results, m, Lanes(results, m))
            ? Busy(results, m)
            : m.ParallelismSpread is { } p ? Straddles(p, NoSpeedup, " cores busy") : Straddles(m.SpeedupSpread, NoSpeedup, "x");

    /// <summary>How many things CPU-bound work can run at once here: tasks, workers and cores.</summary>
    private static int Lanes(LabResults results, Measurement m) => Math.Min(Math.Min(m.Tasks, m.Workers), results.Machine.Cores);

    /// <summary>" (1.0 cores busy, runs 0.9-1.0)" where the CPU time was measured.</summary>
    private static string Cores(Measurement m) => m.ParallelismSpread switch
    {
        null => string.Empty,
        { Runs.Count: < 2 } p => $" ({F1(p.Median)} cores busy)",
        { } p => $" ({F1(p.Median)} cores busy, runs {F1(p.Min)}-{F1(p.Max)})",
    };

    /// <summary>CPython's threads row for a workload, when that CPython has its GIL.</summary>
    private static Measurement? RealGil(LabResults results, string workload) =>
        results.Machine.GilEnabled == true ? results.Find(Runtimes.CPython, workload, Strategies.Threads) : null;

    private static string F2(double value) => value.ToString("0.0#", CultureInfo.InvariantCulture);
}
