namespace Weft;

/// <summary>A <see cref="ThreadPoolExecutor"/> whose worker initializer failed. Python: <c>concurrent.futures.thread.BrokenThreadPool</c>.</summary>
public sealed class BrokenThreadPoolException : BrokenExecutorException
{
    /// <summary>Initializes a new instance with a default message.</summary>
    public BrokenThreadPoolException()
        : base("The executor is broken and cannot run tasks.")
    {
    }

    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">What broke.</param>
    public BrokenThreadPoolException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and the failure that broke the executor.</summary>
    /// <param name="message">What broke.</param>
    /// <param name="innerException">The failure behind it, such as the initializer's exception.</param>
    public BrokenThreadPoolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
