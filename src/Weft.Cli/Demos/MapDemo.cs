using System.Collections.Concurrent;
using System.Diagnostics;

namespace Weft.Cli.Demos;

/// <summary>Tutorial 3, "Using map()": results come back in input order.</summary>
internal sealed class MapDemo : IDemo
{
    public string Name => "map";

    public string Section => "3. concurrent.futures: map()";

    public string Description => "results printed in submission order 5,4,3,2,1; about 5 s";

    public int Run(TextWriter output, DemoOptions options)
    {
        var start = Stopwatch.GetTimestamp();
        var finished = new ConcurrentQueue<int>();

        string DoSomething(int seconds)
        {
            output.WriteLine($"Sleeping for {seconds} seconds...");
            options.Sleep(seconds);
            finished.Enqueue(seconds);
            return $"Done Sleeping...{seconds}";
        }

        using (var executor = new ThreadPoolExecutor())
        {
            int[] secs = [5, 4, 3, 2, 1];
            var results = executor.Map(DoSomething, secs);

            foreach (var result in results)
            {
                output.WriteLine(result);
            }
        }

        // The tutorial says map() "ensures results print in the order tasks were started". True of the
        // results; the work itself ran at the same time and finished in whatever order it could.
        output.WriteLine(
            $"Note: Map returned results in input order 5,4,3,2,1, but the work finished in the order " +
            $"{string.Join(",", finished)}: Map orders the results, not the execution.");
        output.WriteLine(Clock.Finished(start));
        return 0;
    }
}
