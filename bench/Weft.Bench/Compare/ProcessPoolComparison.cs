using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Weft.Bench.Compare;

/// <summary>
/// ProcessPoolExecutor against CPython's: (a) Map of a trivial function over 100,000 ints at chunk sizes 1 and
/// 1,000 (medians of 3), (b) time from constructing a 2-worker pool to its first result, (c) the tutorial's CPU-bound loop
/// 4 times sequentially, on threads and on processes, (d) latency: one worker, a 1 ms task then a 2 s task, time
/// until the first result (a result must not wait behind later work).
/// </summary>
public sealed class ProcessPoolComparison : IComparison
{
    private const int Items = 100_000;
    private const int LoopSize = 10_000_000;

    private const string Script = """
        import json, os, statistics, sys, time
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

        def trivial(x):
            return x

        def cpu(n):
            return sum(range(n))

        if __name__ == '__main__':
            out = {}
            cores = os.cpu_count()
            with ProcessPoolExecutor(cores, mp_context=mp.get_context('spawn')) as ex:
                list(ex.map(trivial, range(1000)))
                t = time.perf_counter(); list(ex.map(trivial, range(100_000), chunksize=1)); out['map1'] = time.perf_counter() - t
                runs = []
                for _ in range(3):
                    t = time.perf_counter(); list(ex.map(trivial, range(100_000), chunksize=1000)); runs.append(time.perf_counter() - t)
                out['map1000'] = statistics.median(runs)
            for method in ('spawn', 'fork', 'forkserver'):
                runs = []
                for _ in range(5):
                    t = time.perf_counter()
                    ex = ProcessPoolExecutor(2, mp_context=mp.get_context(method))
                    ex.submit(trivial, 1).result()
                    runs.append(time.perf_counter() - t)
                    ex.shutdown()
                out['start_' + method] = statistics.median(runs)
            n = 10**7
            t = time.perf_counter(); [cpu(n) for _ in range(4)]; out['cpu_seq'] = time.perf_counter() - t
            with ThreadPoolExecutor(4) as ex:
                t = time.perf_counter(); list(ex.map(cpu, [n] * 4)); out['cpu_thread'] = time.perf_counter() - t
            with ProcessPoolExecutor(cores, mp_context=mp.get_context('spawn')) as ex:
                list(ex.map(cpu, [10] * cores))
                t = time.perf_counter(); list(ex.map(cpu, [n] * 4)); out['cpu_process'] = time.perf_counter() - t
            print(json.dumps(out))
        """;

    public string Name => "process";

    public string Description => "ProcessPoolExecutor vs CPython's: Map throughput, start-up to first result, CPU-bound speed-up";

    public void Run(string[] args)
    {
        var cores = Environment.ProcessorCount;
        Console.WriteLine($"{cores} cores; other processes may be loading the machine, so compare ratios from one run.");
        var weft = MeasureWeft(cores);
        Console.WriteLine("Weft measured; running CPython (about 10 s)...");
        var python = Python.Run(Script, TimeSpan.FromMinutes(5)) is { } json
            ? JsonSerializer.Deserialize<Dictionary<string, double>>(json.Trim().Split('\n')[^1])
            : null;

        Console.WriteLine();
        Console.WriteLine($"{"measure",-44} {"Weft",12} {"CPython",12} {"CPython/Weft",13}");
        Row("(a) Map 100,000 trivial, chunkSize 1", weft["map1"], python?["map1"]);
        Row("(a) Map 100,000 trivial, chunkSize 1,000", weft["map1000"], python?["map1000"]);
        Row("(b) new 2-worker pool to first result (spawn)", weft["start"], python?["start_spawn"]);
        Row("    CPython fork", null, python?["start_fork"]);
        Row("    CPython forkserver", null, python?["start_forkserver"]);
        Row("(c) sum(range(10**7)) x4 sequential", weft["cpu_seq"], python?["cpu_seq"]);
        Row("(c) ... ThreadPoolExecutor(4)", weft["cpu_thread"], python?["cpu_thread"]);
        Row("(c) ... ProcessPoolExecutor(cores)", weft["cpu_process"], python?["cpu_process"]);
        Row("(d) 1 ms task then 2 s task: first result", weft["latency"], null);
        Console.WriteLine();
        Console.WriteLine($"(a) throughput vs CPython: chunkSize 1 {Ratio(python?["map1"], weft["map1"])} (target >= 50x), " +
            $"chunkSize 1,000 {Ratio(python?["map1000"], weft["map1000"])} (target >= 5x)");
        Console.WriteLine($"    (medians of 3, each after a full collection; the longest GC pause inside one timed Map: {weft["map_gc_pause"] * 1000:F1} ms)");
        Console.WriteLine($"(b) start-up vs CPython spawn: {Ratio(weft["start"], python?["start_spawn"])} of CPython's time (target <= 1x)");
        Console.WriteLine($"(d) time to the first result, 1 ms task ahead of a 2 s task on one worker: {weft["latency"] * 1000:F1} ms " +
            "(target < 20 ms; the 1 ms of work included)");
        var speedUp = weft["cpu_seq"] / weft["cpu_process"];
        Console.WriteLine($"(c) Weft process-pool speed-up over sequential: {speedUp:F2}x on {cores} cores = " +
            $"{speedUp / cores:F2} x cores (target >= 0.85); threads: {weft["cpu_seq"] / weft["cpu_thread"]:F2}x");
        if (python is not null)
        {
            Console.WriteLine($"    CPython: processes {python["cpu_seq"] / python["cpu_process"]:F2}x, threads {python["cpu_seq"] / python["cpu_thread"]:F2}x (the GIL)");
        }

        var heavy = weft["cpu_heavy_seq"] / weft["cpu_heavy_process"];
        Console.WriteLine($"    Weft with a 100x heavier loop (sum of 10**9): {heavy:F2}x = {heavy / cores:F2} x cores " +
            "(10**7 takes only milliseconds in .NET, so pipe and wake-up costs weigh on it)");
    }

    private static Dictionary<string, double> MeasureWeft(int cores)
    {
        var results = new Dictionary<string, double>();
        using (var pool = new ProcessPoolExecutor(cores))
        {
            // Warm both paths (the worker JIT-compiles the JSON code for int and int[] on first use), as a
            // long-running batch job would be; CPython has no JIT to warm.
            _ = pool.Map(Trivial, Enumerable.Range(0, 1000)).Count();
            _ = pool.Map(Trivial, Enumerable.Range(0, 10_000), chunkSize: 1000).Count();
            // Median of 3, each after a full collection: the garbage of 100,000 futures is collected during whatever
            // runs next (25-35 ms here), so one run of chunkSize 1,000 after chunkSize 1 measured the collector.
            results["map1"] = MedianOf3AfterCollecting(() => pool.Map(Trivial, Enumerable.Range(0, Items)).Count());
            results["map1000"] = MedianOf3AfterCollecting(() => pool.Map(Trivial, Enumerable.Range(0, Items), chunkSize: 1000).Count());
            results["map_gc_pause"] = s_pauses.Max();
        }

        var starts = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var watch = Stopwatch.StartNew();
            var pool = new ProcessPoolExecutor(2);
            pool.Submit(Trivial, 1).Result();
            starts.Add(watch.Elapsed.TotalSeconds);
            pool.Dispose();
        }

        results["start"] = starts.Order().ElementAt(2);   // the median, as CPython's below
        results["latency"] = MeasureLatency();

        results["cpu_seq"] = Time(() => Enumerable.Range(0, 4).Select(_ => SumRange(LoopSize)).ToList());
        using (var threads = new ThreadPoolExecutor(4))
        {
            results["cpu_thread"] = Time(() => threads.Map(SumRange, Enumerable.Repeat(LoopSize, 4)).ToList());
        }

        results["cpu_heavy_seq"] = Time(() => Enumerable.Range(0, 4).Select(_ => SumRange(LoopSize * 100L)).ToList());
        using (var pool = new ProcessPoolExecutor(cores))
        {
            _ = pool.Map(SumRange, Enumerable.Repeat(LoopSize, cores * 2)).ToList();   // start and warm every worker
            results["cpu_process"] = Time(() => pool.Map(SumRange, Enumerable.Repeat(LoopSize, 4)).ToList());
            results["cpu_heavy_process"] = Time(() => pool.Map(SumRange, Enumerable.Repeat(LoopSize * 100L, 4)).ToList());
        }

        return results;
    }

    /// <summary>One warm worker; the 1 ms and 2 s tasks are both sent before the first finishes. Median of 3.</summary>
    private static double MeasureLatency()
    {
        using var pool = new ProcessPoolExecutor(1);
        pool.Submit(SleepFor, 0).Result();
        var runs = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var watch = Stopwatch.StartNew();
            var first = pool.Submit(SleepFor, 1);
            var second = pool.Submit(SleepFor, 2000);
            first.Result();
            runs.Add(watch.Elapsed.TotalSeconds);
            second.Result();
        }

        return runs.Order().ElementAt(1);
    }

    private static int SleepFor(int milliseconds)
    {
        Thread.Sleep(milliseconds);
        return milliseconds;
    }

    private static int Trivial(int x) => x;

    private static long SumRange(int n) => SumRange((long)n);

    private static long SumRange(long n)
    {
        long sum = 0;
        for (long i = 0; i < n; i++)
        {
            sum += i;
        }

        return sum;
    }

    private static readonly List<double> s_pauses = [];

    /// <summary>The median of 3 timed runs, each after a full blocking collection; records each run's GC pause.</summary>
    private static double MedianOf3AfterCollecting(Action action)
    {
        var runs = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var paused = GC.GetTotalPauseDuration();
            runs.Add(Time(action));
            s_pauses.Add((GC.GetTotalPauseDuration() - paused).TotalSeconds);
        }

        return runs.Order().ElementAt(1);
    }

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalSeconds;
    }

    private static string Ratio(double? numerator, double? denominator) =>
        numerator is { } n && denominator is { } d && d > 0 ? (n / d).ToString("F2", CultureInfo.InvariantCulture) + "x" : "n/a";

    private static void Row(string name, double? weft, double? python)
    {
        static string Format(double? seconds) => seconds is { } s ? $"{s * 1000:F1} ms" : "-";
        Console.WriteLine($"{name,-44} {Format(weft),12} {Format(python),12} {Ratio(python, weft),13}");
    }
}
