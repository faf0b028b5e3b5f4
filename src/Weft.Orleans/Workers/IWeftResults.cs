namespace Weft.Orleans.Workers;

/// <summary>An executor's observer: silos push each task's reply here when it is done, so a task's length never
/// meets Orleans' <c>ResponseTimeout</c> (only this short message and the acknowledgement do).</summary>
[Alias("Weft.IWeftResults")]
internal interface IWeftResults : IGrainObserver
{
    /// <summary>The reply of task <paramref name="id"/>, encoded by <see cref="Wire.ClusterWire.Run"/>.</summary>
    [Alias("Done")]
    Task Done(long id, byte[] reply);
}
