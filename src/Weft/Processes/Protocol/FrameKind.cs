namespace Weft.Processes;

/// <summary>
/// The messages between a pool and its worker. Every frame is <c>[int32 length][byte kind][body]</c>,
/// little-endian, where length counts the kind byte and the body.
/// </summary>
internal enum FrameKind : byte
{
    /// <summary>Parent → worker, first frame: <c>[byte hasInitializer][definition?]</c>.</summary>
    Init = 1,

    /// <summary>Parent → worker: a function used by later calls, <see cref="TaskFunction.WriteDefinition"/>.</summary>
    Define = 2,

    /// <summary>Parent → worker: <c>[int64 taskId][int32 functionId][arguments]</c>.</summary>
    Call = 3,

    /// <summary>Parent → worker: fire the cancellation token of running and later cancellable tasks.</summary>
    CancelAll = 4,

    /// <summary>Parent → worker: finish the calls received so far, then exit with code 0.</summary>
    Exit = 5,

    /// <summary>Parent → worker: <c>[int64 taskId]</c>, a call whose future was cancelled: skip it if not started.</summary>
    Cancel = 6,

    /// <summary>Worker → parent: the initializer ran; <c>[int32 pid]</c>.</summary>
    Ready = 10,

    /// <summary>Worker → parent: the initializer threw; <c>[error]</c>, then the worker exits.</summary>
    InitFailed = 11,

    /// <summary>Worker → parent: <c>[int64 taskId][int64 elapsedTicks][result]</c>.</summary>
    Result = 12,

    /// <summary>Worker → parent: <c>[int64 taskId][int64 elapsedTicks][error]</c>.</summary>
    Error = 13,

    /// <summary>Worker → parent: <c>[int64 taskId]</c>, the call has started (its future becomes Running). Left
    /// out when the call's result follows in the same write.</summary>
    Started = 14,

    /// <summary>Worker → parent: <c>[int64 taskId]</c>, a cancelled call was skipped without running.</summary>
    Skipped = 15,
}

/// <summary>Which kinds each side may receive (anything else on a channel is corrupt data).</summary>
internal static class FrameKinds
{
    public static bool ToWorker(FrameKind kind) => kind is >= FrameKind.Init and <= FrameKind.Cancel;

    public static bool ToParent(FrameKind kind) => kind is >= FrameKind.Ready and <= FrameKind.Skipped;
}
