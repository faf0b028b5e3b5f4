using Orleans.Runtime;
using Weft.Orleans.Workers;

namespace Weft.Orleans.Silos;

/// <summary>One silo with Weft's workers: its address (the placement hint), its grain key and capacity, its lease,
/// and the tasks in flight on it. Mutable fields are read and written under the executor's lock.</summary>
internal sealed class WorkerSilo(SiloAddress address, string key, int capacity, long lastHeard)
{
    public SiloAddress Address { get; } = address;

    public string Key { get; } = key;

    public int Capacity { get; } = capacity;

    /// <summary>Tasks sent to this silo and not yet answered.</summary>
    public int InFlight { get; set; }

    /// <summary>When this silo last answered a heartbeat (or was found).</summary>
    public long LastHeard { get; set; } = lastHeard;

    /// <summary>False once its lease expired, until it answers a heartbeat again.</summary>
    public bool Live { get; set; } = true;

    /// <summary>A send to it was refused (no connection, silo unavailable) since it last answered a heartbeat: it
    /// gets no task until it answers one. Such a refusal may come from the gateway a message went through rather
    /// than from the silo itself, so this is not a verdict on the silo; its lease decides that.</summary>
    public bool Shunned { get; set; }

    /// <summary>A heartbeat to it is on the way (at most one at a time).</summary>
    public bool Pinging { get; set; }

    /// <summary>Heartbeats sent, to rotate their grain keys over gateways.</summary>
    public int Beats { get; set; }

    /// <summary>Calls the silo's worker grain, placed on this silo. <paramref name="route"/> above 0 uses another key
    /// for the same silo: a client picks its gateway by the key's hash, so a resend or a heartbeat does not go
    /// through the same dead gateway every time.</summary>
    public async Task<T> Call<T>(IGrainFactory grains, Func<IWeftWorker, Task<T>> call, int route = 0)
    {
        // The placement hint is read when the call is addressed; this async method's own copy of the request
        // context keeps it from leaking into the caller's later calls. On the silo, tasks run on worker threads
        // that do not inherit it.
        RequestContext.Set(global::Orleans.Runtime.Placement.IPlacementDirector.PlacementHintKey, Address);
        var grainKey = route <= 0 ? Key : $"{Key}#{route}";
        return await call(grains.GetGrain<IWeftWorker>(grainKey)).ConfigureAwait(false);
    }
}
