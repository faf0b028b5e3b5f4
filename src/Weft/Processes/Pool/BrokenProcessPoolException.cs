namespace Weft;

/// <summary>A <see cref="ProcessPoolExecutor"/> whose worker process died or whose initializer failed. Python: <c>concurrent.futures.process.BrokenProcessPool</c>.</summary>
public sealed class BrokenProcessPoolException : BrokenExecutorException
{
    /// <summary>Initializes a new instance with a default message.</summary>
    public BrokenProcessPoolException()
        : base("The executor is broken and cannot run tasks.")
    {
    }

    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">What broke.</param>
    public BrokenProcessPoolException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and the failure that broke the executor.</summary>
    /// <param name="message">What broke.</param>
    /// <param name="innerException">The failure behind it, such as the initializer's exception.</param>
    public BrokenProcessPoolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance naming the exit code of the worker that died.</summary>
    /// <param name="message">What broke.</param>
    /// <param name="exitCode">The worker's exit code, or null when unknown or not a worker exit.</param>
    /// <param name="innerException">The failure behind it, or null.</param>
    internal BrokenProcessPoolException(string message, int? exitCode, Exception? innerException)
        : base(message, innerException!)
    {
        ExitCode = exitCode;
    }

    /// <summary>Gets the exit code of the worker process whose death broke the pool.</summary>
    /// <value>Null when no worker died (for example when the initializer failed) or the code is unknown.
    /// On Unix a worker killed by a signal has 128 + the signal number (137 for <c>kill -9</c>).</value>
    public int? ExitCode { get; }
}
