namespace Weft.Processes;

/// <summary>What the dispatcher does beyond CPython's rules, from <see cref="ProcessPoolOptions"/>.</summary>
/// <param name="FailTaskOnCrash">A dead worker fails only the call it ran (and its others go to a new worker)
/// instead of breaking the pool.</param>
/// <param name="TaskTimeout">A call running longer is ended with its worker.</param>
/// <param name="MaxWorkerMemoryBytes">A worker whose resident memory passes it after a call is retired.</param>
internal sealed record PoolPolicy(bool FailTaskOnCrash, TimeSpan? TaskTimeout, long? MaxWorkerMemoryBytes)
{
    public static readonly PoolPolicy CPython = new(false, null, null);

    /// <summary>The policy of <paramref name="options"/>, checked.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static PoolPolicy From(ProcessPoolOptions options)
    {
        if (options.TaskTimeout is { } timeout && (timeout <= TimeSpan.Zero || timeout.TotalMilliseconds > int.MaxValue))
        {
            throw new ArgumentOutOfRangeException(nameof(options), timeout, "TaskTimeout must be above zero and at most int.MaxValue milliseconds.");
        }

        if (options.MaxWorkerMemoryBytes is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxWorkerMemoryBytes, "MaxWorkerMemoryBytes must be above zero.");
        }

        if (!Enum.IsDefined(options.OnWorkerCrash))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.OnWorkerCrash, "OnWorkerCrash is not a WorkerCrashPolicy.");
        }

        return new(options.OnWorkerCrash == WorkerCrashPolicy.FailTask, options.TaskTimeout, options.MaxWorkerMemoryBytes);
    }
}
