namespace Weft.Download;

/// <summary>
/// The URLs of a run that are not on a worker: per host, those ready to start and those waiting for a
/// retry back-off. <see cref="TryTake"/> hands out only a URL that can start now (its host below
/// <c>--per-host</c>, its back-off over), so a worker never sits waiting for one host while another
/// host has work.
/// </summary>
/// <remarks>Not thread-safe: the run's dispatch loop is its only user. Among the hosts with a free
/// slot, a due retry goes first (it finishes a started file), then the URL earliest in the list.</remarks>
internal sealed class HostSchedule(int? perHost)
{
    private readonly Dictionary<string, Host> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Host> _order = [];

    /// <summary>Gets the URLs not yet handed out (ready or waiting).</summary>
    public int Count { get; private set; }

    /// <summary>Adds a URL that has not started, behind the others of its host.</summary>
    public void Add(Transfer transfer)
    {
        HostOf(transfer).Ready.Enqueue(transfer);
        Count++;
    }

    /// <summary>Puts <paramref name="transfer"/> back to wait until <paramref name="due"/> (a retry).</summary>
    public void Delay(Transfer transfer, DateTimeOffset due)
    {
        HostOf(transfer).Waiting.Enqueue(transfer, due);
        Count++;
    }

    /// <summary>Holds every URL of <paramref name="transfer"/>'s host until <paramref name="until"/>: the host
    /// answered 429 or 503 (back-pressure), so its other URLs wait too, not only the one that was told.</summary>
    public void PauseHost(Transfer transfer, DateTimeOffset until)
    {
        var host = HostOf(transfer);
        host.PausedUntil = host.PausedUntil > until ? host.PausedUntil : until;
    }

    /// <summary>Takes a URL that can start at <paramref name="now"/> and counts it against its host.</summary>
    public bool TryTake(DateTimeOffset now, out Transfer transfer)
    {
        Host? best = null;
        var bestIsRetry = false;
        foreach (var host in _order)
        {
            if ((perHost is { } limit && host.Active >= limit) || host.PausedUntil > now)
            {
                continue;
            }

            if (host.Waiting.TryPeek(out var retry, out var due) && due <= now)
            {
                if (!bestIsRetry || retry.Order < best!.Waiting.Peek().Order)
                {
                    (best, bestIsRetry) = (host, true);
                }
            }
            else if (!bestIsRetry && host.Ready.TryPeek(out var next) && (best is null || next.Order < best.Ready.Peek().Order))
            {
                best = host;
            }
        }

        if (best is null)
        {
            transfer = null!;
            return false;
        }

        transfer = bestIsRetry ? best.Waiting.Dequeue() : best.Ready.Dequeue();
        best.Active++;
        Count--;
        return true;
    }

    /// <summary>Gives the host's slot back when an attempt of <paramref name="transfer"/> ends.</summary>
    public void Release(Transfer transfer) => HostOf(transfer).Active--;

    /// <summary>The earliest time after <paramref name="now"/> a URL becomes startable (a retry falls due, a
    /// host's back-off ends), if any; a host at its <c>--per-host</c> limit is left out (its
    /// <see cref="Release"/> wakes the dispatcher), so the dispatcher never spins on a time already past.</summary>
    public DateTimeOffset? NextDue(DateTimeOffset now)
    {
        DateTimeOffset? next = null;
        foreach (var host in _order)
        {
            if (perHost is { } limit && host.Active >= limit)
            {
                continue;
            }

            DateTimeOffset? at = host.Ready.Count > 0 ? now : host.Waiting.TryPeek(out _, out var due) ? due : null;
            if (at is not { } when)
            {
                continue;
            }

            when = host.PausedUntil > when ? host.PausedUntil : when;
            if (when > now && (next is null || when < next))
            {
                next = when;
            }
        }

        return next;
    }

    /// <summary>Removes and returns every URL not handed out, in list order (a stopped run reports them).</summary>
    public IReadOnlyList<Transfer> TakeAll()
    {
        var all = new List<Transfer>(Count);
        foreach (var host in _order)
        {
            all.AddRange(host.Ready);
            host.Ready.Clear();
            while (host.Waiting.TryDequeue(out var transfer, out _))
            {
                all.Add(transfer);
            }
        }

        Count = 0;
        all.Sort((a, b) => a.Order.CompareTo(b.Order));
        return all;
    }

    private Host HostOf(Transfer transfer)
    {
        if (!_hosts.TryGetValue(transfer.Host, out var host))
        {
            host = new Host();
            _hosts.Add(transfer.Host, host);
            _order.Add(host);
        }

        return host;
    }

    private sealed class Host
    {
        public Queue<Transfer> Ready { get; } = new();

        public PriorityQueue<Transfer, DateTimeOffset> Waiting { get; } = new();

        public int Active { get; set; }

        /// <summary>Gets or sets when the host's back-off (429/503) ends; <c>default</c> when it never had one.</summary>
        public DateTimeOffset PausedUntil { get; set; }
    }
}
