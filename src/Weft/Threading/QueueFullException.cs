namespace Weft.Threading;

/// <summary>Thrown by <see cref="JoinableQueue{T}.Put"/> when no slot freed up before the timeout.</summary>
/// <remarks>Python: <c>queue.Full</c>.</remarks>
public class QueueFullException : Exception
{
    /// <summary>Initializes a new instance with a default message.</summary>
    public QueueFullException()
        : base("The queue is full.")
    {
    }

    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">What happened.</param>
    public QueueFullException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and the exception behind it.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public QueueFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
