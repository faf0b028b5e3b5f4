using System.Collections.Concurrent;

namespace Weft.Threading;

/// <summary>
/// The registry of Weft threads: start named threads, list the live ones (executor workers included),
/// trace thread and task events, and route unhandled thread exceptions to a hook.
/// </summary>
/// <remarks>
/// <para>Python: <c>threading.Thread(target, name, daemon).start()</c>, <c>threading.enumerate()</c>,
/// <c>threading.active_count()</c>, <c>threading.settrace()</c> and <c>threading.excepthook</c>.</para>
/// <para>Only threads Weft knows are listed: the main thread, threads started through <see cref="Start"/>
/// and the workers of Weft executors (a plain <see cref="Thread"/> is invisible, as a thread started by C
/// code is to Python). Thread safety: every member may be called from any thread.</para>
/// </remarks>
public static class Threads
{
    /// <summary>The CLR gives the startup thread managed id 1; Weft reports it as Python's <c>MainThread</c>.</summary>
    private const int MainThreadId = 1;

    private static readonly ConcurrentDictionary<int, (Thread Thread, bool Daemon)> s_live = new();
    private static readonly Action<ThreadExceptionInfo> s_defaultExceptHook = PrintException;
    private static Action<TraceEvent>? s_trace;
    private static Action<ThreadExceptionInfo> s_exceptHook = s_defaultExceptHook;
    private static int s_started;

    /// <summary>Gets the number of live threads <see cref="Enumerate"/> would list.</summary>
    /// <remarks>Python: <c>threading.active_count()</c>.</remarks>
    public static int ActiveCount => 1 + s_live.Count;

    /// <summary>Gets or sets the handler of exceptions that escape the target of a thread started by <see cref="Start"/>.</summary>
    /// <value>By default prints <c>Exception in thread {name}:</c> and the exception to standard error, like Python.
    /// Setting null restores that default. An exception thrown by the hook itself is printed to standard error.</value>
    /// <remarks>Python: <c>threading.excepthook</c> (and <c>threading.__excepthook__</c> for the default). The exception does not
    /// crash the process, unlike an unhandled exception on a plain .NET thread.</remarks>
    public static Action<ThreadExceptionInfo>? ExceptHook
    {
        get => Volatile.Read(ref s_exceptHook);
        set => Volatile.Write(ref s_exceptHook, value ?? s_defaultExceptHook);
    }

    /// <summary>Gets the trace hook, or null; a volatile read, so callers on hot paths can skip all work when it is null.</summary>
    internal static Action<TraceEvent>? TraceHook => Volatile.Read(ref s_trace);

    /// <summary>Starts a named thread running <paramref name="target"/>; it is listed by <see cref="Enumerate"/> until it ends.</summary>
    /// <param name="target">What the thread runs. An exception it throws goes to <see cref="ExceptHook"/>.</param>
    /// <param name="name">The thread's name; null gives Python's <c>Thread-{n} ({method})</c>.</param>
    /// <param name="daemon">true for a background thread that does not keep the process alive (Python's daemon thread).</param>
    /// <returns>The started thread (join it with <see cref="Thread.Join()"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> is null.</exception>
    /// <remarks>Python: <c>threading.Thread(target=..., name=..., daemon=...).start()</c>.</remarks>
    public static Thread Start(Action target, string? name = null, bool daemon = false)
    {
        ArgumentNullException.ThrowIfNull(target);
        var number = Interlocked.Increment(ref s_started);
        var thread = new Thread(static state =>
        {
            var (target, thread) = ((Action, Thread))state!;
            Run(target, thread);
        })
        {
            Name = name ?? $"Thread-{number} ({TargetName(target)})",
            IsBackground = daemon,
        };

        // Registered before it starts, so it is listed as soon as Start returns, as in Python.
        Register(thread, daemon);
        try
        {
            thread.Start((target, thread));
        }
        catch
        {
            Unregister(thread);
            throw;
        }

        return thread;
    }

    /// <summary>Lists the live Weft threads: the main thread first, then the others by managed id.</summary>
    /// <returns>A snapshot.</returns>
    /// <remarks>Python: <c>threading.enumerate()</c>.</remarks>
    public static IReadOnlyList<ThreadInfo> Enumerate()
    {
        // Snapshot first (ToArray is atomic), then sort the copy: sorting the live dictionary read its Count and
        // then copied it, and threads starting or ending in between made that throw.
        var live = s_live.ToArray();
        Array.Sort(live, static (a, b) => a.Key.CompareTo(b.Key));
        var list = new List<ThreadInfo>(live.Length + 1) { new("MainThread", MainThreadId, IsDaemon: false, IsAlive: true, IsMain: true) };
        foreach (var (id, entry) in live)
        {
            list.Add(new ThreadInfo(entry.Thread.Name ?? $"Thread-{id}", id, entry.Daemon, IsAlive: true, IsMain: false));
        }

        return list;
    }

    /// <summary>Sets the hook that receives thread start/finish and task start/finish/failure events of every Weft thread and executor worker.</summary>
    /// <param name="hook">The hook, or null to stop tracing. It runs on the thread the event happens on, so keep it short and thread-safe;
    /// an exception it throws is printed to standard error and does not disturb the traced thread.</param>
    /// <remarks>Python: <c>threading.settrace(func)</c>, at thread and task granularity. Unlike Python, it applies to threads already running.</remarks>
    public static void SetTrace(Action<TraceEvent>? hook) => Volatile.Write(ref s_trace, hook);

    internal static void Register(Thread thread, bool daemon) => s_live[thread.ManagedThreadId] = (thread, daemon);

    internal static void Unregister(Thread thread) => s_live.TryRemove(thread.ManagedThreadId, out _);

    /// <summary>Delivers an event to the trace hook, if one is set. Never throws.</summary>
    internal static void Emit(TraceEventKind kind, Thread thread, Future? task = null, Exception? exception = null)
    {
        var hook = TraceHook;
        if (hook is null)
        {
            return;
        }

        try
        {
            hook(new TraceEvent(kind, thread.Name, thread.ManagedThreadId, task, DateTimeOffset.UtcNow, exception));
        }
#pragma warning disable CA1031 // A faulty trace hook must not break the worker or thread it traces.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Console.Error.WriteLine($"Exception in trace hook ({kind} on {thread.Name}):");
            Console.Error.WriteLine(e);
        }
    }

    /// <summary>The method's name; for a lambda, the method that declares it (<c>&lt;Main&gt;b__0_0</c> gives <c>Main</c>).</summary>
    private static string TargetName(Action target)
    {
        var name = target.Method.Name;
        var close = name.IndexOf('>', StringComparison.Ordinal);
        return name.StartsWith('<') && close > 1 ? name[1..close] : name;
    }

    private static void Run(Action target, Thread thread)
    {
        Emit(TraceEventKind.ThreadStarted, thread);
        try
        {
            target();
        }
#pragma warning disable CA1031 // Python: an exception in a thread goes to threading.excepthook instead of ending the process.
        catch (Exception e)
#pragma warning restore CA1031
        {
            ReportUnhandled(thread, e);
        }
        finally
        {
            Emit(TraceEventKind.ThreadFinished, thread);
            Unregister(thread);
        }
    }

    private static void ReportUnhandled(Thread thread, Exception exception)
    {
        try
        {
            ExceptHook!(new ThreadExceptionInfo(thread, thread.Name, exception));
        }
#pragma warning disable CA1031 // Python prints a failing excepthook's own exception and carries on.
        catch (Exception hookError)
#pragma warning restore CA1031
        {
            Console.Error.WriteLine("Exception in Threads.ExceptHook:");
            Console.Error.WriteLine(hookError);
            PrintException(new ThreadExceptionInfo(thread, thread.Name, exception));
        }
    }

    private static void PrintException(ThreadExceptionInfo info)
    {
        Console.Error.WriteLine($"Exception in thread {info.ThreadName}:");
        Console.Error.WriteLine(info.Exception);
    }
}
