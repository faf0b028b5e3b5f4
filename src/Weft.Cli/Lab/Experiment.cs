namespace Weft.Cli.Lab;

/// <summary>A workload run one way on .NET, ready to be timed.</summary>
/// <param name="Workload">The workload name.</param>
/// <param name="Strategy">The strategy name.</param>
/// <param name="Tasks">How many tasks.</param>
/// <param name="Workers">How many run at once at most.</param>
/// <param name="Ideal">The best speed-up possible on this machine.</param>
/// <param name="Prepare">Sets up (e.g. starts a warm process pool) and returns the timed run.</param>
/// <param name="Baseline">The strategy its speed-up is measured against: sequential, except where the work itself differs.</param>
/// <param name="InProcess">Whether the work runs in this process, so its CPU time can be measured (not a process pool).</param>
internal sealed record Experiment(
    string Workload,
    string Strategy,
    int Tasks,
    int Workers,
    double Ideal,
    Func<Trial> Prepare,
    string Baseline = Strategies.Sequential,
    bool InProcess = true)
{
    /// <summary>The best speed-up of <paramref name="tasks"/> equal tasks on <paramref name="parallel"/> lanes:
    /// they run in ceil(tasks / parallel) rounds, so 10 tasks on 6 workers can be at most 5x faster, not 6x.</summary>
    /// <param name="tasks">How many equal tasks.</param>
    /// <param name="parallel">How many can run at once (workers, or cores for CPU work).</param>
    /// <returns>tasks / ceil(tasks / parallel).</returns>
    public static double IdealSpeedup(int tasks, int parallel) =>
        tasks / Math.Ceiling(tasks / (double)Math.Max(1, Math.Min(tasks, parallel)));
}
