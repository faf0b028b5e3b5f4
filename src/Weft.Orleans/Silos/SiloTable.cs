using Orleans.Runtime;
using Weft.Orleans.Workers;

namespace Weft.Orleans.Silos;

/// <summary>
/// The silos that have Weft's workers, whether each is live (its lease renewed by heartbeats), and the tasks in
/// flight on each: picks the least busy live silo for the next task, so a map reaches every silo (a stateless worker
/// called from inside a silo would otherwise stay local, and calls from a client would follow the gateway that the
/// grain key hashes to).
/// </summary>
/// <remarks>A silo is listed only when its own probe answered with a capacity (a silo without <c>AddWeftWorkers</c>
/// answers 0; a probe that Orleans placed on another silo names that one), so tasks reach only silos with Weft's
/// workers. Used under the executor's lock; discovery itself (<see cref="DiscoverAsync"/>) runs without it.</remarks>
internal sealed class SiloTable(TimeProvider time, TimeSpan suspectFor)
{
    private readonly Dictionary<string, long> _suspectSince = [];
    private List<WorkerSilo> _silos = [];
    private int _next;

    public IReadOnlyList<WorkerSilo> All => _silos;

    /// <summary>Whether any silo is live: when none is, dispatch pauses (the circuit is open).</summary>
    public bool AnyLive => _silos.Exists(s => s.Live);

    /// <summary>The live silos' capacities added up (what the cluster offers now).</summary>
    public int LiveCapacity => _silos.Where(s => s.Live).Sum(s => s.Capacity);

    public WorkerSilo? Find(string key) => _silos.Find(s => s.Key == key);

    /// <summary>Picks the live silo with the fewest tasks in flight relative to its capacity: first among silos that
    /// neither failed this task (<paramref name="avoid"/>) nor lost a task lately, then among those that did not
    /// lose one lately, then among all live ones; never a shunned one (see <see cref="WorkerSilo.Shunned"/>); null when
    /// none is left.</summary>
    public WorkerSilo? Pick(IReadOnlyCollection<string>? avoid)
    {
        if (_silos.Count == 0)
        {
            return null;
        }

        _next = (_next + 1) % _silos.Count;
        return Least(s => !IsSuspect(s.Key) && (avoid is null || !avoid.Contains(s.Key)))
            ?? Least(s => !IsSuspect(s.Key))
            ?? Least(static _ => true);
    }

    /// <summary>Passes over a silo that lost a task, for a while.</summary>
    public void Suspect(string key) => _suspectSince[key] = time.GetTimestamp();

    /// <summary>Drops a silo (it has no Weft workers after all) until a refresh finds it with some.</summary>
    public void Remove(string key) => _silos = [.. _silos.Where(s => s.Key != key)];

    /// <summary>Replaces the table with a fresh list, keeping the state of silos still present; returns the silos
    /// that left.</summary>
    public List<WorkerSilo> Replace(IReadOnlyList<WorkerSilo> fresh)
    {
        var known = _silos.ToDictionary(s => s.Key);
        _silos = [.. fresh.Select(s => known.TryGetValue(s.Key, out var old) ? old : s)];
        var present = _silos.Select(s => s.Key).ToHashSet();
        return [.. known.Values.Where(s => !present.Contains(s.Key))];
    }

    /// <summary>The silos now in the table, by key (to spare known silos a probe).</summary>
    public Dictionary<string, WorkerSilo> Snapshot() => _silos.ToDictionary(s => s.Key);

    /// <summary>Asks the cluster for its active silos, and each new one for its workers: a silo is listed when its
    /// own probe answers with a capacity above 0. Runs outside any grain's scheduler.</summary>
    public static async Task<List<WorkerSilo>> DiscoverAsync(IGrainFactory grains, Dictionary<string, WorkerSilo> known, TimeProvider time, CancellationToken cancellationToken)
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
                var probe = await new WorkerSilo(address, key, 0, 0).Call(grains, static w => w.Probe()).WaitAsync(cancellationToken).ConfigureAwait(false);
                return probe.Silo == key && probe.Capacity > 0 ? new WorkerSilo(address, key, probe.Capacity, time.GetTimestamp()) : null;
            }
#pragma warning disable CA1031 // A silo that is going away (or answers nothing) is simply not used.
            catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
            {
                return null;
            }
        });
        var silos = await Task.WhenAll(probes).ConfigureAwait(false);
        return [.. silos.OfType<WorkerSilo>().OrderBy(s => s.Key, StringComparer.Ordinal)];
    }

    private bool IsSuspect(string key)
    {
        if (!_suspectSince.TryGetValue(key, out var since))
        {
            return false;
        }

        if (time.GetElapsedTime(since) < suspectFor)
        {
            return true;
        }

        _suspectSince.Remove(key);
        return false;
    }

    /// <summary>The least busy live silo that passes <paramref name="eligible"/>, starting the scan at a rotating
    /// position so that ties are shared out.</summary>
    private WorkerSilo? Least(Func<WorkerSilo, bool> eligible)
    {
        WorkerSilo? best = null;
        var count = _silos.Count;
        for (var i = 0; i < count; i++)
        {
            var silo = _silos[(_next + i) % count];
            if (silo.Live && !silo.Shunned && eligible(silo) && (best is null || (long)silo.InFlight * best.Capacity < (long)best.InFlight * silo.Capacity))
            {
                best = silo;
            }
        }

        return best;
    }
}
