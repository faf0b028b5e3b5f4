using System.Diagnostics;

namespace Weft.Cli.Demos;

/// <summary>"Alternative Asynchronous Approaches": 10,000 concurrent waits, on threads and with async/await.</summary>
internal sealed class AsyncDemo : IDemo
{
    /// <summary>How many waits run at once.</summary>
    public const int Waits = 10_000;

    public string Name => "async";

    public string Section => "Alternative Asynchronous Approaches";

    public string Description => "10,000 concurrent waits with async/await beside the same with threads (time, memory)";

    public int Run(TextWriter output, DemoOptions options)
    {
        var start = Stopwatch.GetTimestamp();
        var wait = options.Scaled(1);
        output.WriteLine($"{Waits:N0} tasks each wait {wait.TotalSeconds:0.##} s, all at once.");

        var asyncRun = ConcurrentWaits.WithAsync(Waits, wait);
        output.WriteLine($"async/await (asyncio): {asyncRun.Seconds:F2} s, peak memory +{asyncRun.PeakBytes / 1e6:F0} MB, {asyncRun.Threads} threads");
        var threadRun = ConcurrentWaits.WithThreads(Waits, wait);
        output.WriteLine($"threads:               {threadRun.Seconds:F2} s, peak memory +{threadRun.PeakBytes / 1e6:F0} MB, {threadRun.Threads} threads");

        output.WriteLine(
            "An await holds no thread while it waits; a blocked thread holds its stack and a kernel thread. " +
            "(gevent's green threads are the same idea as async/await without the keywords.)");
        output.WriteLine(Clock.Finished(start));
        return 0;
    }
}
