namespace Weft.Cli.Lab;

/// <summary>One side of <see cref="WaitsResult"/>.</summary>
internal sealed record WaitRun(double Seconds, long PeakBytes, int PeakThreads);
