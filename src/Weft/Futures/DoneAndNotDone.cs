namespace Weft;

/// <summary>What <see cref="Futures.Wait{TFuture}(IEnumerable{TFuture}, TimeSpan?, ReturnWhen, CancellationToken)"/> returns: the futures that were done and those that were not.</summary>
/// <typeparam name="TFuture">The future type.</typeparam>
/// <param name="Done">Futures finished or cancelled when the wait returned.</param>
/// <param name="NotDone">The others.</param>
/// <remarks>Python: the <c>DoneAndNotDoneFutures(done, not_done)</c> named tuple. Both sets compare futures by reference.</remarks>
public sealed record DoneAndNotDone<TFuture>(IReadOnlySet<TFuture> Done, IReadOnlySet<TFuture> NotDone)
    where TFuture : Future;
