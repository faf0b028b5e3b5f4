namespace Weft;

/// <summary>
/// Something inside Weft that wants to know when a future is done (a blocked <c>Wait</c>,
/// <c>AsCompleted</c>, <c>Futures.Wait</c>, <c>AsTask</c>). Unlike a user's done-callback it is
/// trusted not to throw and must not block: it runs on the completing thread.
/// </summary>
internal interface IFutureListener
{
    /// <summary>Called exactly once, after <paramref name="future"/> reached a done state.</summary>
    void OnDone(Future future);
}
