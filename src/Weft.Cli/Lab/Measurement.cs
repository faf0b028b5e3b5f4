namespace Weft.Cli.Lab;

/// <summary>One experiment: a workload run one way on one runtime.</summary>
/// <param name="Runtime">dotnet or cpython.</param>
/// <param name="Workload">io-sleep, io-http or cpu.</param>
/// <param name="Strategy">sequential, threads, thread-pool, process-pool, async or gil-threads.</param>
/// <param name="Tasks">How many tasks.</param>
/// <param name="Workers">How many run at once at most (threads, pool workers, processes).</param>
/// <param name="Seconds">Best wall time of the runs; for a pool, with the pool's creation and shutdown, as the tutorial's <c>with</c> block.</param>
/// <param name="Speedup">Sequential time (same runtime) divided by this time.</param>
/// <param name="Ideal">The best speed-up possible on this machine: tasks, workers and (for CPU work) cores.</param>
/// <param name="Note">What else to know (loop length, lock switches).</param>
/// <param name="WarmSeconds">For a pool: the best time of the same work on a pool that was already running.</param>
/// <param name="CpuSeconds">The CPU time the process used during the best run (all its threads); null where the work ran in other processes.</param>
internal sealed record Measurement(
    string Runtime,
    string Workload,
    string Strategy,
    int Tasks,
    int Workers,
    double Seconds,
    double Speedup,
    double Ideal,
    string? Note = null,
    double? WarmSeconds = null,
    double? CpuSeconds = null)
{
    /// <summary><c>runtime/workload/strategy</c>.</summary>
    public string Id => $"{Runtime}/{Workload}/{Strategy}";

    /// <summary>Speed-up as a share of the ideal.</summary>
    public double Efficiency => Speedup / Ideal;

    /// <summary>CPU seconds per wall second: how many cores' worth of work ran at once, on average. Unlike the
    /// speed-up it does not depend on how much of the machine other work took, so it tells whether threads ran
    /// in parallel even on a busy machine. Null where <see cref="CpuSeconds"/> is.</summary>
    public double? Parallelism => CpuSeconds / Seconds;
}
