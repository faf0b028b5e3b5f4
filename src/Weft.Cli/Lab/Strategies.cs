namespace Weft.Cli.Lab;

/// <summary>The ways the lab runs a workload, and the workloads; the names used in results.json.</summary>
internal static class Strategies
{
    public const string Sequential = "sequential";
    public const string Threads = "threads";
    public const string ThreadPool = "thread-pool";
    public const string ProcessPool = "process-pool";
    public const string Async = "async";
    public const string GilThreads = "gil-threads";

    /// <summary>The CPU loop with the simulated lock's checkpoints, on one thread: the baseline of
    /// <see cref="GilThreads"/> on the CPU loop, so the checkpoints' cost is not counted as the lock's effect.</summary>
    public const string GilSequential = "gil-sequential";

    public const string IoSleep = "io-sleep";
    public const string IoHttp = "io-http";
    public const string Cpu = "cpu";

    /// <summary>Every strategy, in table order.</summary>
    public static IReadOnlyList<string> All { get; } = [Sequential, Threads, ThreadPool, ProcessPool, Async, GilSequential, GilThreads];

    /// <summary>Every workload, in table order.</summary>
    public static IReadOnlyList<string> Workloads { get; } = [IoSleep, IoHttp, Cpu];

    /// <summary>A label for tables and the chart.</summary>
    /// <param name="strategy">A strategy name.</param>
    /// <returns>The label.</returns>
    public static string Label(string strategy) => strategy switch
    {
        Sequential => "sequential",
        Threads => "threads",
        ThreadPool => "ThreadPoolExecutor",
        ProcessPool => "ProcessPoolExecutor",
        Async => "async/await",
        GilSequential => "sequential + simulated GIL",
        GilThreads => "threads + simulated GIL",
        _ => strategy,
    };

    /// <summary>A label for a workload.</summary>
    /// <param name="workload">A workload name.</param>
    /// <returns>The label.</returns>
    public static string WorkloadLabel(string workload) => workload switch
    {
        IoSleep => "IO: sleep",
        IoHttp => "IO: HTTP fetch",
        Cpu => "CPU: loop",
        _ => workload,
    };
}
