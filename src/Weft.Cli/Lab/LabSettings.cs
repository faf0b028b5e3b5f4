namespace Weft.Cli.Lab;

/// <summary>The sizes of the lab's experiments: <see cref="Quick"/> (under 30 s on 2 cores, CPython included) or <see cref="Full"/>.</summary>
internal sealed record LabSettings
{
    /// <summary>Whether this is the quick run.</summary>
    public bool IsQuick { get; init; }

    /// <summary>Timed runs per experiment; the fastest is reported.</summary>
    public int Repeats { get; init; } = 2;

    /// <summary>IO-bound tasks (sleeps and fetches).</summary>
    public int IoTasks { get; init; } = 10;

    /// <summary>How long each IO-bound sleep, and each server response, takes.</summary>
    public TimeSpan IoLatency { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Bytes per image the built-in server sends.</summary>
    public int ImageBytes { get; init; } = 100_000;

    /// <summary>CPU-bound tasks, as in the tutorial's <c>range(4)</c>.</summary>
    public int CpuTasks { get; init; } = 4;

    /// <summary>How long one CPU-bound task should take here; the loop length is calibrated to it (quick: 75 ms).</summary>
    public TimeSpan CpuTaskTarget { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Concurrent waits in the threads-versus-async experiment (10,000 threads take 9 s to start on a busy 2-core machine).</summary>
    public int Waits { get; init; } = 5_000;

    /// <summary>How long each of those waits.</summary>
    public TimeSpan WaitDuration { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The unit of the ordering experiment's 5,4,3,2,1 sleeps.</summary>
    public TimeSpan OrderUnit { get; init; } = TimeSpan.FromMilliseconds(40);

    /// <summary><c>--quick</c>: best of two runs, small sizes, 50 ms waits (under 30 s on 2 cores, CPython included).</summary>
    public static LabSettings Quick { get; } = new()
    {
        IsQuick = true,
        IoLatency = TimeSpan.FromMilliseconds(50),
        CpuTaskTarget = TimeSpan.FromMilliseconds(75),
    };

    /// <summary>The full run: best of three, longer tasks (under 3 minutes on 2 cores).</summary>
    public static LabSettings Full { get; } = new()
    {
        Repeats = 3,
        IoTasks = 20,
        IoLatency = TimeSpan.FromMilliseconds(200),
        CpuTaskTarget = TimeSpan.FromMilliseconds(400),
        Waits = 10_000,
        WaitDuration = TimeSpan.FromSeconds(1),
        OrderUnit = TimeSpan.FromMilliseconds(100),
    };
}
