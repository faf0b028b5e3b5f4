namespace Weft.Cli.Lab;

/// <summary>Many concurrent waits on threads and with async/await.</summary>
internal sealed record WaitsResult(int Waits, double WaitSeconds, WaitRun Threads, WaitRun Async);
