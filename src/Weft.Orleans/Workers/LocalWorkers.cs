using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Weft.Orleans.Wire;

namespace Weft.Orleans.Workers;

/// <summary>
/// One silo's workers: the tasks it holds for each executor (queued or running, by task id), <see cref="Count"/>
/// worker threads of its own that run them, and the push of each reply to its executor.
/// </summary>
/// <remarks>
/// <para>User code runs on these threads, never on Orleans' scheduler or the silo's thread pool, so a busy silo still
/// answers heartbeats at once. With <see cref="WeftWorkerOptions.IsolateTasks"/> a thread only waits for a worker
/// process (<see cref="IsolatedRunner"/>).</para>
/// <para>An executor's tasks are cancelled when it has not been heard from for the time its messages ask
/// (<see cref="TaskMessage.OrphanAfter"/>): a dead client leaves no orphans running.</para>
/// <para>Lock order: <c>_lock</c> only; tokens are fired, and replies pushed, with it released.</para>
/// </remarks>
internal sealed partial class LocalWorkers : IDisposable
{
    [ThreadStatic]
    private static string? t_silo;

    private readonly Lock _lock = new();
    private readonly Dictionary<(string Executor, long Id), HeldTask> _held = [];
    private readonly Dictionary<string, long> _lastHeard = [];
    private readonly BlockingCollection<HeldTask> _ready = [];
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly AllowList _allowed;
    private readonly ITimer _sweep;
    private readonly IsolatedRunner? _isolated;
    private readonly Func<TaskMessage, StartFault>? _startFaults;
    private readonly Task _startFaultsEnd;
    private readonly Func<Task?>? _outage;

    public LocalWorkers(WeftWorkerOptions options, string siloName, ILogger<LocalWorkers> logger, TimeProvider time)
    {
        Count = options.MaxLocalWorkers ?? Environment.ProcessorCount;
        SiloName = siloName;
        _logger = logger;
        _time = time;
        _allowed = options.ToAllowList();
        _startFaults = options.StartFaults;
        _startFaultsEnd = options.StartFaultsEnd;
        _outage = options.Outage;
        _isolated = options.IsolateTasks ? new IsolatedRunner(Count, logger) : null;
        if (_allowed.IsEmpty)
        {
            LogNothingAllowed(siloName);
        }

        for (var i = 0; i < Count; i++)
        {
            // UnsafeStart: the threads must not inherit the request context (placement hint) or activity of
            // whatever first resolved this service.
            new Thread(Work) { IsBackground = true, Name = $"Weft silo worker {i}" }.UnsafeStart();
        }

        _sweep = time.CreateTimer(static state => ((LocalWorkers)state!).CancelOrphans(), this, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>The silo running the calling task, on a worker thread (for tests and diagnostics).</summary>
    internal static string? CurrentSilo => t_silo;

    /// <summary>How many tasks run here at once.</summary>
    public int Count { get; }

    public string SiloName { get; }

    /// <summary>Takes a task (see <see cref="IWeftWorker.Start"/>), unless a test injects a fault.</summary>
    public Task<Ack> StartAsync(TaskMessage message)
    {
        if (_outage?.Invoke() is { } outage)
        {
            return UnansweredAsync<Ack>(outage);
        }

        var fault = _startFaults?.Invoke(message) ?? StartFault.None;
        switch (fault)
        {
            case StartFault.LoseMessage:
                return AnswerLateAsync(null);
            case StartFault.DelayMessage:
                return ArriveLateAsync(message);
        }

        var ack = Start(message);
        return fault == StartFault.LoseAcknowledgement ? AnswerLateAsync(ack) : Task.FromResult(ack);
    }

    /// <summary>Renews the executor's lease and lists its tasks (see <see cref="Heartbeat"/>), unless a test's
    /// outage keeps it from arriving.</summary>
    public Task<Beat> HeartbeatAsync(string executor) =>
        _outage?.Invoke() is { } outage ? UnansweredAsync<Beat>(outage) : Task.FromResult(Heartbeat(executor));

    private static async Task<T> UnansweredAsync<T>(Task outageEnd)
    {
        await outageEnd.ConfigureAwait(false);
        throw new TimeoutException("a test's network outage lost this call");
    }

    private async Task<Ack> ArriveLateAsync(TaskMessage message)
    {
        await _startFaultsEnd.ConfigureAwait(false);
        return Start(message);
    }

    /// <summary>A lost start's answer, once the test ends the faults: the acknowledgement arrives late, or the call
    /// fails (its message was lost, so nothing was taken).</summary>
    private async Task<Ack> AnswerLateAsync(Ack? ack)
    {
        await _startFaultsEnd.ConfigureAwait(false);
        return ack ?? throw new TimeoutException("a test lost this task's message");
    }

    public Ack Start(TaskMessage message)
    {
        var held = new HeldTask(message);
        lock (_lock)
        {
            _lastHeard[message.Executor] = _time.GetTimestamp();
            if (!_held.TryAdd((message.Executor, message.Id), held))
            {
                held.Dispose();
                return new Ack(SiloName, Accepted: true);   // a resend of a task that is here already
            }
        }

        if (message.Cancelled)
        {
            held.Cancel();
        }

        _ready.Add(held);
        return new Ack(SiloName, Accepted: true);
    }

    /// <summary>Renews the executor's lease here and lists its tasks held here.</summary>
    public Beat Heartbeat(string executor)
    {
        lock (_lock)
        {
            _lastHeard[executor] = _time.GetTimestamp();
            return new Beat(SiloName, [.. _held.Keys.Where(k => k.Executor == executor).Select(k => k.Id)]);
        }
    }

    /// <summary>Fires the tokens of the executor's tasks <paramref name="ids"/> (all of them when empty).</summary>
    public void Cancel(string executor, long[] ids)
    {
        HeldTask[] targets;
        lock (_lock)
        {
            targets = ids.Length == 0
                ? [.. _held.Where(p => p.Key.Executor == executor).Select(p => p.Value)]
                : [.. ids.Select(id => _held.GetValueOrDefault((executor, id))).OfType<HeldTask>()];
        }

        foreach (var held in targets)
        {
            held.Cancel();
        }
    }

    public void Dispose()
    {
        _sweep.Dispose();
        _ready.CompleteAdding();
        _isolated?.Dispose();
    }

    private void Work()
    {
        foreach (var held in _ready.GetConsumingEnumerable())
        {
            // A cancelled task still runs (its token already fired), as a running task does on the process pool:
            // the executor marked it running when it sent it.
            byte[] reply;
            t_silo = SiloName;
            using (TaskTrace.Start(held.Message))
            {
                try
                {
                    reply = Run(held.Message, held.Token);
                }
                finally
                {
                    t_silo = null;
                }
            }

            _ = PushAsync(held, reply);
        }
    }

    private byte[] Run(TaskMessage message, CancellationToken cancellationToken) =>
        _isolated is { } isolated
            ? isolated.Run(message, SiloName, _allowed, cancellationToken)
            : ClusterWire.Run(message.Function, message.Arguments, SiloName, _allowed, cancellationToken);

    /// <summary>Pushes a reply to its executor (three tries, a second apart), then forgets the task. A reply that
    /// cannot be delivered is dropped: the executor notices the task missing from heartbeats and sends it again.</summary>
    private async Task PushAsync(HeldTask held, byte[] reply)
    {
        var message = held.Message;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await message.Results.Done(message.Id, reply).ConfigureAwait(false);
                    return;
                }
#pragma warning disable CA1031 // The executor may be gone; what matters is not to lose the worker thread.
                catch (Exception e) when (attempt < 3)
#pragma warning restore CA1031
                {
                    LogPushRetry(message.Id, message.Executor, e.GetType().Name);
                    await Task.Delay(TimeSpan.FromSeconds(1), _time).ConfigureAwait(false);
                }
            }
        }
#pragma warning disable CA1031
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogPushFailed(message.Id, message.Executor, e);
        }
        finally
        {
            lock (_lock)
            {
                _held.Remove((message.Executor, message.Id));
            }

            held.Dispose();
        }
    }

    /// <summary>Fires the tokens of tasks whose executor has not been heard from for their
    /// <see cref="TaskMessage.OrphanAfter"/>, and forgets executors that hold nothing here.</summary>
    private void CancelOrphans()
    {
        List<HeldTask> orphans = [];
        lock (_lock)
        {
            foreach (var ((executor, _), held) in _held)
            {
                if (!held.Token.IsCancellationRequested && held.Message.OrphanAfter > TimeSpan.Zero
                    && _lastHeard.TryGetValue(executor, out var heard) && _time.GetElapsedTime(heard) > held.Message.OrphanAfter)
                {
                    orphans.Add(held);
                }
            }

            foreach (var executor in _lastHeard.Keys.Where(e => !_held.Keys.Any(k => k.Executor == e)).ToList())
            {
                if (_time.GetElapsedTime(_lastHeard[executor]) > TimeSpan.FromMinutes(5))
                {
                    _lastHeard.Remove(executor);
                }
            }
        }

        foreach (var orphan in orphans)
        {
            LogOrphan(orphan.Message.Id, orphan.Message.Executor);
            orphan.Cancel();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Weft's workers on silo {Silo} allow no function: every task will be refused. Call AddWeftWorkers(o => o.Allow(typeof(MyFunctions))).")]
    private partial void LogNothingAllowed(string silo);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The reply of task {Id} could not be pushed to executor {Executor} ({Error}); trying again.")]
    private partial void LogPushRetry(long id, string executor, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The reply of task {Id} could not be pushed to executor {Executor}; dropped (the executor resends the task when it misses it).")]
    private partial void LogPushFailed(long id, string executor, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Executor {Executor} has not been heard from: its task {Id} is cancelled here.")]
    private partial void LogOrphan(long id, string executor);

    /// <summary>A task held here: its message and its token.</summary>
    private sealed class HeldTask(TaskMessage message) : IDisposable
    {
        private readonly CancellationTokenSource _source = new();

        public TaskMessage Message { get; } = message;

        public CancellationToken Token => _source.Token;

        public void Cancel()
        {
            try
            {
                _source.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // It finished meanwhile.
            }
        }

        public void Dispose() => _source.Dispose();
    }
}
