using Weft.Cli.Lab;

namespace Weft.Cli.Tests.Lab;

/// <summary>Fixed figures for the verdict and report tests: no timing, the same numbers every run.</summary>
internal static class LabFixtures
{
    /// <summary>Three runs of the same value: a quiet machine.</summary>
    public static double[] Same(double value) => [value, value, value];

    /// <summary>A measurement whose three runs all took <paramref name="seconds"/>, against a sequential whose runs all took <paramref name="sequential"/>.</summary>
    public static Measurement M(string runtime, string workload, string strategy, double seconds, double sequential, double ideal) =>
        Of(runtime, workload, strategy, Same(seconds), Same(sequential), ideal);

    /// <summary>A measurement from its runs and the same rounds' sequential runs.</summary>
    public static Measurement Of(string runtime, string workload, string strategy, double[] runs, double[] sequential, double ideal,
        double[]? cpu = null, double[]? warm = null, double? otherCores = null)
    {
        var seconds = new Spread(runs);
        var baseline = new Spread(sequential);
        var warmSeconds = warm is null ? null : new Spread(warm);
        return new Measurement(runtime, workload, strategy, 4, 4, seconds, Spread.Ratio(baseline, seconds), ideal, null,
            warmSeconds, warmSeconds is null ? null : Spread.Ratio(baseline, warmSeconds), cpu is null ? null : new Spread(cpu))
        {
            OtherCores = otherCores,
        };
    }

    private static Measurement Net(string workload, string strategy, double seconds, double sequential, double ideal) =>
        M(Runtimes.DotNet, workload, strategy, seconds, sequential, ideal);

    /// <summary>A fake measurement set: what .NET measures on an idle 2-core machine, without CPython.</summary>
    public static LabResults DotNetLike(double cpuThreads = 0.21, double cpuGil = 0.42, double ioGil = 0.12, double cpuProcesses = 0.22,
        long unsynchronised = 2_500_000, int[]? map = null, int[]? asCompleted = null, double asyncWaitSeconds = 0.5,
        double httpPool = 0.3, bool withHttp = true)
    {
        List<Measurement> experiments =
        [
            Net(Strategies.IoSleep, Strategies.Sequential, 1.0, 1.0, 1),
            Net(Strategies.IoSleep, Strategies.Threads, 0.11, 1.0, 10),
            Net(Strategies.IoSleep, Strategies.GilThreads, ioGil, 1.0, 10),
            Net(Strategies.Cpu, Strategies.Sequential, 0.4, 0.4, 1),
            Net(Strategies.Cpu, Strategies.Threads, cpuThreads, 0.4, 2),
            Net(Strategies.Cpu, Strategies.GilThreads, cpuGil, 0.4, 2),
            Of(Runtimes.DotNet, Strategies.Cpu, Strategies.ProcessPool, Same(cpuProcesses), Same(0.4), 2, warm: Same(cpuProcesses * 0.8)),
        ];
        if (withHttp)
        {
            experiments.Add(Net(Strategies.IoHttp, Strategies.Sequential, 1.2, 1.2, 1));
            experiments.Add(Net(Strategies.IoHttp, Strategies.ThreadPool, httpPool, 1.2, 6));
        }

        return new LabResults
        {
            Machine = new MachineInfo(2, "test", "10.0", "X64"),
            Experiments = experiments,
            ConcurrentWaits = new WaitsResult(10_000, 0.5, new WaitRun(2.0, 80_000_000, 10_010), new WaitRun(asyncWaitSeconds, 4_000_000, 12)),
            Refcount = new RefcountResult(4, 4_000_000, unsynchronised, 1, 4_000_000, 4_000_000, 4_000_000),
            Ordering = new OrderingResult([5, 4, 3, 2, 1], map ?? [5, 4, 3, 2, 1], [1, 2, 3, 4, 5], asCompleted ?? [1, 2, 3, 4, 5], [1, 2, 3, 4, 5]),
            CPython = new CPythonRun(CPythonRun.Skipped, null, "--no-python"),
        };
    }

    /// <summary>The same, with the rows CPython 3.11 measures on that machine added.</summary>
    public static LabResults WithCPython(LabResults dotnet, double cpuThreads = 0.4, double cpuProcesses = 0.25, double ioThreads = 0.11,
        double httpThreads = 0.13, double httpPool = 0.26, bool gilEnabled = true, int[]? asCompleted = null)
    {
        const string py = Runtimes.CPython;
        List<Measurement> rows =
        [
            M(py, Strategies.IoSleep, Strategies.Sequential, 1.0, 1.0, 1),
            M(py, Strategies.IoSleep, Strategies.Threads, ioThreads, 1.0, 10),
            M(py, Strategies.IoHttp, Strategies.Sequential, 1.3, 1.3, 1),
            M(py, Strategies.IoHttp, Strategies.Threads, httpThreads, 1.3, 10),
            M(py, Strategies.IoHttp, Strategies.ThreadPool, httpPool, 1.3, 6),
            M(py, Strategies.Cpu, Strategies.Sequential, 0.4, 0.4, 1),
            M(py, Strategies.Cpu, Strategies.Threads, cpuThreads, 0.4, 2),
            Of(py, Strategies.Cpu, Strategies.ProcessPool, Same(cpuProcesses), Same(0.4), 2, warm: Same(cpuProcesses * 0.84)),
        ];
        return dotnet with
        {
            Experiments = [.. dotnet.Experiments, .. rows],
            Machine = dotnet.Machine with { Python = "3.11.7", GilEnabled = gilEnabled },
            CPython = new CPythonRun(CPythonRun.Measured, "/usr/bin/python3", null)
            {
                StartupSeconds = 0.02,
                Ordering = new OrderingResult([5, 4, 3, 2, 1], [5, 4, 3, 2, 1], [1, 2, 3, 4, 5], asCompleted ?? [1, 2, 3, 4, 5], [1, 2, 3, 4, 5]),
            },
        };
    }

    /// <summary>CPython's threading.Thread and asyncio waits added: asyncio waits in a fifth of the memory.</summary>
    public static LabResults WithCPythonWaits(LabResults results, double asyncSeconds = 0.55, long asyncBytes = 8_000_000,
        int? threadsStarted = null, string? error = null) =>
        results with
        {
            Machine = results.Machine with { Python = "3.11.7", GilEnabled = true },
            CPython = results.CPython with
            {
                ConcurrentWaits = new WaitsResult(5_000, 0.5,
                    new WaitRun(1.8, 40_000_000, 1_400) { Started = threadsStarted ?? 5_000, Error = error },
                    new WaitRun(asyncSeconds, asyncBytes, 1) { Started = 5_000 })
                {
                    Runtime = Runtimes.CPython,
                },
            },
        };

    /// <summary>Replaces one experiment.</summary>
    public static LabResults Replace(LabResults results, string id, Func<Measurement, Measurement> change) =>
        results with { Experiments = [.. results.Experiments.Select(m => m.Id == id ? change(m) : m)] };

    /// <summary>The verdict of one claim.</summary>
    public static Verdict Find(LabResults results, string id) => Verdicts.Compute(results).Single(v => v.Id == id);
}
