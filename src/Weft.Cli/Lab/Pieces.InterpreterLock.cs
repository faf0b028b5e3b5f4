using Weft.Cli.Demos;
using Weft.Lab;

namespace Weft.Cli.Lab;

internal static partial class IoSleepWorkload
{
    private static partial Experiment UnderInterpreterLock(LabSettings settings)
    {
        var n = settings.IoTasks;
        var latency = settings.IoLatency;
        return new(Strategies.IoSleep, Strategies.GilThreads, n, n, n, () =>
        {
            var gil = new InterpreterLock();
            return new Trial(
                () => LabThreads.StartAndJoin(n, () =>
                {
                    using (gil.Enter())
                    {
                        gil.Sleep(latency);
                    }
                }),
                note: () => $"{gil.Switches / settings.Repeats:N0} lock switches per run");
        });
    }
}

internal static partial class CpuWorkload
{
    private static partial Experiment UnderInterpreterLock(LabSettings settings, long n)
    {
        var tasks = settings.CpuTasks;
        return new(Strategies.Cpu, Strategies.GilThreads, tasks, tasks, Experiment.IdealSpeedup(tasks, Environment.ProcessorCount), () =>
        {
            var gil = new InterpreterLock();
            return new Trial(
                () => LabThreads.StartAndJoin(tasks, () => CpuWork.CpuIntensiveTask(gil, n)),
                note: () => $"{gil.Switches / settings.Repeats:N0} lock switches, {gil.WaitTime.TotalSeconds / settings.Repeats:F2} s waiting per run");
        });
    }
}

internal sealed partial class LabRunner
{
    private static partial long? RefcountUnderInterpreterLock() => RefcountDemo.CountUnderInterpreterLock();
}
