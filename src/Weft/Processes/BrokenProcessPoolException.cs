namespace Weft;

/// <summary>A <c>ProcessPoolExecutor</c> whose worker process died or whose initializer failed. Python: <c>concurrent.futures.process.BrokenProcessPool</c>.</summary>
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
}
