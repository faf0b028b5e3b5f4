namespace Weft.Cli.Lab;

/// <summary>Whether the lab ran the tutorial's Python programs, on which interpreter, and if not, why.</summary>
/// <param name="Status">measured, skipped or failed.</param>
/// <param name="Executable">The interpreter's path; null when none was found.</param>
/// <param name="Reason">Why it was skipped or what failed; null when measured.</param>
internal sealed record CPythonRun(string Status, string? Executable, string? Reason)
{
    public const string Measured = "measured";
    public const string Skipped = "skipped";
    public const string Failed = "failed";

    /// <summary>How long the interpreter took to start and report its version (not part of any experiment's time).</summary>
    public double? StartupSeconds { get; init; }

    /// <summary>Section 3's map() and as_completed() on CPython; null when not run.</summary>
    public OrderingResult? Ordering { get; init; }

    /// <summary>Many concurrent waits as threading.Thread objects and asyncio tasks on CPython; null when not run.</summary>
    public WaitsResult? ConcurrentWaits { get; init; }

    /// <summary>The tutorial's process-pool example run exactly as written; null when not run.</summary>
    public TutorialRun? TutorialProcessPool { get; init; }
}
