using System.Diagnostics;
using Weft.Threading;

namespace Weft.Cli.Demos;

/// <summary>"Daemon Threads": a background thread the program does not wait for.</summary>
internal sealed class DaemonDemo : IDemo
{
    public string Name => "daemon";

    public string Section => "Daemon Threads";

    public string Description => "a background thread that is ended when the program ends";

    public int Run(TextWriter output, DemoOptions options)
    {
        var start = Stopwatch.GetTimestamp();

        void BackgroundTask()
        {
            // while True: ... ; ProgramEnd only fires when the demo runs inside a longer-lived host.
            while (!options.ProgramEnd.IsCancellationRequested)
            {
                output.WriteLine("Running in the background...");
                options.ProgramEnd.WaitHandle.WaitOne(options.Scaled(2));
            }
        }

        // t = threading.Thread(target=background_task, daemon=True); t.start()
        // (Threads.Start sets Thread.IsBackground, .NET's name for Python's daemon flag.)
        var t = Threads.Start(BackgroundTask, name: "background", daemon: true);

        options.Sleep(5); // Main thread runs briefly
        output.WriteLine("Main program done!");
        output.WriteLine(
            $"(the background thread is still alive: {t.IsAlive}; IsBackground={t.IsBackground}, " +
            "so the runtime ends it when the program exits instead of waiting for it)");
        output.WriteLine(Clock.Finished(start));
        return 0;
    }
}
