namespace Weft;

/// <summary>
/// An exception thrown by a task in a worker process that could not be rebuilt as its own type in this
/// process: it carries the remote type name, message and stack trace as text.
/// </summary>
/// <remarks>Python: the <c>_RemoteTraceback</c> chained to an exception from a process pool. The type name is
/// only ever displayed, never used to instantiate anything.</remarks>
public sealed class RemoteException : Exception
{
    /// <summary>Initializes a new instance with a default message.</summary>
    public RemoteException()
        : base("A task in a worker process failed.")
    {
    }

    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">The remote exception's message.</param>
    public RemoteException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and an inner exception.</summary>
    /// <param name="message">The remote exception's message.</param>
    /// <param name="innerException">A remote inner exception, itself a <see cref="RemoteException"/>.</param>
    public RemoteException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance describing a remote exception.</summary>
    /// <param name="remoteTypeName">The full name of the exception's type in the worker.</param>
    /// <param name="message">Its message.</param>
    /// <param name="remoteStackTrace">Its stack trace in the worker, as text.</param>
    /// <param name="innerException">A remote inner exception, or null.</param>
    public RemoteException(string remoteTypeName, string message, string? remoteStackTrace, Exception? innerException = null)
        : base(message, innerException)
    {
        RemoteTypeName = remoteTypeName;
        RemoteStackTrace = remoteStackTrace;
    }

    /// <summary>Gets the full name of the exception's type in the worker process.</summary>
    /// <value>Empty when unknown.</value>
    public string RemoteTypeName { get; } = string.Empty;

    /// <summary>Gets the stack trace in the worker process, as text.</summary>
    /// <value>Null when the worker sent none.</value>
    public string? RemoteStackTrace { get; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{RemoteTypeName}: {Message} (in a worker process){Environment.NewLine}{RemoteStackTrace}";
}
