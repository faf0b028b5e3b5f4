using Weft.Cli.Lab;

namespace Weft.Cli.Tests.Lab;

/// <summary>Sizes small enough for a test run of the whole lab, on .NET and CPython, in seconds.</summary>
internal static class LabTestSettings
{
    public static LabSettings Tiny { get; } = LabSettings.Quick with
    {
        Repeats = 2,
        IoTasks = 4,
        IoLatency = TimeSpan.FromMilliseconds(30),
        ImageBytes = 10_000,
        CpuTaskTarget = TimeSpan.FromMilliseconds(20),
        PythonCpuTaskTarget = TimeSpan.FromMilliseconds(20),
        PythonCpuTaskLimit = TimeSpan.FromMilliseconds(40),
        Waits = 200,
        WaitDuration = TimeSpan.FromMilliseconds(100),
        OrderUnit = TimeSpan.FromMilliseconds(30),
    };
}
