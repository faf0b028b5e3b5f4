namespace Weft.Cli.Lab;

/// <summary>One side of <see cref="WaitsResult"/>.</summary>
/// <param name="Seconds">Wall time from the first start to the last finish.</param>
/// <param name="PeakBytes">How far peak memory rose above the level before the run.</param>
/// <param name="PeakThreads">The most threads alive at once.</param>
internal sealed record WaitRun(double Seconds, long PeakBytes, int PeakThreads)
{
    /// <summary>How many waits started; on CPython fewer than asked when the OS refused a thread. Null on .NET.</summary>
    public int? Started { get; init; }

    /// <summary>Why the rest did not start (e.g. <c>RuntimeError: can't start new thread</c>); null when all did.</summary>
    public string? Error { get; init; }
}
