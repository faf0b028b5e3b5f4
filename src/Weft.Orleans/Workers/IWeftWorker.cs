namespace Weft.Orleans.Workers;

/// <summary>The grain that runs submitted functions in a silo. Only <c>byte[]</c> and strings cross: function,
/// arguments and reply are encoded by <see cref="Wire.ClusterWire"/>, so Orleans' serializer never sees a user type.</summary>
/// <remarks>Keyed by the silo it is meant for (see <see cref="Silos.SiloTable"/>), so a map reaches every silo.</remarks>
[Alias("Weft.IWeftWorker")]
internal interface IWeftWorker : IGrainWithStringKey
{
    /// <summary>Runs one call for the executor named <paramref name="caller"/>.</summary>
    /// <param name="function">The function, as <see cref="Wire.ClusterWire.Function"/> names it.</param>
    /// <param name="arguments">Its serialized arguments.</param>
    /// <param name="caller">The executor's id, which <see cref="CancelRunning"/> names.</param>
    /// <param name="cancelled">The executor's tasks are cancelled already: the function's token starts fired.</param>
    /// <param name="cancellationToken">Fired by Orleans when the client gives up on the call (a timeout).</param>
    /// <returns>The reply: result or exception, and the silo that ran it.</returns>
    [Alias("Run")]
    Task<byte[]> Run(byte[] function, byte[] arguments, string caller, bool cancelled, CancellationToken cancellationToken);

    /// <summary>Fires the tokens of the calls of <paramref name="caller"/> that run on this silo now
    /// (<c>Shutdown(cancelFutures: true)</c> or <c>Shutdown(wait: false)</c>); their replies still come back.</summary>
    [Alias("CancelRunning")]
    Task CancelRunning(string caller);

    /// <summary>How many calls this silo runs at once.</summary>
    [Alias("Capacity")]
    Task<int> Capacity();
}
