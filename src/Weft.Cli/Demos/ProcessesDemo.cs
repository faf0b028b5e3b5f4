using System.Diagnostics;

namespace Weft.Cli.Demos;

/// <summary>"Thread Pools vs Process Pools": the same heavy computation on both.</summary>
internal sealed class ProcessesDemo : IDemo
{
    public string Name => "processes";

    public string Section => "4. Thread Pools vs Process Pools";

    public string Description => "the same heavy computation on a ThreadPoolExecutor and a ProcessPoolExecutor";

    public int Run(TextWriter output, DemoOptions options)
    {
        var start = Stopwatch.GetTimestamp();
        var n = options.Fast ? 20_000_000L : 200_000_000L;
        long[] dataList = [n, n, n, n];

        var t = Stopwatch.GetTimestamp();
        long[] threadResults;
        using (var executor = new ThreadPoolExecutor())
        {
            threadResults = executor.Map(CpuWork.CpuIntensiveTask, dataList).ToArray();
        }

        var onThreads = Clock.Seconds(t);
        output.WriteLine($"ThreadPoolExecutor:  {onThreads:F2} s  ({threadResults.Length} results)");

        // with concurrent.futures.ProcessPoolExecutor() as executor:
        //     results = executor.map(do_some_heavy_computation, data_list)
        t = Stopwatch.GetTimestamp();
        long[] processResults;
        using (var executor = new ProcessPoolExecutor())
        {
            processResults = executor.Map(CpuWork.CpuIntensiveTask, dataList).ToArray();
        }

        var onProcesses = Clock.Seconds(t);
        output.WriteLine($"ProcessPoolExecutor: {onProcesses:F2} s  ({processResults.Length} results, same: {processResults.SequenceEqual(threadResults)})");
        output.WriteLine(
            "In CPython the process pool wins for CPU work because each process has its own GIL. .NET threads " +
            "already run in parallel, so here the process pool only adds process start-up and copying.");
        output.WriteLine(Clock.Finished(start));
        return 0;
    }
}
