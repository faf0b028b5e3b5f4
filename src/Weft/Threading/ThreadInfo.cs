namespace Weft.Threading;

/// <summary>A snapshot of one thread known to Weft, as listed by <see cref="Threads.Enumerate"/>.</summary>
/// <param name="Name">The thread's name (<c>MainThread</c> for the main thread, <c>{prefix}_{n}</c> for pool workers).</param>
/// <param name="ManagedThreadId">The thread's <see cref="Environment.CurrentManagedThreadId"/>.</param>
/// <param name="IsDaemon">Whether the thread is a background thread that does not keep the process alive.</param>
/// <param name="IsAlive">Whether the thread was running when the snapshot was taken.</param>
/// <param name="IsMain">Whether this is the process's main thread.</param>
/// <remarks>Python: the <c>threading.Thread</c> objects of <c>threading.enumerate()</c> (<c>name</c>, <c>ident</c>, <c>daemon</c>, <c>is_alive()</c>).</remarks>
public sealed record ThreadInfo(string Name, int ManagedThreadId, bool IsDaemon, bool IsAlive, bool IsMain);
