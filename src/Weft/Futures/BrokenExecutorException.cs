namespace Weft;

/// <summary>An executor that can no longer run tasks: a worker failed in a way that leaves the pool unusable. Python: <c>concurrent.futures.BrokenExecutor</c>.</summary>
public class BrokenExecutorException : InvalidOperationException
{
    /// <summary>Initializes a new instance with a default message.</summary>
    public BrokenExecutorException()
        : base("The executor is broken and cannot run tasks.")
    {
    }

    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">What broke.</param>
    public BrokenExecutorException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and the failure that broke the executor.</summary>
    /// <param name="message">What broke.</param>
    /// <param name="innerException">The failure behind it, such as the initializer's exception.</param>
    public BrokenExecutorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
