using System.Text.Json.Serialization;

namespace Weft.Cli.Lab;

/// <summary>Everything the lab measured: what results.json holds (see docs/lab.md for the schema).</summary>
internal sealed record LabResults
{
    /// <summary>The schema identifier of results.json.</summary>
    public const string SchemaId = "weft-lab-results/3";

    public string Schema { get; init; } = SchemaId;

    public DateTimeOffset CreatedAt { get; init; }

    public bool Quick { get; init; }

    public double Seconds { get; init; }

    public required MachineInfo Machine { get; init; }

    public required IReadOnlyList<Measurement> Experiments { get; init; }

    public required WaitsResult ConcurrentWaits { get; init; }

    public required RefcountResult Refcount { get; init; }

    public required OrderingResult Ordering { get; init; }

    /// <summary>Whether the tutorial's Python programs ran, and on what.</summary>
    [JsonPropertyName("cpython")]
    public required CPythonRun CPython { get; init; }

    public IReadOnlyList<Verdict> Verdicts { get; init; } = [];

    /// <summary>Finds an experiment.</summary>
    /// <param name="runtime">dotnet or cpython.</param>
    /// <param name="workload">The workload.</param>
    /// <param name="strategy">The strategy.</param>
    /// <returns>The measurement, or null when it was not run.</returns>
    public Measurement? Find(string runtime, string workload, string strategy) =>
        Experiments.FirstOrDefault(m => m.Runtime == runtime && m.Workload == workload && m.Strategy == strategy);

    /// <summary>Whether any experiment ran on CPython.</summary>
    public bool HasCPython => Experiments.Any(m => m.Runtime == Runtimes.CPython);
}
