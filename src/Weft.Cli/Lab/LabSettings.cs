namespace Weft.Cli.Lab;

/// <summary>The sizes of the lab's experiments: <see cref="Quick"/> (under 30 s on 2 cores, CPython included) or <see cref="Full"/>.</summary>
internal sealed record LabSettings
{
    /// <summary>Whether this is the quick run.</summary>
    public bool IsQuick { get; init; }

    /// <summary>Timed runs per strategy, in rounds; the median is reported with the range, and a verdict needs every run to agree.</summary>
    public int Repeats { get; init; } = 5;

    /// <summary>IO-bound tasks (sleeps and fetches).</summary>
    public int IoTasks { get; init; } = 20;

    /// <summary>How long each IO-bound sleep, and each server response, takes.</summary>
    public TimeSpan IoLatency { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Bytes per image the built-in server sends.</summary>
    public int ImageBytes { get; init; } = 100_000;

    /// <summary>CPU-bound tasks, as in the tutorial's <c>range(4)</c>.</summary>
    public int CpuTasks { get; init; } = 4;

    /// <summary>How long one CPU-bound task should take on .NET; the loop length is calibrated to it. .NET's rows
    /// decide a CPU claim only without CPython, and .NET runs nine CPU strategies, so its tasks are shorter.</summary>
    public TimeSpan CpuTaskTarget { get; init; } = TimeSpan.FromMilliseconds(150);

    /// <summary>How long one CPU-bound task should take on CPython at least; the program calibrates its loop to it,
    /// and lengthens it (up to <see cref="PythonCpuTaskLimit"/>) until the process pool's start-up is at most a fifth
    /// of the work each worker does.</summary>
    public TimeSpan PythonCpuTaskTarget { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>The longest a CPython CPU-bound task may be made to keep the pool's start-up a small share (a busy
    /// machine starts processes slowly; its CPU verdicts are not decided anyway).</summary>
    public TimeSpan PythonCpuTaskLimit { get; init; } = TimeSpan.FromMilliseconds(600);

    /// <summary>Concurrent waits in the threads-versus-async experiment (10,000 threads take 9 s to start on a busy 2-core machine).</summary>
    public int Waits { get; init; } = 10_000;

    /// <summary>How long each of those waits.</summary>
    public TimeSpan WaitDuration { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The unit of the ordering experiment's 5,4,3,2,1 sleeps.</summary>
    public TimeSpan OrderUnit { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary><c>--quick</c>: 3 runs of each strategy, small sizes, 30 ms waits (under 30 s on 2 cores, CPython included).</summary>
    public static LabSettings Quick { get; } = new()
    {
        IsQuick = true,
        Repeats = 3,
        IoTasks = 10,
        IoLatency = TimeSpan.FromMilliseconds(30),
        CpuTaskTarget = TimeSpan.FromMilliseconds(50),
        PythonCpuTaskTarget = TimeSpan.FromMilliseconds(100),
        PythonCpuTaskLimit = TimeSpan.FromMilliseconds(150),
        Waits = 5_000,
        WaitDuration = TimeSpan.FromMilliseconds(500),
        OrderUnit = TimeSpan.FromMilliseconds(30),
    };

    /// <summary>The full run: 5 runs of each strategy, longer tasks (under 3 minutes on 2 cores).</summary>
    public static LabSettings Full { get; } = new();
}
