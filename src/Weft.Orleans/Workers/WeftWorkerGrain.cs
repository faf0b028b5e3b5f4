using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace Weft.Orleans.Workers;

/// <summary>The silo's front door for executors: a stateless worker (an activation on whichever silo the call is
/// placed on, never in the directory), reentrant, whose every method returns at once. The work and its state live
/// in the silo's <see cref="LocalWorkers"/>, which a silo has only when it called <c>AddWeftWorkers</c>.</summary>
[StatelessWorker(1)]
[Reentrant]
internal sealed class WeftWorkerGrain(IServiceProvider services, ILocalSiloDetails silo) : Grain, IWeftWorker
{
    private readonly LocalWorkers? _workers = services.GetService<LocalWorkers>();
    private readonly string _silo = silo.SiloAddress.ToString();

    /// <summary>The silo running the calling task, inside a task run by Weft's workers (for tests and diagnostics).</summary>
    internal static string? CurrentSilo => LocalWorkers.CurrentSilo;

    public Task<Ack> Start(TaskMessage message) =>
        _workers is null ? Task.FromResult(new Ack(_silo, Accepted: false)) : _workers.StartAsync(message);

    public Task<Beat> Heartbeat(string executor) =>
        _workers?.HeartbeatAsync(executor) ?? Task.FromResult(new Beat(_silo, []));

    public Task Cancel(string executor, long[] ids)
    {
        _workers?.Cancel(executor, ids);
        return Task.CompletedTask;
    }

    public Task<Probe> Probe() => Task.FromResult(new Probe(_silo, _workers?.Count ?? 0));
}
