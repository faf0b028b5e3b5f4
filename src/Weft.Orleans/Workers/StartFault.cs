namespace Weft.Orleans.Workers;

/// <summary>A fault injected into <see cref="IWeftWorker.Start"/> by tests (see
/// <see cref="WeftWorkerOptions.StartFaults"/>): what a gateway that dies with a message on it does to the call.</summary>
internal enum StartFault
{
    /// <summary>The task is taken and acknowledged.</summary>
    None,

    /// <summary>The message never arrives: the task is not taken, and the call is never answered.</summary>
    LoseMessage,

    /// <summary>The task is taken and runs, but its acknowledgement never arrives.</summary>
    LoseAcknowledgement,

    /// <summary>The message arrives late: when the test ends the faults, by when the task has been sent again.</summary>
    DelayMessage,
}
