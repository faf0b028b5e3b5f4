namespace Weft.Download;

/// <summary>A snapshot of a run, from <see cref="Downloader.GetProgress"/>.</summary>
/// <param name="Total">URLs in the run.</param>
/// <param name="Done">URLs with an outcome.</param>
/// <param name="Failed">URLs that failed.</param>
/// <param name="Bytes">Bytes received so far (all attempts).</param>
/// <param name="Elapsed">Time since the run started.</param>
/// <param name="Active">The downloads in progress.</param>
public sealed record DownloadProgress(int Total, int Done, int Failed, long Bytes, TimeSpan Elapsed, IReadOnlyList<ActiveDownload> Active)
{
    /// <summary>Gets the receive rate over the run, in bytes per second.</summary>
    public double BytesPerSecond => Elapsed > TimeSpan.Zero ? Bytes / Elapsed.TotalSeconds : 0;

    /// <summary>Gets an estimate of the time left, from the rate of finished files.</summary>
    /// <value><see langword="null"/> until a file has finished.</value>
    public TimeSpan? Remaining => Done > 0 && Total > Done ? Elapsed * ((double)(Total - Done) / Done) : null;
}
