using System.Diagnostics;

namespace Weft.Cli.Demos;

/// <summary>Tutorial 3, "Using List Comprehension": submit five tasks, print each result as it completes.</summary>
internal sealed class AsCompletedDemo : IDemo
{
    public string Name => "as-completed";

    public string Section => "3. concurrent.futures: list comprehension and as_completed()";

    public string Description => "5,4,3,2,1 s tasks printed in the order they finish: 1,2,3,4,5";

    public int Run(TextWriter output, DemoOptions options)
    {
        var start = Stopwatch.GetTimestamp();

        string DoSomething(int seconds)
        {
            output.WriteLine($"Sleeping for {seconds} seconds...");
            options.Sleep(seconds);
            return $"Done Sleeping...{seconds}";
        }

        var yielded = new List<string>();
        using (var executor = new ThreadPoolExecutor())
        {
            int[] secs = [5, 4, 3, 2, 1];
            var results = secs.Select(sec => executor.Submit(DoSomething, sec)).ToList();

            foreach (var f in Futures.AsCompleted(results))
            {
                output.WriteLine(f.Result());
                yielded.Add(f.Result()[^1..]);
            }
        }

        output.WriteLine(
            $"Note: AsCompleted yielded {string.Join(",", yielded)}: each future as it finished, shortest first. " +
            "The tasks were submitted 5,4,3,2,1 and all ran at once.");
        output.WriteLine(Clock.Finished(start));
        return 0;
    }
}
