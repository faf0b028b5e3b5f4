namespace Weft.Processes;

// The frames a worker sends to its pool.

/// <summary>The initializer ran: <c>[int32 pid]</c>.</summary>
internal readonly record struct ReadyFrame(int ProcessId) : IFrame<ReadyFrame>
{
    public static FrameKind Kind => FrameKind.Ready;

    public static ReadyFrame Read(ReadOnlyMemory<byte> body) => new(Frame.Reader(Kind, body, 4).ReadInt32());

    public void WriteFields(BodyWriter writer) => writer.WriteInt32(ProcessId);
}

/// <summary>The initializer threw: <c>[error]</c> (<see cref="RemoteError"/>); the worker then exits.</summary>
/// <param name="Error">The initializer's exception (worker side), or the one rebuilt from the record (parent side).</param>
internal readonly record struct InitFailedFrame(Exception Error) : IFrame<InitFailedFrame>
{
    public static FrameKind Kind => FrameKind.InitFailed;

    public static InitFailedFrame Read(ReadOnlyMemory<byte> body)
    {
        var reader = new BodyReader(body.Span);
        return new InitFailedFrame(Frame.ReadError(Kind, ref reader));
    }

    public void WriteFields(BodyWriter writer) => RemoteError.Write(writer, Error);
}

/// <summary>A call has started (its future becomes Running): <c>[int64 taskId]</c>. Left out when the call's
/// result follows in the same write (see <see cref="WorkerOutbox"/>).</summary>
internal readonly record struct StartedFrame(long TaskId) : IFrame<StartedFrame>
{
    public static FrameKind Kind => FrameKind.Started;

    public static StartedFrame Read(ReadOnlyMemory<byte> body) => new(Frame.Reader(Kind, body, 8).ReadInt64());

    public void WriteFields(BodyWriter writer) => writer.WriteInt64(TaskId);
}

/// <summary>A cancelled call was skipped without running: <c>[int64 taskId]</c>.</summary>
internal readonly record struct SkippedFrame(long TaskId) : IFrame<SkippedFrame>
{
    public static FrameKind Kind => FrameKind.Skipped;

    public static SkippedFrame Read(ReadOnlyMemory<byte> body) => new(Frame.Reader(Kind, body, 8).ReadInt64());

    public void WriteFields(BodyWriter writer) => writer.WriteInt64(TaskId);
}

/// <summary>A call returned: <c>[int64 taskId][int64 elapsedTicks][value]</c>; the value is the payload.</summary>
internal readonly record struct ResultFrame(long TaskId, long ElapsedTicks, ReadOnlyMemory<byte> Value) : IFrame<ResultFrame>
{
    public const int FieldsLength = 16;

    public static FrameKind Kind => FrameKind.Result;

    public static ResultFrame Read(ReadOnlyMemory<byte> body)
    {
        var reader = Frame.Reader(Kind, body, FieldsLength);
        return new ResultFrame(reader.ReadInt64(), reader.ReadInt64(), body[FieldsLength..]);
    }

    public void WriteFields(BodyWriter writer)
    {
        writer.WriteInt64(TaskId);
        writer.WriteInt64(ElapsedTicks);
    }
}

/// <summary>A call threw: <c>[int64 taskId][int64 elapsedTicks][error]</c> (<see cref="RemoteError"/>).</summary>
/// <remarks>Read whole, the error record included, before the pool touches its in-flight table: a record that
/// cannot be parsed then leaves the call where a broken pool still finds and fails it.</remarks>
internal readonly record struct ErrorFrame(long TaskId, long ElapsedTicks, Exception Error) : IFrame<ErrorFrame>
{
    public static FrameKind Kind => FrameKind.Error;

    public static ErrorFrame Read(ReadOnlyMemory<byte> body)
    {
        var reader = Frame.Reader(Kind, body, 16);
        var taskId = reader.ReadInt64();
        var ticks = reader.ReadInt64();
        return new ErrorFrame(taskId, ticks, Frame.ReadError(Kind, ref reader));
    }

    public void WriteFields(BodyWriter writer)
    {
        writer.WriteInt64(TaskId);
        writer.WriteInt64(ElapsedTicks);
        RemoteError.Write(writer, Error);
    }
}
