namespace Weft.Orleans.Workers;

/// <summary>One silo's run slots (at most <see cref="Count"/> tasks run at once here) and the cancellation
/// sources of the calls running now, by the executor that sent them.</summary>
internal sealed class LocalWorkers(int count, string siloName) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, HashSet<CancellationTokenSource>> _running = [];

    public int Count { get; } = count;

    public string SiloName { get; } = siloName;

    public SemaphoreSlim Slots { get; } = new(count, count);

    /// <summary>Registers a call; its token fires on <paramref name="orleansToken"/> or <see cref="Cancel"/>.
    /// Dispose the result when the call ends.</summary>
    public RunningCall Register(string caller, bool cancelled, CancellationToken orleansToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(orleansToken);
        if (cancelled)
        {
            source.Cancel();
        }

        lock (_lock)
        {
            if (!_running.TryGetValue(caller, out var set))
            {
                _running[caller] = set = [];
            }

            set.Add(source);
        }

        return new RunningCall(this, caller, source);
    }

    /// <summary>Fires the token of every call of <paramref name="caller"/> running here.</summary>
    public void Cancel(string caller)
    {
        CancellationTokenSource[] sources;
        lock (_lock)
        {
            sources = _running.TryGetValue(caller, out var set) ? [.. set] : [];
        }

        foreach (var source in sources)
        {
            try
            {
                source.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The call ended meanwhile.
            }
        }
    }

    public void Dispose() => Slots.Dispose();

    private void Unregister(string caller, CancellationTokenSource source)
    {
        lock (_lock)
        {
            if (_running.TryGetValue(caller, out var set) && set.Remove(source) && set.Count == 0)
            {
                _running.Remove(caller);
            }
        }
    }

    /// <summary>A call running on this silo: its token, and its removal from the table when disposed.</summary>
    internal sealed class RunningCall(LocalWorkers owner, string caller, CancellationTokenSource source) : IDisposable
    {
        public CancellationToken Token => source.Token;

        public void Dispose()
        {
            owner.Unregister(caller, source);
            source.Dispose();
        }
    }
}
