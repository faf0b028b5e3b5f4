using System.Diagnostics;
using Weft.Lab;

namespace Weft.Cli.Demos;

/// <summary>"The GIL explained": a simulated interpreter lock; CPU-bound threads take turns, IO-bound threads overlap.</summary>
internal sealed class GilDemo : IDemo
{
    public string Name => "gil";

    public string Section => "Is the GIL part of threading? (the GIL explained)";

    public string Description => "the simulated interpreter lock: CPU-bound threads take turns (no speed-up), IO-bound threads still overlap";

    public int Run(TextWriter output, DemoOptions options)
    {
        var start = Stopwatch.GetTimestamp();
        var n = options.Fast ? 10_000_000L : 100_000_000L;
        const int threads = 4;
        var gil = new InterpreterLock();
        output.WriteLine(
            $"A simulated GIL: a thread runs 'Python code' only while it holds the lock, and offers it to the " +
            $"others every {gil.SwitchInterval.TotalMilliseconds:0.#} ms (CPython's sys.getswitchinterval() is 5 ms).");

        // CPU-bound: the loop of the tutorial's GIL example, holding the lock, checking in every 1,024 steps.
        CpuWork.CpuIntensiveTask(gil, n / 10); // warm up the JIT, so the first timing is not the slowest
        var sequential = Time(() =>
        {
            for (var i = 0; i < threads; i++)
            {
                CpuWork.CpuIntensiveTask(gil, n);
            }
        });

        gil.ResetCounters();
        var underLock = Time(() => StartAndJoin(threads, () => CpuWork.CpuIntensiveTask(gil, n)));
        output.WriteLine(
            $"CPU-bound under the GIL:     {threads} tasks in turn {sequential:F2} s, on {threads} threads {underLock:F2} s ({sequential / underLock:F2}x; " +
            $"{gil.Switches:N0} lock switches, {gil.WaitTime.TotalSeconds:F2} s spent waiting for the lock)");

        // The same without the lock, as .NET (or CPython 3.13's free-threaded build) runs it.
        var plainSequential = Time(() =>
        {
            for (var i = 0; i < threads; i++)
            {
                CpuWork.CpuIntensiveTask(n);
            }
        });
        var free = Time(() => StartAndJoin(threads, () => CpuWork.CpuIntensiveTask(n)));
        output.WriteLine(
            $"CPU-bound without the lock:  {threads} tasks in turn {plainSequential:F2} s, on {threads} threads {free:F2} s " +
            $"({plainSequential / free:F2}x on {Environment.ProcessorCount} cores)");

        // IO-bound: a thread releases the lock while it waits, so the waits overlap.
        gil.ResetCounters();
        var io = Time(() => StartAndJoin(threads, () =>
        {
            using (gil.Enter())
            {
                gil.Sleep(options.Scaled(1));
            }
        }));
        var overlapped = io < threads * options.Scaled(1).TotalSeconds / 2;
        output.WriteLine($"IO-bound under the GIL:      {threads} threads each waiting {options.Scaled(1).TotalSeconds:0.##} s took {io:F2} s " +
            (overlapped ? "(the waits overlapped)" : "(the waits did not overlap: the machine was too busy to start the threads)"));

        output.WriteLine("Corrections to the tutorial:");
        output.WriteLine("  - PyPy has a GIL too (PyPy FAQ: \"Does PyPy have a GIL? Why?\"); it is not a way around it.");
        output.WriteLine("  - CPython 3.13 ships an optional free-threaded build without the GIL (PEP 703, python3.13t);");
        output.WriteLine("    the 'without it' line above shows what that buys CPU-bound threads.");
        output.WriteLine(Clock.Finished(start));
        return 0;
    }

    private static double Time(Action action)
    {
        var start = Stopwatch.GetTimestamp();
        action();
        return Clock.Seconds(start);
    }

    private static void StartAndJoin(int count, Action target)
    {
        var all = Enumerable.Range(0, count).Select(_ => new Thread(() => target())).ToList();
        all.ForEach(t => t.Start());
        all.ForEach(t => t.Join());
    }
}
