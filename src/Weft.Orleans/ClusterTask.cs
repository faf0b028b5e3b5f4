using Weft.Orleans.Wire;

namespace Weft.Orleans;

/// <summary>One submitted call: its future, the function and its serialized arguments, and the silos it failed on.</summary>
/// <remarks>Invariant: a task is in the executor's queue or in its in-flight table, never both; its future is
/// marked running when it is first sent and stays running across resends.</remarks>
internal abstract class ClusterTask(Future future, FunctionRef function, byte[] arguments)
{
    public Future Future { get; } = future;

    public FunctionRef Function { get; } = function;

    public byte[] Arguments { get; } = arguments;

    /// <summary>How often the task was sent (0 before the first send).</summary>
    public int Attempts { get; set; }

    /// <summary>Sends that Orleans refused before the message left (no connection): the task cannot have run,
    /// so these do not use up a retry, up to a bound of their own.</summary>
    public int Undelivered { get; set; }

    /// <summary>Keys of silos this task failed on (died or did not answer), avoided for its resends.</summary>
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
