using Orleans.Concurrency;
using Weft.Orleans.Wire;

namespace Weft.Orleans.Workers;

/// <summary>Runs submitted functions: a stateless worker (an activation on whichever silo the call is placed on,
/// never registered in the directory), reentrant so that one activation takes every call for its silo, with
/// <see cref="LocalWorkers"/> bounding how many run at once.</summary>
[StatelessWorker(1)]
[Reentrant]
internal sealed class WeftWorkerGrain(LocalWorkers workers) : Grain, IWeftWorker
{
    private static readonly AsyncLocal<string?> s_currentSilo = new();

    /// <summary>The silo running the calling task, inside a task run by this grain (for tests and diagnostics).</summary>
    internal static string? CurrentSilo => s_currentSilo.Value;

    public async Task<byte[]> Run(byte[] function, byte[] arguments, string caller, bool cancelled, CancellationToken cancellationToken)
    {
        using var run = workers.Register(caller, cancelled, cancellationToken);
        await workers.Slots.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
        try
        {
            s_currentSilo.Value = workers.SiloName;

            // Off Orleans' scheduler: a CPU-bound task must not hold up the silo's own turns.
            return await Task.Run(() => ClusterWire.Run(function, arguments, workers.SiloName, run.Token), CancellationToken.None)
                .ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
        }
        finally
        {
            workers.Slots.Release();
        }
    }

    public Task CancelRunning(string caller)
    {
        workers.Cancel(caller);
        return Task.CompletedTask;
    }

    public Task<int> Capacity() => Task.FromResult(workers.Count);
}
