namespace Weft.Cli.Lab;

/// <summary>One experiment: a workload run one way.</summary>
/// <param name="Workload">io-sleep, io-http or cpu.</param>
/// <param name="Strategy">sequential, threads, thread-pool, process-pool, async or gil-threads.</param>
/// <param name="Tasks">How many tasks.</param>
/// <param name="Workers">How many run at once at most (threads, pool workers, processes).</param>
/// <param name="Seconds">Best wall time of the runs; null when not available.</param>
/// <param name="Speedup">Sequential time divided by this time.</param>
/// <param name="Ideal">The best speed-up possible on this machine: tasks, workers and (for CPU work) cores.</param>
/// <param name="Note">What else to know (loop length, lock switches, why it is missing).</param>
internal sealed record Measurement(
    string Workload,
    string Strategy,
    int Tasks,
    int Workers,
    double? Seconds,
    double? Speedup,
    double Ideal,
    string? Note = null)
{
    /// <summary><c>workload/strategy</c>.</summary>
    public string Id => $"{Workload}/{Strategy}";

    /// <summary>Whether it ran in this build.</summary>
    public bool Available => Seconds is not null;

    /// <summary>Speed-up as a share of the ideal.</summary>
    public double? Efficiency => Speedup / Ideal;
}
