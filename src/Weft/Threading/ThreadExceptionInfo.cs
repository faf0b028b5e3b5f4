namespace Weft.Threading;

/// <summary>An exception that escaped the target of a thread started by <see cref="Threads.Start"/>, as given to <see cref="Threads.ExceptHook"/>.</summary>
/// <param name="Thread">The thread whose target threw (still running the hook).</param>
/// <param name="ThreadName">The thread's name.</param>
/// <param name="Exception">The exception.</param>
/// <remarks>Python: <c>threading.ExceptHookArgs</c> (<c>exc_type</c>, <c>exc_value</c>, <c>exc_traceback</c>, <c>thread</c>).</remarks>
public sealed record ThreadExceptionInfo(Thread Thread, string? ThreadName, Exception Exception);
