using Weft.Orleans.Silos;
using Weft.Orleans.Wire;

namespace Weft.Orleans;

/// <summary>One submitted call: its future, the function and its serialized arguments, and where its attempts went.</summary>
/// <remarks>Invariant: a task is in the executor's queue, in its in-flight table, or lost (backing off or queued for a
/// resend), never two of these; its future is marked running when it is first sent and stays running across
/// resends. Mutable members are used under the executor's lock.</remarks>
internal abstract class ClusterTask(Future future, FunctionRef function, byte[] arguments)
{
    public Future Future { get; } = future;

    public FunctionRef Function { get; } = function;

    public byte[] Arguments { get; } = arguments;

    /// <summary>The submitter's W3C trace context, if it was traced (see <see cref="Workers.TaskTrace"/>).</summary>
    public (string Parent, string? State)? Trace { get; set; }

    /// <summary>The task's id on the silos (0 until it is first sent); the same on every attempt.</summary>
    public long Id { get; set; }

    /// <summary>How often the task was sent (0 before the first send).</summary>
    public int Attempts { get; set; }

    /// <summary>The silo the current attempt went to.</summary>
    public WorkerSilo? Silo { get; set; }

    /// <summary>When the current attempt was sent.</summary>
    public long SentAt { get; set; }

    /// <summary>The current attempt was acknowledged, at <see cref="AckedAt"/>, or a heartbeat listed it.</summary>
    public bool Acked { get; set; }

    public long AckedAt { get; set; }

    /// <summary>Heartbeats of its silo in a row, sent after the task was, that did not list it.</summary>
    public int Misses { get; set; }

    /// <summary>A reply was accepted: later replies are duplicates, and a pending resend is dropped.</summary>
    public bool Finished { get; set; }

    /// <summary>Sends refused before the message reached a silo (no connection, silo unavailable): the task cannot
    /// have run, so these do not use up a retry, up to a bound of their own.</summary>
    public int Undelivered { get; set; }

    /// <summary>Worker processes this task has killed on isolating silos.</summary>
    public int KilledWorkers { get; set; }

    /// <summary>Keys of silos this task was lost on, avoided for its resends.</summary>
    public List<string> FailedOn { get; } = [];

    /// <summary>Completes the future with a result read as the declared type. Runs user callbacks: call without locks.</summary>
    public abstract void Complete(ClusterExecutor executor, byte[] result);
}

/// <summary>A call whose future is a <see cref="Future{T}"/>.</summary>
internal sealed class ClusterTask<T>(Future<T> future, FunctionRef function, byte[] arguments) : ClusterTask(future, function, arguments)
{
    public override void Complete(ClusterExecutor executor, byte[] result)
    {
        T value;
        try
        {
            value = ClusterWire.Deserialize<T>(result, Function.DisplayName);
        }
        catch (InvalidDataException e)
        {
            executor.Fail(this, e);
            return;
        }

        executor.Succeed(future, value);
    }
}

/// <summary>A call whose future has no result (an <see cref="Action"/>).</summary>
internal sealed class ClusterActionTask(Future future, FunctionRef function) : ClusterTask(future, function, [])
{
    public override void Complete(ClusterExecutor executor, byte[] result) => executor.Succeed(Future);
}
