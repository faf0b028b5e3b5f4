using System.Diagnostics;

namespace Weft.Cli.Demos;

/// <summary>Tutorial 2, "Synchronous Execution": one task, one after the other.</summary>
internal sealed class SyncDemo : IDemo
{
    public string Name => "sync";

    public string Section => "2. Synchronous Execution";

    public string Description => "one 1 s task run synchronously: about 1 s";

    public int Run(TextWriter output, DemoOptions options)
    {
        var start = Stopwatch.GetTimestamp();

        void DoSomething()
        {
            output.WriteLine("Sleeping for 1 second...");
            options.Sleep(1);
            output.WriteLine("Done sleeping...");
        }

        DoSomething();

        output.WriteLine(Clock.Finished(start));
        return 0;
    }
}
