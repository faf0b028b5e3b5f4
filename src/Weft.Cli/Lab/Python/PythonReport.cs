namespace Weft.Cli.Lab.Python;

/// <summary>The one JSON line a lab program prints (see weft_lab.py's <c>report</c>). The optional members have
/// setters, not init: the source-generated reader sets init members it did not find to their default (null).</summary>
internal sealed record PythonReport
{
    /// <summary>io-sleep, io-http, cpu or probe.</summary>
    public required string Workload { get; init; }

    /// <summary><c>platform.python_version()</c>.</summary>
    public required string Python { get; init; }

    /// <summary><c>platform.python_implementation()</c>.</summary>
    public required string Implementation { get; init; }

    /// <summary><c>sys._is_gil_enabled()</c>, true where it does not exist.</summary>
    public bool GilEnabled { get; set; } = true;

    /// <summary>Each strategy's run times, in the order they ran (one per round); <c>process-pool-warm</c> is the
    /// process pool already running.</summary>
    public Dictionary<string, double[]> Seconds { get; set; } = [];

    /// <summary>The CPU time the interpreter process used during each of those runs (all its threads).</summary>
    public Dictionary<string, double[]> CpuSeconds { get; set; } = [];

    /// <summary>The pools' default sizes.</summary>
    public Dictionary<string, int> Workers { get; set; } = [];

    /// <summary>The CPU loop's length.</summary>
    public long? Loop { get; set; }

    /// <summary>How long a process pool took to start its workers and shut down, measured before the CPU loop was sized.</summary>
    public double? PoolStartup { get; set; }

    /// <summary>The time one CPU task was sized to take: the lab's target, or longer where the pool's start-up asked for it.</summary>
    public double? TaskTarget { get; set; }

    /// <summary>Section 3's ordering experiment (the sleep workload's program runs it).</summary>
    public OrderingResult? Ordering { get; set; }

    /// <summary>Many concurrent waits as threads and as asyncio tasks (the waits program runs it).</summary>
    public WaitsResult? Waits { get; set; }

    /// <summary>The tutorial's process-pool example run as written.</summary>
    public TutorialRun? TutorialProcessPool { get; set; }
}
