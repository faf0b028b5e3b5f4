namespace Weft.Threading;

/// <summary>Thrown by <see cref="JoinableQueue{T}.Get"/> when no item arrived before the timeout.</summary>
/// <remarks>Python: <c>queue.Empty</c>.</remarks>
public class QueueEmptyException : Exception
{
    /// <summary>Initializes a new instance with a default message.</summary>
    public QueueEmptyException()
        : base("The queue is empty.")
    {
    }

    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">What happened.</param>
    public QueueEmptyException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and the exception behind it.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public QueueEmptyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
