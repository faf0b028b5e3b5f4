using System.Diagnostics;
using System.Globalization;

namespace Weft.Bench.Compare;

/// <summary>
/// Issue 2's figures: submit+result of many trivial tasks on ThreadPoolExecutor against raw Task.Run and
/// CPython's ThreadPoolExecutor; bytes allocated per submitted task; Map over 1,000,000 items with
/// bufferSize 1,000 and its peak managed memory.
/// </summary>
public sealed class ThreadPoolComparison : IComparison
{
    private const int Tasks = 1_000_000;
    private const int PythonTasks = 200_000;
    private static readonly Func<int> s_trivial = static () => 1;

    public string Name => "threadpool";

    public string Description => "submit+result of 1,000,000 trivial tasks: Weft ThreadPoolExecutor vs Task.Run vs CPython";

    public void Run(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;

        // Warm up both paths (JIT, thread creation) before timing.
        WeftSubmit(50_000, out _);
        TaskRun(50_000);

        var weft = new List<double>();
        var raw = new List<double>();
        var bytesPerTask = new List<double>();
        for (var r = 0; r < rounds; r++)
        {
            raw.Add(TaskRun(Tasks));
            weft.Add(WeftSubmit(Tasks, out var bytes));
            bytesPerTask.Add(bytes);
        }

        var weftS = Median(weft);
        var rawS = Median(raw);
        Console.WriteLine($"  Task.Run + Result          {Rate(Tasks, rawS)}  ({rawS:F3} s, median of {rounds})");
        Console.WriteLine($"  Weft ThreadPoolExecutor    {Rate(Tasks, weftS)}  ({weftS:F3} s, median of {rounds}; default MaxWorkers {new ThreadPoolExecutor().MaxWorkers})");
        Console.WriteLine($"  ratio Weft / Task.Run throughput: {rawS / weftS:F2}x   (target >= 0.5x)");
        Console.WriteLine($"  allocated per submitted task (submit+future+queue, whole process): {Median(bytesPerTask):F0} B   (target <= 200 B)");

        var python = PythonSubmit();
        if (python is { } pyS)
        {
            var pyPerTask = pyS / PythonTasks;
            var weftPerTask = weftS / Tasks;
            Console.WriteLine($"  CPython ThreadPoolExecutor {Rate(PythonTasks, pyS)}  ({pyS:F3} s for {PythonTasks:N0})");
            Console.WriteLine($"  ratio Weft / CPython throughput: {pyPerTask / weftPerTask:F1}x   (target >= 20x)");
        }
        else
        {
            Console.WriteLine("  CPython: python3 not found; no CPython ratio");
        }

        var (mapS, peakMb, ok) = MapBounded();
        Console.WriteLine($"  Map 1,000,000 items, bufferSize 1,000: {mapS:F3} s, peak managed heap growth {peakMb:F1} MB (target < 50 MB), results in order: {ok}");
    }

    private static double WeftSubmit(int n, out double bytesPerTask)
    {
        var futures = new Future<int>[n];
        using var executor = new ThreadPoolExecutor();
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < n; i++)
        {
            futures[i] = executor.Submit(s_trivial);
        }

        long sum = 0;
        for (var i = 0; i < n; i++)
        {
            sum += futures[i].Result();
        }

        sw.Stop();
        bytesPerTask = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)n;
        if (sum != n)
        {
            throw new InvalidOperationException("wrong results");
        }

        return sw.Elapsed.TotalSeconds;
    }

    private static double TaskRun(int n)
    {
        var tasks = new Task<int>[n];
        GC.Collect();
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < n; i++)
        {
            tasks[i] = Task.Run(s_trivial);
        }

        long sum = 0;
        for (var i = 0; i < n; i++)
        {
            sum += tasks[i].Result;
        }

        sw.Stop();
        return sum == n ? sw.Elapsed.TotalSeconds : throw new InvalidOperationException("wrong results");
    }

    private static (double Seconds, double PeakMb, bool InOrder) MapBounded()
    {
        using var executor = new ThreadPoolExecutor();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0;
        var sw = Stopwatch.StartNew();
        var expected = 0;
        var inOrder = true;
        foreach (var value in executor.Map(static (int x) => x, Enumerable.Range(0, Tasks), bufferSize: 1000))
        {
            inOrder &= value == expected++;
            if ((expected & 0x3FFF) == 0)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(false) - baseline);
            }
        }

        sw.Stop();
        return (sw.Elapsed.TotalSeconds, peak / 1048576.0, inOrder && expected == Tasks);
    }

    private static double? PythonSubmit()
    {
        var script = $$"""
            import concurrent.futures, time
            N = {{PythonTasks}}
            times = []
            for _ in range(3):
                with concurrent.futures.ThreadPoolExecutor() as ex:
                    t = time.perf_counter()
                    fs = [ex.submit(lambda x: x, i) for i in range(N)]
                    for f in fs: f.result()
                    times.append(time.perf_counter() - t)
            times.sort()
            print(times[1])
            """;
        var output = Python.Run(script, TimeSpan.FromMinutes(3));
        return output is null ? null : double.Parse(output.Trim(), CultureInfo.InvariantCulture);
    }

    private static string Rate(int n, double seconds) => $"{n / seconds / 1e6,6:F2} M tasks/s";

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
