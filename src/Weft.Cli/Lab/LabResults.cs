namespace Weft.Cli.Lab;

/// <summary>Everything the lab measured: what results.json holds (see docs/lab.md for the schema).</summary>
internal sealed record LabResults
{
    /// <summary>The schema identifier of results.json.</summary>
    public const string SchemaId = "weft-lab-results/1";

    public string Schema { get; init; } = SchemaId;

    public DateTimeOffset CreatedAt { get; init; }

    public bool Quick { get; init; }

    public double Seconds { get; init; }

    public required MachineInfo Machine { get; init; }

    public required IReadOnlyList<Measurement> Experiments { get; init; }

    public required WaitsResult ConcurrentWaits { get; init; }

    public required RefcountResult Refcount { get; init; }

    public required OrderingResult Ordering { get; init; }

    public IReadOnlyList<Verdict> Verdicts { get; init; } = [];

    /// <summary>Finds an experiment by workload and strategy.</summary>
    /// <param name="workload">The workload.</param>
    /// <param name="strategy">The strategy.</param>
    /// <returns>The measurement, or null when it was not run or is not available.</returns>
    public Measurement? Find(string workload, string strategy) =>
        Experiments.FirstOrDefault(m => m.Workload == workload && m.Strategy == strategy && m.Available);
}

/// <summary>The machine the lab ran on.</summary>
internal sealed record MachineInfo(int Cores, string Os, string Dotnet, string Architecture)
{
    /// <summary>This machine.</summary>
    public static MachineInfo Current { get; } = new(
        Environment.ProcessorCount,
        System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        Environment.Version.ToString(),
        System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString());
}

/// <summary>Many concurrent waits on threads and with async/await.</summary>
internal sealed record WaitsResult(int Waits, double WaitSeconds, WaitRun Threads, WaitRun Async);

/// <summary>One side of <see cref="WaitsResult"/>.</summary>
internal sealed record WaitRun(double Seconds, long PeakBytes, int PeakThreads);

/// <summary>Reference-count updates from several threads at once; <see cref="UnderInterpreterLock"/> is null when the lock is not in this build.</summary>
internal sealed record RefcountResult(int Threads, long Expected, long Unsynchronised, long Locked, long Interlocked, long? UnderInterpreterLock)
{
    /// <summary>Updates lost without a lock.</summary>
    public long Lost => Expected - Unsynchronised;
}

/// <summary>Five tasks of 5,4,3,2,1 units: the order map() and as_completed() hand back results, and the order the work finished.</summary>
internal sealed record OrderingResult(IReadOnlyList<int> Submitted, IReadOnlyList<int> Map, IReadOnlyList<int> AsCompleted, IReadOnlyList<int> Finished);

/// <summary>One claim of the tutorial and whether it holds on this machine.</summary>
/// <param name="Id">A stable identifier.</param>
/// <param name="Claim">The claim, as the tutorial makes it.</param>
/// <param name="Outcome">holds, does-not-hold or not-measured.</param>
/// <param name="Figure">The figure that decides it.</param>
/// <param name="Evidence">The experiment ids it is computed from.</param>
/// <param name="Comment">Why, especially where .NET differs from CPython.</param>
internal sealed record Verdict(string Id, string Claim, string Outcome, string Figure, IReadOnlyList<string> Evidence, string? Comment = null)
{
    public const string Holds = "holds";
    public const string DoesNotHold = "does-not-hold";
    public const string NotMeasured = "not-measured";
}
