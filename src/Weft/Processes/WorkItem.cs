namespace Weft.Processes;

/// <summary>Parent side: one submitted call, with its arguments already serialized (at Submit, on the caller's thread).</summary>
internal abstract class WorkItem(Future future, TaskFunction function, byte[] arguments)
{
    public long Id { get; set; }

    public Future Future { get; } = future;

    public TaskFunction Function { get; } = function;

    /// <summary>The serialized arguments; dropped once written to a worker, so a 10 MB argument is not kept twice.</summary>
    public byte[] Arguments { get; set; } = arguments;

    /// <summary>Completes the future with a result read as the declared type. Runs user callbacks: call without locks.</summary>
    public abstract void Complete(ReadOnlySpan<byte> result);
}

/// <summary>A call whose future is a <see cref="Future{T}"/>.</summary>
internal sealed class WorkItem<T>(Future<T> future, TaskFunction function, byte[] arguments) : WorkItem(future, function, arguments)
{
    public override void Complete(ReadOnlySpan<byte> result)
    {
        T value;
        try
        {
            value = Wire.Deserialize<T>(result);
        }
#pragma warning disable CA1031 // An unreadable result fails its own future, not the pool.
        catch (Exception e)
#pragma warning restore CA1031
        {
            future.TrySetException(new InvalidDataException(
                $"The result of {Function.DisplayName} cannot be read as {typeof(T).Name}: {e.Message}", e));
            return;
        }

        future.TrySetResult(value);
    }
}
