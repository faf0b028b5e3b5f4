using System.Diagnostics;

namespace Weft.Cli.Demos;

/// <summary>Tutorial 2, "Passing Arguments to Threads": ten threads sleeping 1.5 s each.</summary>
internal sealed class ArgsDemo : IDemo
{
    public string Name => "args";

    public string Section => "2. Passing Arguments to Threads";

    public string Description => "ten threads sleeping 1.5 s: about 1.5 s, not 15";

    public int Run(TextWriter output, DemoOptions options)
    {
        var start = Stopwatch.GetTimestamp();

        void DoSomething(double seconds)
        {
            output.WriteLine($"Sleeping for {seconds} seconds...");
            options.Sleep(seconds);
            output.WriteLine("Done sleeping...");
        }

        var threads = new List<Thread>();

        for (var i = 0; i < 10; i++)
        {
            // Python's args=[1.5]: in C# the lambda carries the argument.
            var t = new Thread(() => DoSomething(1.5));
            t.Start();
            threads.Add(t);
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        output.WriteLine(Clock.Finished(start));
        return 0;
    }
}
