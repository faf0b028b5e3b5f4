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

    /// <summary>Worker → parent: the initializer ran; <c>[int32 pid]</c>.</summary>
    Ready = 10,

    /// <summary>Worker → parent: the initializer threw; <c>[error]</c>, then the worker exits.</summary>
    InitFailed = 11,

    /// <summary>Worker → parent: <c>[int64 taskId][int64 elapsedTicks][result]</c>.</summary>
    Result = 12,

    /// <summary>Worker → parent: <c>[int64 taskId][int64 elapsedTicks][error]</c>.</summary>
    Error = 13,
}
