using System.Diagnostics;

namespace Weft.Bench.Compare;

/// <summary>
/// Issue 22's figures for the process pool's supervision: how fast <c>Terminate</c> and <c>TaskTimeout</c> end a
/// running task (p50/p99 over 100 tries each), how fast a replacement worker serves after a worker was ended
/// compared with a cold pool's first result, and a 2,000-item map under <c>FailTask</c> in which 1% of tasks end
/// their worker (FailFast, exit, SIGKILL, stack overflow): every other result must come back right, with no hang
/// and no worker left running. CPython has none of these (Pebble and billiard do; see docs/processes.md).
/// </summary>
public sealed class SupervisionComparison : IComparison
{
    private const int Tries = 100;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan TaskTimeout = TimeSpan.FromMilliseconds(200);

    public string Name => "supervision";

    public string Description => "ProcessPoolExecutor supervision: Terminate and TaskTimeout latency, replacement worker, FailTask map with crashes";

    public void Run(string[] args)
    {
        var tries = args.Length > 0 && int.TryParse(args[0], out var n) ? n : Tries;
        Console.WriteLine($"{Environment.ProcessorCount} cores; other processes may be loading the machine.");

        var (terminate, replacement) = MeasureTerminate(tries);
        var timeout = MeasureTimeout(tries);
        var cold = MeasureColdStart(Math.Min(tries, 20));
        var map = MeasureFailTaskMap(2_000);

        Console.WriteLine();
        Console.WriteLine($"Terminate(future) until the future fails:       p50 {P(terminate, 50),7:F1} ms  p99 {P(terminate, 99),7:F1} ms  (target p99 < 1000 ms, {tries} tries)");
        Console.WriteLine($"TaskTimeout ({TaskTimeout.TotalMilliseconds} ms) overrun until the future fails: p50 {P(timeout, 50),7:F1} ms  p99 {P(timeout, 99),7:F1} ms  (target p99 < 1000 ms)");
        Console.WriteLine($"replacement worker, Terminate to next result:   p50 {P(replacement, 50),7:F1} ms; cold 1-worker pool to first result p50 {P(cold, 50):F1} ms: " +
            $"{P(replacement, 50) / P(cold, 50):F2}x (target <= 1.5x)");
        Console.WriteLine($"FailTask map of 2,000 (1% end their worker):    {map}");
    }

    private static (List<double> Terminate, List<double> Replacement) MeasureTerminate(int tries)
    {
        var ended = new List<double>();
        var replaced = new List<double>();
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        pool.Submit(Trivial, 0).Result(Timeout);   // a warm worker to begin with
        for (var i = 0; i < tries; i++)
        {
            var task = pool.Submit(Block, 0);
            if (!SpinWait.SpinUntil(() => task.State == FutureState.Running, Timeout))
            {
                throw new InvalidOperationException("the task never started");
            }

            var watch = Stopwatch.StartNew();
            if (!pool.Terminate(task))
            {
                throw new InvalidOperationException("Terminate refused a running task");
            }

            _ = task.GetException(Timeout) as TaskTerminatedException ?? throw new InvalidOperationException("not TaskTerminatedException");
            ended.Add(watch.Elapsed.TotalMilliseconds);
            pool.Submit(Trivial, i).Result(Timeout);   // served by the replacement
            replaced.Add(watch.Elapsed.TotalMilliseconds);
        }

        return (ended, replaced);
    }

    private static List<double> MeasureTimeout(int tries)
    {
        var overrun = new List<double>();
        using var pool = new ProcessPoolExecutor(maxWorkers: 1, options: new ProcessPoolOptions { TaskTimeout = TaskTimeout });
        pool.Submit(Trivial, 0).Result(Timeout);
        for (var i = 0; i < tries; i++)
        {
            var task = pool.Submit(Block, 0);
            if (!SpinWait.SpinUntil(() => task.State == FutureState.Running, Timeout))
            {
                throw new InvalidOperationException("the task never started");
            }

            var watch = Stopwatch.StartNew();   // the task started a moment before it was seen Running: the overrun is counted from here
            _ = task.GetException(Timeout) as TimeoutException ?? throw new InvalidOperationException("not TimeoutException");
            overrun.Add(Math.Max(0, watch.Elapsed.TotalMilliseconds - TaskTimeout.TotalMilliseconds));
        }

        return overrun;
    }

    private static List<double> MeasureColdStart(int tries)
    {
        var times = new List<double>();
        for (var i = 0; i < tries; i++)
        {
            var watch = Stopwatch.StartNew();
            using var pool = new ProcessPoolExecutor(maxWorkers: 1);
            pool.Submit(Trivial, i).Result(Timeout);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        return times;
    }

    private static string MeasureFailTaskMap(int count)
    {
        var watch = Stopwatch.StartNew();
        var pool = new ProcessPoolExecutor(options: new ProcessPoolOptions { OnWorkerCrash = WorkerCrashPolicy.FailTask });
        var futures = Enumerable.Range(0, count).Select(i => pool.Submit(CrashOnePercent, i)).ToList();
        int right = 0, wrong = 0, crashed = 0;
        var pids = new HashSet<int>();
        for (var i = 0; i < count; i++)
        {
            if (futures[i].GetException(Timeout) is { } error)
            {
                crashed += i % 100 == 37 && error is WorkerCrashedException ? 1 : 0;
                wrong += i % 100 == 37 && error is WorkerCrashedException ? 0 : 1;
                continue;
            }

            var answer = futures[i].Result(TimeSpan.Zero);
            var (value, pid) = (answer[0], answer[1]);
            pids.Add(pid);
            right += value == i * 2 && i % 100 != 37 ? 1 : 0;
            wrong += value == i * 2 && i % 100 != 37 ? 0 : 1;
        }

        pool.Dispose();
        var elapsed = watch.Elapsed;
        var orphans = pids.Count(IsAlive);
        return $"{right} right, {crashed} crashed as expected, {wrong} wrong, {orphans} workers left running, {elapsed.TotalSeconds:F1} s " +
            $"({(right == count - (count / 100) && wrong == 0 && orphans == 0 ? "met" : "NOT met")})";
    }

    private static double P(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.WaitForExit(TimeSpan.FromSeconds(5));
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static int Trivial(int x) => x;

    private static int Block(int x)
    {
        Thread.Sleep(System.Threading.Timeout.Infinite);
        return x;
    }

    /// <summary>[x * 2, the worker's pid], except that one call in a hundred ends its worker in one of four ways.</summary>
    private static int[] CrashOnePercent(int x)
    {
        if (x % 100 == 37)
        {
            switch (x / 100 % 4)
            {
                case 0: Environment.FailFast($"deliberate crash {x}"); break;
                case 1: Environment.Exit(3); break;
                case 2: Process.GetCurrentProcess().Kill(); break;
                default: Overflow(1); break;
            }
        }

        return [x * 2, Environment.ProcessId];
    }

    private static int Overflow(int x) => x < 0 ? x : Overflow(x + 1) + 1;
}
