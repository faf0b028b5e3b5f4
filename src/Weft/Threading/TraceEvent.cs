namespace Weft.Threading;

/// <summary>One event delivered to the hook set with <see cref="Threads.SetTrace"/>.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="ThreadName">The name of the thread it happened on (null for an unnamed thread).</param>
/// <param name="ManagedThreadId">The managed id of that thread.</param>
/// <param name="Task">The future of the task concerned, for task and callback events; otherwise null.</param>
/// <param name="Timestamp">When it happened (UTC).</param>
/// <param name="Exception">The exception, for failure events; otherwise null.</param>
/// <remarks>Python: the events of <c>threading.settrace</c> / <c>sys.settrace</c>, at thread and task level rather than per line.</remarks>
public sealed record TraceEvent(TraceEventKind Kind, string? ThreadName, int ManagedThreadId, Future? Task, DateTimeOffset Timestamp, Exception? Exception);
