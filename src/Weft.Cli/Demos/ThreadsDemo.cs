using System.Diagnostics;

namespace Weft.Cli.Demos;

/// <summary>Tutorial 2, "Using Threading": two threads started, then joined.</summary>
internal sealed class ThreadsDemo : IDemo
{
    public string Name => "threads";

    public string Section => "2. Using Threading for Concurrent Execution";

    public string Description => "two threads started and joined: about 1 s, not 2";

    public int Run(TextWriter output, DemoOptions options)
    {
        var start = Stopwatch.GetTimestamp();

        void DoSomething()
        {
            output.WriteLine("Sleeping for 1 second...");
            options.Sleep(1);
            output.WriteLine("Done sleeping...");
        }

        // threading.Thread(target=do_something)
        var t1 = new Thread(DoSomething);
        var t2 = new Thread(DoSomething);

        t1.Start();
        t2.Start();

        t1.Join();
        t2.Join();

        output.WriteLine(Clock.Finished(start));
        return 0;
    }
}
