namespace Weft.Processes;

// The frames a pool sends to its worker, in the order a worker meets them.

/// <summary>The first frame: <c>[byte flags][definition?]</c>; flag 1: an initializer's definition follows; flag 2:
/// report each call's start at once (flush the outbox before running it), so that if the worker dies the pool knows
/// which call it was running (<see cref="WorkerCrashPolicy.FailTask"/>) and no earlier result dies with it.</summary>
/// <param name="Initializer">Parent side: the initializer to write, if any.</param>
/// <param name="Definition">Worker side: the initializer's definition as read, empty when there is none.</param>
/// <param name="ReportStarts">Flag 2.</param>
internal readonly record struct InitFrame(TaskFunction? Initializer, ReadOnlyMemory<byte> Definition, bool ReportStarts = false) : IFrame<InitFrame>
{
    private const byte HasInitializerFlag = 1;
    private const byte ReportStartsFlag = 2;

    public static FrameKind Kind => FrameKind.Init;

    public bool HasInitializer => Initializer is not null || !Definition.IsEmpty;

    public static InitFrame Read(ReadOnlyMemory<byte> body)
    {
        if (body.Length < 1)
        {
            throw Frame.TooShort(Kind, body);
        }

        var flags = body.Span[0];
        return new InitFrame(null, (flags & HasInitializerFlag) != 0 ? body[1..] : ReadOnlyMemory<byte>.Empty, (flags & ReportStartsFlag) != 0);
    }

    public void WriteFields(BodyWriter writer)
    {
        writer.WriteByte((byte)((Initializer is null ? 0 : HasInitializerFlag) | (ReportStarts ? ReportStartsFlag : 0)));
        Initializer?.WriteDefinition(writer);
    }
}

/// <summary>A function later calls name by id: <see cref="TaskFunction.WriteDefinition"/>, <c>[int32 id][...]</c>.</summary>
/// <param name="Function">Parent side: the function to define.</param>
/// <param name="FunctionId">Worker side: the id read.</param>
/// <param name="Definition">Worker side: the definition after its id, for <see cref="TaskFunction.Bind"/>.</param>
internal readonly record struct DefineFrame(TaskFunction? Function, int FunctionId, ReadOnlyMemory<byte> Definition) : IFrame<DefineFrame>
{
    public static FrameKind Kind => FrameKind.Define;

    public static DefineFrame Read(ReadOnlyMemory<byte> body)
    {
        var reader = Frame.Reader(Kind, body, 4);
        return new DefineFrame(null, reader.ReadInt32(), body[4..]);
    }

    public void WriteFields(BodyWriter writer) => Function!.WriteDefinition(writer);
}

/// <summary>A call: <c>[int64 taskId][int32 functionId][trace][arguments]</c>; the arguments are the payload. The
/// trace is the submitter's W3C trace context in <c>TaskTraceContext</c>'s binary form: one byte 0 when the
/// submitter was in no trace (so an untraced call costs one byte), else 1 and 27 bytes plus the trace state.</summary>
/// <param name="TaskId">The call's id in its pool.</param>
/// <param name="FunctionId">The function, defined earlier by a <see cref="DefineFrame"/>.</param>
/// <param name="Trace">The trace context bytes (starting with 1), or empty for none.</param>
/// <param name="Arguments">Worker side: the serialized arguments.</param>
internal readonly record struct CallFrame(long TaskId, int FunctionId, ReadOnlyMemory<byte> Trace, ReadOnlyMemory<byte> Arguments) : IFrame<CallFrame>
{
    public const int FieldsLength = 13;

    public static FrameKind Kind => FrameKind.Call;

    /// <remarks>Only measures the trace context: parsing it would load System.Diagnostics' activity types into
    /// every worker, and a call without one must not pay for that.</remarks>
    public static CallFrame Read(ReadOnlyMemory<byte> body)
    {
        var reader = Frame.Reader(Kind, body, FieldsLength);
        var taskId = reader.ReadInt64();
        var functionId = reader.ReadInt32();
        var traceLength = reader.ReadByte() switch
        {
            0 => 0,
            1 when reader.Rest.Length >= 27 => 28 + (reader.Rest[25] | (reader.Rest[26] << 8)),
            var first => throw new InvalidDataException($"Corrupt Call frame: its trace context starts with {first}."),
        };
        if (12 + traceLength > body.Length)
        {
            throw Frame.TooShort(Kind, body);
        }

        var trace = traceLength == 0 ? ReadOnlyMemory<byte>.Empty : body.Slice(12, traceLength);
        return new CallFrame(taskId, functionId, trace, body[(12 + Math.Max(1, traceLength))..]);
    }

    public void WriteFields(BodyWriter writer)
    {
        writer.WriteInt64(TaskId);
        writer.WriteInt32(FunctionId);
        if (Trace.IsEmpty)
        {
            writer.WriteByte(0);
        }
        else
        {
            writer.WriteBytes(Trace.Span);
        }
    }
}

/// <summary>A call whose future was cancelled: skip it if not started. <c>[int64 taskId]</c>.</summary>
internal readonly record struct CancelFrame(long TaskId) : IFrame<CancelFrame>
{
    public static FrameKind Kind => FrameKind.Cancel;

    public static CancelFrame Read(ReadOnlyMemory<byte> body) => new(Frame.Reader(Kind, body, 8).ReadInt64());

    public void WriteFields(BodyWriter writer) => writer.WriteInt64(TaskId);
}

/// <summary>Fire the token of the running and later cancellable tasks. No fields.</summary>
internal readonly record struct CancelAllFrame : IFrame<CancelAllFrame>
{
    public static FrameKind Kind => FrameKind.CancelAll;

    public static CancelAllFrame Read(ReadOnlyMemory<byte> body) => default;

    public void WriteFields(BodyWriter writer)
    {
    }
}

/// <summary>Finish the calls received so far, send their results, then exit with code 0. No fields.</summary>
internal readonly record struct ExitFrame : IFrame<ExitFrame>
{
    public static FrameKind Kind => FrameKind.Exit;

    public static ExitFrame Read(ReadOnlyMemory<byte> body) => default;

    public void WriteFields(BodyWriter writer)
    {
    }
}
