using Orleans.Runtime;
using Weft.Orleans.Workers;

namespace Weft.Orleans.Silos;

/// <summary>
/// The active silos and the calls in flight on each: picks the least busy silo for the next call, so a map
/// reaches every silo (a stateless worker called from inside a silo would otherwise stay local, and calls from a
/// client would follow the gateway that the grain key hashes to).
/// </summary>
/// <remarks>Each silo gets its own grain key, the silo's address, and every call carries Orleans' placement hint
/// naming that silo, so the stateless worker activation for the key is made there. Used under the executor's
/// lock; the refresh itself (<see cref="DiscoverAsync"/>) runs without it.</remarks>
internal sealed class SiloTable(TimeProvider time)
{
    /// <summary>How long a silo that lost a call is passed over (while another silo is available): long enough
    /// for membership to declare a dead silo dead, after which the refresh drops it.</summary>
    private static readonly TimeSpan s_suspectFor = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, long> _suspectSince = [];
    /// <summary>The key used when no silo is known: the call is placed by Orleans alone.</summary>
    private static readonly WorkerSilo s_anywhere = new(null, "anywhere", 1);

    private List<WorkerSilo> _silos = [];
    private int _next;

    /// <summary>How many silos are in the table.</summary>
    public int Count => _silos.Count;

    /// <summary>Every silo's capacity added up (what the cluster offers).</summary>
    public int TotalCapacity => _silos.Sum(s => s.Capacity);

    /// <summary>Picks the silo with the fewest calls in flight relative to its capacity: first among silos that
    /// neither failed this task (<paramref name="avoid"/>) nor lost a call lately, then among those that did not
    /// lose a call lately, then among all.</summary>
    public WorkerSilo Pick(IReadOnlyCollection<string>? avoid)
    {
        if (_silos.Count == 0)
        {
            return s_anywhere;
        }

        _next = (_next + 1) % _silos.Count;
        return Least(s => !IsSuspect(s.Key) && (avoid is null || !avoid.Contains(s.Key)))
            ?? Least(s => !IsSuspect(s.Key))
            ?? Least(static _ => true)!;
    }

    /// <summary>Passes over a silo that lost a call, for a while (see <see cref="s_suspectFor"/>).</summary>
    public void Suspect(string key) => _suspectSince[key] = time.GetTimestamp();

    /// <summary>Drops a silo that Orleans reported unavailable until the next refresh lists it again.</summary>
    public void Remove(string key) => _silos = [.. _silos.Where(s => s.Key != key)];

    private bool IsSuspect(string key)
    {
        if (!_suspectSince.TryGetValue(key, out var since))
        {
            return false;
        }

        if (time.GetElapsedTime(since) < s_suspectFor)
        {
            return true;
        }

        _suspectSince.Remove(key);
        return false;
    }

    /// <summary>The least busy silo that passes <paramref name="eligible"/>, starting the scan at a rotating
    /// position so that ties are shared out.</summary>
    private WorkerSilo? Least(Func<WorkerSilo, bool> eligible)
    {
        WorkerSilo? best = null;
        var count = _silos.Count;
        for (var i = 0; i < count; i++)
        {
            var silo = _silos[(_next + i) % count];
            if (eligible(silo) && (best is null || (long)silo.InFlight * best.Capacity < (long)best.InFlight * silo.Capacity))
            {
                best = silo;
            }
        }

        return best;
    }

    /// <summary>Replaces the table with a fresh list, keeping the in-flight counts of silos still present.</summary>
    public void Replace(IReadOnlyList<WorkerSilo> fresh)
    {
        var known = _silos.ToDictionary(s => s.Key);
        _silos = [.. fresh.Select(s => known.TryGetValue(s.Key, out var old) ? old : s)];
    }

    /// <summary>The silos now in the table, by key (to spare known silos a capacity probe).</summary>
    public Dictionary<string, WorkerSilo> Snapshot() => _silos.ToDictionary(s => s.Key);

    /// <summary>Asks the cluster for its active silos, and each new silo for its capacity (silos that do not
    /// answer are left out). Runs outside any grain's scheduler.</summary>
    public static async Task<List<WorkerSilo>> DiscoverAsync(IGrainFactory grains, Dictionary<string, WorkerSilo> known, CancellationToken cancellationToken)
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(cancellationToken).ConfigureAwait(false);
        var probes = hosts.Keys.Select(async address =>
        {
            var key = address.ToString();
            if (known.TryGetValue(key, out var silo))
            {
                return silo;
            }

            try
            {
                var capacity = await new WorkerSilo(address, key, 1).Call(grains, static w => w.Capacity()).WaitAsync(cancellationToken).ConfigureAwait(false);
                return new WorkerSilo(address, key, capacity);
            }
#pragma warning disable CA1031 // A silo without Weft's workers (or one that is going away) is simply not used.
            catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
            {
                return null;
            }
        });
        var silos = await Task.WhenAll(probes).ConfigureAwait(false);
        return [.. silos.OfType<WorkerSilo>().OrderBy(s => s.Key, StringComparer.Ordinal)];
    }
}

/// <summary>One silo: its address (the placement hint), its grain key and capacity, and the calls in flight on it.</summary>
internal sealed record WorkerSilo(SiloAddress? Address, string Key, int Capacity)
{
    /// <summary>The silo's <c>host:port</c>, as Orleans' messages print it.</summary>
    public string Endpoint => Address is null ? Key : $"{Address.Endpoint}";

    /// <summary>Calls sent to this silo and not yet answered (under the executor's lock).</summary>
    public int InFlight { get; set; }

    /// <summary>Calls the silo's worker grain, placed on this silo. A resend (<paramref name="attempt"/> above 1)
    /// uses another key for the same silo: a client picks its gateway by the key's hash, so a call lost on a dead
    /// gateway is not sent through it again.</summary>
    public async Task<T> Call<T>(IGrainFactory grains, Func<IWeftWorker, Task<T>> call, int attempt = 1)
    {
        // The placement hint is read when the call is addressed; this async method's own copy of the request
        // context keeps it from leaking into the caller's later calls.
        if (Address is not null)
        {
            RequestContext.Set(global::Orleans.Runtime.Placement.IPlacementDirector.PlacementHintKey, Address);
        }

        var key = attempt <= 1 ? Key : $"{Key}#{attempt}";
        return await call(grains.GetGrain<IWeftWorker>(key)).ConfigureAwait(false);
    }
}
