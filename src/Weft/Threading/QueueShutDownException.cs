namespace Weft.Threading;

/// <summary>Thrown by a <see cref="JoinableQueue{T}"/> after <see cref="JoinableQueue{T}.Shutdown"/>: puts always, gets once the queue is empty.</summary>
/// <remarks>Python: <c>queue.ShutDown</c>.</remarks>
public class QueueShutDownException : InvalidOperationException
{
    /// <summary>Initializes a new instance with a default message.</summary>
    public QueueShutDownException()
        : base("The queue has been shut down.")
    {
    }

    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">What happened.</param>
    public QueueShutDownException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and the exception behind it.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public QueueShutDownException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
