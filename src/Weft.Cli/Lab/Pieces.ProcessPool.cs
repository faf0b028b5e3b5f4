using Weft.Cli.Demos;

namespace Weft.Cli.Lab;

internal static partial class IoSleepWorkload
{
    private static partial Experiment ProcessPool(LabSettings settings)
    {
        var n = settings.IoTasks;
        var workers = Environment.ProcessorCount;
        var ms = (int)settings.IoLatency.TotalMilliseconds;
        return new(Strategies.IoSleep, Strategies.ProcessPool, n, workers, Experiment.IdealSpeedup(n, workers), () =>
        {
            var pool = LabTasks.StartWarmPool(workers, out var startup);
            return new Trial(
                () => pool.Map(LabTasks.SleepMilliseconds, Enumerable.Repeat(ms, n)).Consume(),
                pool,
                () => $"warm pool; start-up {startup:F2} s not timed");
        });
    }
}

internal static partial class CpuWorkload
{
    private static partial Experiment ProcessPool(LabSettings settings, long n)
    {
        var tasks = settings.CpuTasks;
        var workers = Environment.ProcessorCount;
        return new(Strategies.Cpu, Strategies.ProcessPool, tasks, workers, Experiment.IdealSpeedup(tasks, workers), () =>
        {
            var pool = LabTasks.StartWarmPool(workers, out var startup);
            return new Trial(
                () => pool.Map(CpuWork.CpuIntensiveTask, Enumerable.Repeat(n, tasks)).Consume(),
                pool,
                () => $"warm pool; start-up {startup:F2} s not timed");
        });
    }
}
