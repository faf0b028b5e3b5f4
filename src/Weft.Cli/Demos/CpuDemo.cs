using System.Diagnostics;

namespace Weft.Cli.Demos;

/// <summary>"5. Threading vs Multiprocessing" and the GIL example: the CPU-bound loop four times, four ways.</summary>
internal sealed partial class CpuDemo : IDemo
{
    /// <summary>Tasks, as in the tutorial's <c>for _ in range(4)</c>.</summary>
    public const int Tasks = 4;

    public string Name => "cpu";

    public string Section => "5. Threading vs Multiprocessing / the GIL example";

    public string Description => "the CPU-bound loop sequential, on threads, on threads under a simulated GIL, and on a process pool";

    public int Run(TextWriter output, DemoOptions options)
    {
        var start = Stopwatch.GetTimestamp();

        // .NET compiles the loop to machine code, so the tutorial's 10**7 takes milliseconds here
        // (CPython: about half a second); a longer loop makes the times readable.
        var n = options.Fast ? 20_000_000L : 250_000_000L;
        output.WriteLine($"cpu_intensive_task: total += i for i in range({n:N0}), {Tasks} times, on {Environment.ProcessorCount} cores.");
        var t10 = Stopwatch.GetTimestamp();
        CpuWork.CpuIntensiveTask(CpuWork.TutorialIterations);
        output.WriteLine($"(the tutorial's range(10**7) takes {Clock.Seconds(t10) * 1000:F0} ms here)");

        var sequential = Time(() =>
        {
            for (var i = 0; i < Tasks; i++)
            {
                CpuWork.CpuIntensiveTask(n);
            }
        });
        output.WriteLine($"Sequential:                 {sequential:F2} s");

        var threaded = Time(() =>
        {
            var threads = new List<Thread>();
            for (var i = 0; i < Tasks; i++)
            {
                var t = new Thread(() => CpuWork.CpuIntensiveTask(n));
                t.Start();
                threads.Add(t);
            }

            foreach (var t in threads)
            {
                t.Join();
            }
        });
        output.WriteLine($"Threads:                    {threaded:F2} s  ({sequential / threaded:F2}x)");
        output.WriteLine(sequential / threaded >= 1.25
            ? ".NET has no GIL: these threads ran on several cores at once. The tutorial's claim that threads do not " +
              "speed up CPU-bound work is about CPython's lock, not about threads."
            : "No speed-up this time: the other cores were busy (or there is one). .NET itself has no GIL; run it on an idle machine.");

        UnderInterpreterLock(output, n);
        OnProcessPool(output, n, sequential);

        output.WriteLine(Clock.Finished(start));
        return 0;
    }

    private static double Time(Action action)
    {
        var start = Stopwatch.GetTimestamp();
        action();
        return Clock.Seconds(start);
    }
}
