namespace Weft.Cli.Lab;

/// <summary>A prepared experiment: the timed run, and what to dispose after all runs.</summary>
/// <param name="run">The work, timed as a whole. For a pool, the pool is created and shut down inside it,
/// as the tutorial's <c>with</c> block does.</param>
/// <param name="resources">Disposed after the runs (a warm process pool).</param>
/// <param name="note">Read after the runs, for the table's note column.</param>
/// <param name="warm">For a pool: the same work on a pool that already runs, timed beside <paramref name="run"/>.</param>
internal sealed class Trial(Action run, IDisposable? resources = null, Func<string?>? note = null, Action? warm = null) : IDisposable
{
    /// <summary>Runs the work once.</summary>
    public void Run() => run();

    /// <summary>The same work on a warm pool; null when there is no pool.</summary>
    public Action? Warm => warm;

    /// <summary>What to say about the runs.</summary>
    public string? Note => note?.Invoke();

    /// <inheritdoc/>
    public void Dispose() => resources?.Dispose();
}
