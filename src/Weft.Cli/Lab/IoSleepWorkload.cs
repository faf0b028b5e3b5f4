namespace Weft.Cli.Lab;

/// <summary>The IO-bound workload of sections 2 and 3: tasks that sleep (wait for IO).</summary>
internal static partial class IoSleepWorkload
{
    /// <summary>The experiments, sequential first.</summary>
    /// <param name="settings">The sizes.</param>
    /// <returns>One experiment per strategy.</returns>
    public static IReadOnlyList<Experiment> Experiments(LabSettings settings)
    {
        var n = settings.IoTasks;
        var latency = settings.IoLatency;
        var poolWorkers = Math.Min(32, Environment.ProcessorCount + 4);
        const string w = Strategies.IoSleep;
        return
        [
            new(w, Strategies.Sequential, n, 1, 1, () => new Trial(() =>
            {
                for (var i = 0; i < n; i++)
                {
                    Thread.Sleep(latency);
                }
            })),
            new(w, Strategies.Threads, n, n, n, () => new Trial(() => LabThreads.StartAndJoin(n, () => Thread.Sleep(latency)))),
            new(w, Strategies.ThreadPool, n, poolWorkers, Experiment.IdealSpeedup(n, poolWorkers), () => new Trial(() =>
            {
                using var executor = new ThreadPoolExecutor();
                executor.Map(_ => { Thread.Sleep(latency); return 0; }, Enumerable.Range(0, n)).Consume();
            })),
            ProcessPool(settings),
            new(w, Strategies.Async, n, n, n, () => new Trial(() =>
            {
                static async Task DoSomethingAsync(TimeSpan latency) => await Task.Delay(latency).ConfigureAwait(false);
                Task.WaitAll(Enumerable.Range(0, n).Select(_ => DoSomethingAsync(latency)));
            })),
            UnderInterpreterLock(settings),
        ];
    }

    private static partial Experiment ProcessPool(LabSettings settings);

    private static partial Experiment UnderInterpreterLock(LabSettings settings);
}
