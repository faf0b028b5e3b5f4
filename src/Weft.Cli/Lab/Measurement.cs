namespace Weft.Cli.Lab;

/// <summary>One experiment: a workload run one way on one runtime, several times (in rounds, see LabRunner).</summary>
/// <param name="Runtime">dotnet or cpython.</param>
/// <param name="Workload">io-sleep, io-http or cpu.</param>
/// <param name="Strategy">sequential, threads, thread-pool, process-pool, async, gil-sequential or gil-threads.</param>
/// <param name="Tasks">How many tasks.</param>
/// <param name="Workers">How many run at once at most (threads, pool workers, processes).</param>
/// <param name="SecondsSpread">Each run's wall time; for a pool, with the pool's creation and shutdown, as the tutorial's <c>with</c> block.</param>
/// <param name="SpeedupSpread">Each round's speed-up: that round's sequential time (same runtime) over this run's time.</param>
/// <param name="Ideal">The best speed-up possible on this machine: tasks, workers and (for CPU work) cores.</param>
/// <param name="Note">What else to know (loop length, lock switches).</param>
/// <param name="WarmSecondsSpread">For a process pool on the CPU loop: each run of the same work on a pool that was already running.</param>
/// <param name="WarmSpeedupSpread">Each round's sequential time over the warm run's time.</param>
/// <param name="CpuSecondsSpread">The CPU time the process used during each run (all its threads); null where the work ran in other processes.</param>
internal sealed record Measurement(
    string Runtime,
    string Workload,
    string Strategy,
    int Tasks,
    int Workers,
    Spread SecondsSpread,
    Spread SpeedupSpread,
    double Ideal,
    string? Note = null,
    Spread? WarmSecondsSpread = null,
    Spread? WarmSpeedupSpread = null,
    Spread? CpuSecondsSpread = null)
{
    /// <summary><c>runtime/workload/strategy</c>.</summary>
    public string Id => $"{Runtime}/{Workload}/{Strategy}";

    /// <summary>The median wall time.</summary>
    public double Seconds => SecondsSpread.Median;

    /// <summary>The median of the rounds' speed-ups.</summary>
    public double Speedup => SpeedupSpread.Median;

    /// <summary>Speed-up as a share of the ideal.</summary>
    public double Efficiency => Speedup / Ideal;

    /// <summary>The median time on a warm pool; null when not measured.</summary>
    public double? WarmSeconds => WarmSecondsSpread?.Median;

    /// <summary>The median speed-up on a warm pool; null when not measured.</summary>
    public double? WarmSpeedup => WarmSpeedupSpread?.Median;

    /// <summary>The median CPU time; null where it was not measured.</summary>
    public double? CpuSeconds => CpuSecondsSpread?.Median;

    /// <summary>Each run's CPU seconds per wall second: how many cores' worth of work ran at once, on average. Unlike
    /// the speed-up it does not rise with other work on the machine (other work can only take cores away), so it tells
    /// whether threads ran in parallel. Null where <see cref="CpuSecondsSpread"/> is.</summary>
    public Spread? ParallelismSpread => CpuSecondsSpread is { } cpu ? Spread.Ratio(cpu, SecondsSpread) : null;

    /// <summary>The median of <see cref="ParallelismSpread"/>: "cores busy".</summary>
    public double? Parallelism => ParallelismSpread?.Median;

    /// <summary>How many cores other processes kept busy, on average, while this experiment's group of runs went on
    /// (Linux: /proc/stat less this process and its children); null where it cannot be measured.</summary>
    public double? OtherCores { get; init; }
}
