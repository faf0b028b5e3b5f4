using System.Globalization;

namespace Weft.Cli.Lab.Python;

/// <summary>The lab's workloads as the tutorial's Python programs: their arguments (the lab's knobs) and their
/// reports turned into <see cref="Runtimes.CPython"/> measurements.</summary>
internal static class CPythonWorkloads
{
    private const string Warm = "-warm";

    /// <summary>The program and arguments for the sleep workload.</summary>
    /// <param name="settings">The sizes.</param>
    /// <returns>The program's file name and its arguments.</returns>
    public static (string Program, string[] Arguments) IoSleep(LabSettings settings) =>
        (PythonPrograms.IoSleep,
        [
            "--tasks", I(settings.IoTasks), "--latency", D(settings.IoLatency.TotalSeconds), "--repeats", I(settings.Repeats),
            "--order-unit", D(settings.OrderUnit.TotalSeconds),
        ]);

    /// <summary>The program and arguments for the HTTP workload.</summary>
    /// <param name="settings">The sizes.</param>
    /// <param name="images">The built-in server's image URLs.</param>
    /// <returns>The program's file name and its arguments.</returns>
    public static (string Program, string[] Arguments) IoHttp(LabSettings settings, IEnumerable<Uri> images) =>
        (PythonPrograms.IoHttp, ["--repeats", I(settings.Repeats), .. images.Select(u => u.ToString())]);

    /// <summary>The program and arguments for the CPU workload; the program measures its process pool's start-up,
    /// then calibrates its own loop to the target time, or longer where the start-up asks for it.</summary>
    /// <param name="settings">The sizes.</param>
    /// <returns>The program's file name and its arguments.</returns>
    public static (string Program, string[] Arguments) Cpu(LabSettings settings) =>
        (PythonPrograms.Cpu,
        [
            "--tasks", I(settings.CpuTasks), "--target", D(settings.PythonCpuTaskTarget.TotalSeconds),
            "--max-target", D(settings.PythonCpuTaskLimit.TotalSeconds), "--repeats", I(settings.Repeats),
        ]);

    /// <summary>The program and arguments for the concurrent waits (threads versus asyncio).</summary>
    /// <param name="settings">The sizes.</param>
    /// <returns>The program's file name and its arguments.</returns>
    public static (string Program, string[] Arguments) Waits(LabSettings settings) =>
        (PythonPrograms.Waits, ["--waits", I(settings.Waits), "--seconds", D(settings.WaitDuration.TotalSeconds)]);

    /// <summary>Reads the waits program's report.</summary>
    /// <param name="report">What the program printed.</param>
    /// <returns>Its figures, as a <see cref="Runtimes.CPython"/> result.</returns>
    /// <exception cref="CPythonException">The report lacks them or a time is not positive.</exception>
    public static WaitsResult ConcurrentWaits(PythonReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var waits = report.Waits ?? throw new CPythonException("the waits program reported no waits");
        if (waits.Threads is not { Seconds: > 0 } || waits.Async is not { Seconds: > 0 })
        {
            throw new CPythonException("the waits program reported no valid time for threads or async");
        }

        return waits with { Runtime = Runtimes.CPython };
    }

    /// <summary>Turns a program's report into measurements, sequential first.</summary>
    /// <param name="report">What the program printed.</param>
    /// <param name="workload">The workload it ran.</param>
    /// <param name="tasks">How many tasks it ran.</param>
    /// <param name="cores">This machine's cores (CPU work cannot go faster than that).</param>
    /// <returns>One measurement per strategy.</returns>
    /// <exception cref="CPythonException">The report lacks a strategy or a time is not positive.</exception>
    public static List<Measurement> Measurements(PythonReport report, string workload, int tasks, int cores)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Workload != workload)
        {
            throw new CPythonException($"the {workload} program reported workload '{report.Workload}'");
        }

        List<string> strategies = workload == Strategies.Cpu
            ? [Strategies.Sequential, Strategies.Threads, Strategies.ThreadPool, Strategies.ProcessPool]
            : [Strategies.Sequential, Strategies.Threads, Strategies.ThreadPool, Strategies.ProcessPool, Strategies.Async];
        var sequential = Seconds(report, workload, Strategies.Sequential);
        var measurements = new List<Measurement>();
        foreach (var strategy in strategies)
        {
            var seconds = Seconds(report, workload, strategy);
            var workers = strategy switch
            {
                Strategies.Sequential => 1,
                Strategies.ThreadPool or Strategies.ProcessPool => report.Workers.GetValueOrDefault(strategy, cores),
                _ => tasks,
            };
            var lanes = workload == Strategies.Cpu ? Math.Min(workers, cores) : workers;
            // The warm pool is timed where the claim is judged on it: the CPU loop's process pool.
            var warm = strategy == Strategies.ProcessPool && workload == Strategies.Cpu ? Seconds(report, workload, strategy + Warm) : null;
            // A process pool's work runs in its workers, whose CPU time is not the interpreter's.
            var cpu = strategy != Strategies.ProcessPool && report.CpuSeconds.TryGetValue(strategy, out var c) && c.Length == seconds.Runs.Count
                ? new Spread(c)
                : null;
            measurements.Add(new Measurement(
                Runtimes.CPython, workload, strategy, tasks, workers, seconds, Pair(sequential, seconds, workload, strategy),
                Experiment.IdealSpeedup(tasks, lanes), Note(report, strategy), warm, warm is null ? null : Pair(sequential, warm, workload, strategy + Warm), cpu));
        }

        return measurements;
    }

    /// <summary>Each round's speed-up: the sequential run over the same round's run of the strategy.</summary>
    private static Spread Pair(Spread sequential, Spread seconds, string workload, string strategy) =>
        sequential.Runs.Count == seconds.Runs.Count
            ? Spread.Ratio(sequential, seconds)
            : throw new CPythonException($"the {workload} program reported {seconds.Runs.Count} runs of {strategy} but {sequential.Runs.Count} of sequential");

    private static string? Note(PythonReport report, string strategy) => strategy switch
    {
        Strategies.Sequential when report.Loop is { } n => $"loop of {n:N0}"
            + (report.TaskTarget is { } t ? $", {t * 1000:0} ms a task" : string.Empty),
        Strategies.ProcessPool when report.PoolStartup is { } s =>
            $"pool start-up timed (the tutorial's with block); starting and stopping the pool alone took {s:F2} s; the claim is judged on the warm pool",
        Strategies.ThreadPool or Strategies.ProcessPool => "pool start-up timed (the tutorial's with block)",
        _ => null,
    };

    private static Spread Seconds(PythonReport report, string workload, string strategy) =>
        report.Seconds.TryGetValue(strategy, out var runs) && runs is { Length: > 0 } && runs.All(s => s > 0 && double.IsFinite(s))
            ? new Spread(runs)
            : throw new CPythonException($"the {workload} program reported no valid time for {strategy}");

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string D(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
