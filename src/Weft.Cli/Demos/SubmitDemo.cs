using System.Diagnostics;

namespace Weft.Cli.Demos;

/// <summary>Tutorial 3, "Using submit()": a Future and its result.</summary>
internal sealed class SubmitDemo : IDemo
{
    public string Name => "submit";

    public string Section => "3. concurrent.futures: submit()";

    public string Description => "a Future from ThreadPoolExecutor.Submit and its result";

    public int Run(TextWriter output, DemoOptions options)
    {
        var start = Stopwatch.GetTimestamp();

        string DoSomething(double seconds)
        {
            output.WriteLine($"Sleeping for {seconds} seconds...");
            options.Sleep(seconds);
            return $"Done Sleeping...{seconds}";
        }

        // with concurrent.futures.ThreadPoolExecutor() as executor:
        using (var executor = new ThreadPoolExecutor())
        {
            Future<string> f1 = executor.Submit(DoSomething, 1.0);
            output.WriteLine(f1.Result());
            output.WriteLine($"(the Future's state is now {f1.State})");
        }

        output.WriteLine(Clock.Finished(start));
        return 0;
    }
}
