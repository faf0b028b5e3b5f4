namespace Weft.Cli.Lab;

// The parts that need building blocks not yet in this build: each says what is missing.
internal static partial class IoSleepWorkload
{
    private static partial Experiment ProcessPool(LabSettings settings) =>
        Experiment.Unavailable(Strategies.IoSleep, Strategies.ProcessPool, settings.IoTasks, "ProcessPoolExecutor");

    private static partial Experiment UnderInterpreterLock(LabSettings settings) =>
        Experiment.Unavailable(Strategies.IoSleep, Strategies.GilThreads, settings.IoTasks, "Weft.Lab.InterpreterLock");
}

internal static partial class CpuWorkload
{
    private static partial Experiment ProcessPool(LabSettings settings, long n) =>
        Experiment.Unavailable(Strategies.Cpu, Strategies.ProcessPool, settings.CpuTasks, "ProcessPoolExecutor");

    private static partial Experiment UnderInterpreterLock(LabSettings settings, long n) =>
        Experiment.Unavailable(Strategies.Cpu, Strategies.GilThreads, settings.CpuTasks, "Weft.Lab.InterpreterLock");
}

internal sealed partial class IoHttpWorkload
{
    /// <summary>Starts the built-in image server; missing from this build, so every experiment says so.</summary>
    /// <param name="settings">The sizes.</param>
    /// <param name="cancellationToken">Stops the start.</param>
    /// <returns>The workload.</returns>
    public static Task<IoHttpWorkload> StartAsync(LabSettings settings, CancellationToken cancellationToken) =>
        Task.FromResult(new IoHttpWorkload
        {
            Experiments = Strategies.All
                .Select(s => Experiment.Unavailable(Strategies.IoHttp, s, settings.IoTasks, "Weft.Download.ImageServer"))
                .ToList(),
        });

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

internal sealed partial class LabRunner
{
    private static partial long? RefcountUnderInterpreterLock() => null;
}
