namespace Weft.Download;

/// <summary>The one definitive outcome of one URL.</summary>
/// <param name="Request">The request.</param>
/// <param name="Status">Saved, skipped, failed or cancelled.</param>
public sealed record DownloadResult(DownloadRequest Request, DownloadStatus Status)
{
    /// <summary>Gets the URL.</summary>
    public Uri Url => Request.Url;

    /// <summary>Gets the full path of the saved (or skipped) file.</summary>
    /// <value><see langword="null"/> when nothing was saved.</value>
    public string? Path { get; init; }

    /// <summary>Gets the HTTP status of the last response.</summary>
    /// <value><see langword="null"/> when no response arrived.</value>
    public int? HttpStatus { get; init; }

    /// <summary>Gets the size of the file in bytes (saved or skipped).</summary>
    public long Bytes { get; init; }

    /// <summary>Gets the number of requests made for this URL.</summary>
    public int Attempts { get; init; }

    /// <summary>Gets the time from start to outcome.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Gets why the URL failed or was skipped.</summary>
    /// <value><see langword="null"/> when it was saved.</value>
    public string? Error { get; init; }
}
