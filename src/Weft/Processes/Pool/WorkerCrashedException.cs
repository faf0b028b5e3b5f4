namespace Weft;

/// <summary>A worker process died while it held a task: how, and the last words it wrote to stderr.</summary>
/// <remarks>Python: no counterpart (CPython's <c>BrokenProcessPool</c> says "terminated abruptly"). Under
/// <see cref="WorkerCrashPolicy.BreakPool"/> it is the <see cref="Exception.InnerException"/> of the
/// <see cref="BrokenProcessPoolException"/>; under <see cref="WorkerCrashPolicy.FailTask"/> the task's own exception.</remarks>
public sealed class WorkerCrashedException : Exception
{
    /// <summary>Initializes a new instance with a default message.</summary>
    public WorkerCrashedException()
        : this("A worker process died.")
    {
    }

    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">What happened.</param>
    public WorkerCrashedException(string message)
        : this(message, null)
    {
    }

    /// <summary>Initializes a new instance with a message and a cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause, if any.</param>
    public WorkerCrashedException(string message, Exception? innerException)
        : base(message, innerException)
    {
        StandardErrorTail = string.Empty;
    }

    internal WorkerCrashedException(int processId, int? exitCode, int? signal, string standardErrorTail, string description)
        : base(Describe(processId, description, standardErrorTail))
    {
        ProcessId = processId;
        ExitCode = exitCode;
        Signal = signal;
        StandardErrorTail = standardErrorTail;
    }

    /// <summary>Gets the worker's process id.</summary>
    public int ProcessId { get; }

    /// <summary>Gets its exit code, if known (on Unix, 128 + the signal for a process a signal ended).</summary>
    public int? ExitCode { get; }

    /// <summary>Gets the POSIX signal that ended it (9 for SIGKILL, 6 for an abort), if one did.</summary>
    public int? Signal { get; }

    /// <summary>Gets the last 4 KB the worker wrote to stderr (which also reached the console, as always).</summary>
    public string StandardErrorTail { get; }

    private static string Describe(int processId, string description, string tail)
    {
        var last = tail.TrimEnd().Split('\n').LastOrDefault(l => l.Trim().Length > 0)?.Trim();
        return last is null
            ? $"Worker pid {processId} died: {description}."
            : $"Worker pid {processId} died: {description}. Its last words on stderr: {last}";
    }
}
