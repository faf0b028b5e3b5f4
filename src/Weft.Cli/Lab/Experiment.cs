namespace Weft.Cli.Lab;

/// <summary>A workload run one way, ready to be timed.</summary>
/// <param name="Workload">The workload name.</param>
/// <param name="Strategy">The strategy name.</param>
/// <param name="Tasks">How many tasks.</param>
/// <param name="Workers">How many run at once at most.</param>
/// <param name="Ideal">The best speed-up possible on this machine.</param>
/// <param name="Prepare">Sets up (e.g. starts a warm process pool) and returns the timed run; null when not available.</param>
/// <param name="Missing">Why it is not available.</param>
internal sealed record Experiment(
    string Workload,
    string Strategy,
    int Tasks,
    int Workers,
    double Ideal,
    Func<Trial>? Prepare,
    string? Missing = null)
{
    /// <summary>An experiment this build cannot run.</summary>
    /// <param name="workload">The workload.</param>
    /// <param name="strategy">The strategy.</param>
    /// <param name="tasks">How many tasks it would run.</param>
    /// <param name="missing">The missing building block.</param>
    /// <returns>The experiment.</returns>
    public static Experiment Unavailable(string workload, string strategy, int tasks, string missing) =>
        new(workload, strategy, tasks, 0, 1, null, missing);
}

/// <summary>A prepared run: <see cref="Run"/> is timed, <see cref="Dispose"/> is not.</summary>
/// <param name="run">The timed work.</param>
/// <param name="resources">Released after the runs (a process pool).</param>
/// <param name="note">Read after the runs, for the table's note column.</param>
internal sealed class Trial(Action run, IDisposable? resources = null, Func<string?>? note = null) : IDisposable
{
    /// <summary>Runs the work once.</summary>
    public void Run() => run();

    /// <summary>What to say about the runs.</summary>
    public string? Note => note?.Invoke();

    /// <inheritdoc/>
    public void Dispose() => resources?.Dispose();
}
