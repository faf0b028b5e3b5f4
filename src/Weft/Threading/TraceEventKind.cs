namespace Weft.Threading;

/// <summary>What a <see cref="TraceEvent"/> reports.</summary>
public enum TraceEventKind
{
    /// <summary>A Weft thread (started by <see cref="Threads.Start"/> or an executor worker) began running.</summary>
    ThreadStarted,

    /// <summary>A Weft thread is about to exit.</summary>
    ThreadFinished,

    /// <summary>A task is about to run on the reporting thread.</summary>
    TaskStarted,

    /// <summary>A task returned normally (or was cancelled through its token).</summary>
    TaskFinished,

    /// <summary>A task threw; <see cref="TraceEvent.Exception"/> holds the exception.</summary>
    TaskFailed,

    /// <summary>A future's done-callback threw; the future and later callbacks were not affected.</summary>
    CallbackFailed,

    /// <summary>A worker's initializer threw, breaking its executor.</summary>
    InitializerFailed,
}
