namespace Weft;

/// <summary>When <see cref="Futures.Wait{TFuture}(IEnumerable{TFuture}, TimeSpan?, ReturnWhen, CancellationToken)"/> returns.</summary>
/// <remarks>Python: <c>FIRST_COMPLETED</c>, <c>FIRST_EXCEPTION</c>, <c>ALL_COMPLETED</c>.</remarks>
public enum ReturnWhen
{
    /// <summary>As soon as any future finishes or is cancelled.</summary>
    FirstCompleted,

    /// <summary>As soon as any future finishes by throwing; if none throws, when all are done.</summary>
    FirstException,

    /// <summary>When every future is done (exceptions do not return early).</summary>
    AllCompleted,
}
