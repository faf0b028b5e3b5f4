using Microsoft.Extensions.Logging;
using Weft.Orleans.Wire;

namespace Weft.Orleans.Workers;

/// <summary>
/// Runs a silo's tasks in worker processes (<see cref="WeftWorkerOptions.IsolateTasks"/>), through
/// <see cref="ProcessPoolExecutor"/>'s public API: a stack overflow, <c>Environment.FailFast</c> or an out-of-memory
/// crash ends a worker process, and the silo goes on. A dead worker comes back to the executor as a "killed" reply
/// (with how many workers the task has killed so far), never as a dead silo.
/// </summary>
/// <remarks>The silo checks each call (allow-list, assembly, build) before a worker process sees it; the worker then
/// binds it as the process pool binds its own functions. The pool runs under WorkerCrashPolicy.FailTask: a dead worker
/// fails only its own task and is replaced; a pool broken otherwise (a worker that cannot start) is replaced whole.
/// Lock order: <c>_lock</c> only, never held while waiting for a task.</remarks>
internal sealed partial class IsolatedRunner(int workers, ILogger logger) : IDisposable
{
    /// <summary>A crash fails only the task that caused it, so a silo's other isolated tasks are not counted as
    /// killers (CPython's BreakPool would fail every task running in the pool at that moment).</summary>
    private static readonly ProcessPoolOptions CrashFailsTheTaskOnly = new() { OnWorkerCrash = WorkerCrashPolicy.FailTask };

    private readonly Lock _lock = new();
    private ProcessPoolExecutor? _pool;
    private bool _disposed;

    /// <summary>Runs one checked call in a worker process and returns its reply, naming <paramref name="silo"/>.</summary>
    public byte[] Run(TaskMessage message, string silo, AllowList allowed, CancellationToken cancellationToken)
    {
        if (ClusterWire.Check(message.Function, allowed) is { } refusal)
        {
            return ClusterWire.ErrorReply(silo, refusal);
        }

        var pool = Pool();
        Future<byte[]> future;
        try
        {
            future = pool.Submit(RunInWorker, message.Function, message.Arguments);
        }
        catch (Exception e) when (e is InvalidOperationException or BrokenExecutorException)
        {
            Replace(pool);   // broken by another task's crash since Pool() returned it: use the next one
            future = Pool().Submit(RunInWorker, message.Function, message.Arguments);
        }

        try
        {
            return ClusterWire.WithSilo(future.Result(cancellationToken: CancellationToken.None), silo);
        }
        catch (WorkerCrashedException e)
        {
            // FailTask: only this task's worker died; the pool replaced it and every other task goes on.
            var killed = message.KilledWorkers + 1;
            LogWorkerDied(message.Id, killed, e.Message);
            return ClusterWire.KilledReply(silo, killed, e.Message);
        }
        catch (BrokenProcessPoolException e)
        {
            Replace(pool);
            var killed = message.KilledWorkers + 1;
            LogWorkerDied(message.Id, killed, e.InnerException?.Message ?? e.Message);
            return ClusterWire.KilledReply(silo, killed, e.InnerException?.Message ?? e.Message);
        }
    }

    public void Dispose()
    {
        ProcessPoolExecutor? pool;
        lock (_lock)
        {
            _disposed = true;
            pool = _pool;
            _pool = null;
        }

        pool?.Shutdown(wait: false, cancelFutures: true);
    }

    /// <summary>What the worker process runs: the checked call, by its bytes.</summary>
    private static byte[] RunInWorker(byte[] function, byte[] arguments) => ClusterWire.RunChecked(function, arguments);

    private ProcessPoolExecutor Pool()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _pool ??= new ProcessPoolExecutor(workers, options: CrashFailsTheTaskOnly);
        }
    }

    /// <summary>Drops <paramref name="broken"/> (if it is still the current pool), so the next task starts a new one.</summary>
    private void Replace(ProcessPoolExecutor broken)
    {
        lock (_lock)
        {
            if (ReferenceEquals(_pool, broken))
            {
                _pool = null;
            }
        }

        broken.Shutdown(wait: false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The worker process running task {Id} died (it has killed {Killed} so far): {Reason}")]
    private partial void LogWorkerDied(long id, int killed, string reason);
}
