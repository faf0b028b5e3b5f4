namespace Weft.Cli.Lab;

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
