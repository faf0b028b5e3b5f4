using System.Diagnostics;
using Weft.Threading;

namespace Weft.Cli.Demos;

/// <summary>"Debugging Threads": threading.enumerate(), threading.settrace() and time.perf_counter().</summary>
internal sealed class DebugDemo : IDemo
{
    public string Name => "debug";

    public string Section => "6. Debugging Threads";

    public string Description => "Threads.Enumerate() listing, a trace hook printing events, Stopwatch timing";

    public int Run(TextWriter output, DemoOptions options)
    {
        // Profile performance: time.perf_counter() is Stopwatch.GetTimestamp().
        var start = Stopwatch.GetTimestamp();
        using var release = new ManualResetEventSlim();
        var names = new HashSet<string> { "debug-worker-1", "debug-worker-2" };

        // threading.settrace(hook): Weft calls it as its threads and tasks start and finish. Other code may be
        // running threads too (the tests do), so print only this demo's own events.
        Threads.SetTrace(e =>
        {
            var text = e.ToString();
            if (names.Any(text.Contains))
            {
                output.WriteLine($"  trace: {text}");
            }
        });
        try
        {
            var t1 = Threads.Start(() => release.Wait(TimeSpan.FromSeconds(30)), name: "debug-worker-1");
            var t2 = Threads.Start(() => release.Wait(TimeSpan.FromSeconds(30)), name: "debug-worker-2");

            // threading.enumerate(): the live threads.
            output.WriteLine($"Threads.Enumerate() while two workers run ({Threads.ActiveCount} active):");
            foreach (var info in Threads.Enumerate())
            {
                output.WriteLine($"  {info}");
            }

            options.Sleep(0.2);
            release.Set();
            t1.Join();
            t2.Join();
        }
        finally
        {
            Threads.SetTrace(null);
        }

        output.WriteLine($"Both workers joined after {Clock.Seconds(start):F2} s (Stopwatch).");
        output.WriteLine(Clock.Finished(start));
        return 0;
    }
}
