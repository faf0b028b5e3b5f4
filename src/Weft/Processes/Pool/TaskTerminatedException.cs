namespace Weft;

/// <summary>The task was ended by <see cref="ProcessPoolExecutor.Terminate"/>, which ended its worker process.</summary>
/// <remarks>Python: Pebble's <c>future.cancel()</c> on a running task, which terminates its worker.</remarks>
public sealed class TaskTerminatedException : Exception
{
    /// <summary>Initializes a new instance with a default message.</summary>
    public TaskTerminatedException()
        : this("The task was terminated: its worker process was ended.")
    {
    }

    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">What happened.</param>
    public TaskTerminatedException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and a cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause, if any.</param>
    public TaskTerminatedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
