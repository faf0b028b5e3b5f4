using System.Diagnostics;

namespace Weft.Cli.Demos;

internal sealed partial class CpuDemo
{
    private static void OnProcessPool(TextWriter output, long n, double sequential)
    {
        // with concurrent.futures.ProcessPoolExecutor() as executor: results = executor.map(cpu_intensive_task, ...)
        var start = Stopwatch.GetTimestamp();
        long[] results;
        using (var executor = new ProcessPoolExecutor())
        {
            results = executor.Map(CpuWork.CpuIntensiveTask, Enumerable.Repeat(n, Tasks)).ToArray();
        }

        var seconds = Clock.Seconds(start);
        output.WriteLine(
            $"ProcessPoolExecutor:        {seconds:F2} s  ({sequential / seconds:F2}x, {results.Length} results, " +
            "including starting the worker processes)");
    }
}
