namespace Weft.Processes;

/// <summary>What the dispatcher does beyond CPython's rules, from the pool's options.</summary>
/// <param name="FailTaskOnCrash">A dead worker fails only the call it ran (and its others go to a new worker)
/// instead of breaking the pool.</param>
/// <param name="TaskTimeout">A call running longer is ended with its worker.</param>
/// <param name="MaxWorkerMemoryBytes">A worker whose resident memory passes it after a call is retired.</param>
internal sealed record PoolPolicy(bool FailTaskOnCrash, TimeSpan? TaskTimeout, long? MaxWorkerMemoryBytes)
{
    public static readonly PoolPolicy CPython = new(false, null, null);
}
