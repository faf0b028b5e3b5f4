namespace Weft.Orleans.Workers;

/// <summary>One attempt at a task, as an executor sends it to a silo. Function and arguments stay bytes encoded by
/// <see cref="Wire.ClusterWire"/>: Orleans' serializer never sees a user type.</summary>
/// <remarks>(<see cref="Executor"/>, <see cref="Id"/>) names the task on every silo: a silo that already holds it
/// acknowledges a second copy without running it again, and a client keeps the first result of any attempt.</remarks>
[GenerateSerializer]
[Immutable]
[Alias("Weft.TaskMessage")]
internal sealed class TaskMessage
{
    /// <summary>The sending executor's id.</summary>
    [Id(0)]
    public required string Executor { get; init; }

    /// <summary>The task's id within its executor (the same on every attempt).</summary>
    [Id(1)]
    public required long Id { get; init; }

    /// <summary>Which attempt this is (1 for the first send), for the silo's log.</summary>
    [Id(2)]
    public required int Attempt { get; init; }

    [Id(3)]
    public required byte[] Function { get; init; }

    [Id(4)]
    public required byte[] Arguments { get; init; }

    /// <summary>Where the result goes: the executor's observer.</summary>
    [Id(5)]
    public required IWeftResults Results { get; init; }

    /// <summary>The executor is cancelling its tasks already: the function's token starts fired.</summary>
    [Id(6)]
    public bool Cancelled { get; init; }

    /// <summary>The submitter's W3C <c>traceparent</c>, if it was traced.</summary>
    [Id(7)]
    public string? TraceParent { get; init; }

    /// <summary>The submitter's W3C <c>tracestate</c>.</summary>
    [Id(8)]
    public string? TraceState { get; init; }

    /// <summary>How many worker processes earlier attempts of this task killed (<see cref="WeftWorkerOptions.IsolateTasks"/>).</summary>
    [Id(9)]
    public int KilledWorkers { get; init; }

    /// <summary>How long the silo keeps the task once the executor stops sending heartbeats (it died or was cut
    /// off): then the task's token fires, so an orphan does not run on for ever.</summary>
    [Id(10)]
    public TimeSpan OrphanAfter { get; init; }
}

/// <summary>A silo's acknowledgement of a <see cref="TaskMessage"/>.</summary>
/// <param name="Silo">The silo that holds the task now.</param>
/// <param name="Accepted">False where this silo has no Weft workers (<c>AddWeftWorkers</c> was not called on it).</param>
[GenerateSerializer]
[Immutable]
[Alias("Weft.Ack")]
internal readonly record struct Ack([property: Id(0)] string Silo, [property: Id(1)] bool Accepted);

/// <summary>A silo's answer to a heartbeat: who answered, and the executor's tasks it holds (queued or running).</summary>
[GenerateSerializer]
[Immutable]
[Alias("Weft.Beat")]
internal sealed record Beat([property: Id(0)] string Silo, [property: Id(1)] long[] Held);

/// <summary>A silo's answer to a discovery probe: who answered, and how many tasks it runs at once (0: no workers).</summary>
[GenerateSerializer]
[Immutable]
[Alias("Weft.Probe")]
internal readonly record struct Probe([property: Id(0)] string Silo, [property: Id(1)] int Capacity);
