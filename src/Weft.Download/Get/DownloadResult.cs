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

    /// <summary>Gets the bytes written to disk for this URL in this run (after a resume, only the
    /// rest of the file; 0 when skipped).</summary>
    public long Written { get; init; }

    /// <summary>Gets the URL the file came from after redirects.</summary>
    /// <value><see langword="null"/> when there was no redirect.</value>
    public Uri? FinalUrl { get; init; }

    /// <summary>Gets what the user should know about a success: why it was skipped, or that it was saved
    /// under another name because an existing file was kept.</summary>
    /// <value><see langword="null"/> when there is nothing to say.</value>
    public string? Note { get; init; }

    /// <summary>Gets the number of requests made for this URL.</summary>
    public int Attempts { get; init; }

    /// <summary>Gets the time from start to outcome.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Gets why the URL failed or was not done.</summary>
    /// <value><see langword="null"/> when it was saved or skipped.</value>
    public string? Error { get; init; }
}
