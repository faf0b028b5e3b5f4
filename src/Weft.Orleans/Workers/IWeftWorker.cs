namespace Weft.Orleans.Workers;

/// <summary>The grain through which executors reach a silo's workers (<see cref="LocalWorkers"/>). Every method
/// answers at once: a task is acknowledged, run on the silo's own worker threads and its reply pushed to the
/// executor's <see cref="IWeftResults"/>; liveness is the executor's heartbeat, not the length of a call.</summary>
/// <remarks>Keyed by the silo it is meant for (see <see cref="Silos.SiloTable"/>), and placed there by the hint.</remarks>
[Alias("Weft.IWeftWorker")]
internal interface IWeftWorker : IGrainWithStringKey
{
    /// <summary>Takes a task: queues it for a worker thread and acknowledges. A copy of a task this silo already
    /// holds is acknowledged and not run again.</summary>
    [Alias("Start")]
    Task<Ack> Start(TaskMessage message);

    /// <summary>The executor's lease on this silo: who answered, and which of the executor's tasks it holds.</summary>
    [Alias("Heartbeat")]
    Task<Beat> Heartbeat(string executor);

    /// <summary>Fires the tokens of the executor's tasks <paramref name="ids"/> here (all of them when empty); their
    /// replies still come back.</summary>
    [Alias("Cancel")]
    Task Cancel(string executor, long[] ids);

    /// <summary>Who answers, and how many tasks it runs at once.</summary>
    [Alias("Probe")]
    Task<Probe> Probe();
}
