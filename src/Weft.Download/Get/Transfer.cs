using System.Diagnostics;

namespace Weft.Download;

/// <summary>One URL of a run, across its attempts: what the progress display reads, what a retry
/// resumes from, and the decisions made once (the final name, what to do about an existing file).</summary>
/// <remarks>An attempt runs on one worker at a time, so the attempt state needs no lock; the progress
/// fields (<see cref="Bytes"/>, <see cref="Name"/>, <see cref="Length"/>, <see cref="Attempt"/>) are read
/// from other threads and are written atomically.</remarks>
internal sealed class Transfer(PlannedDownload plan, string partPath, int order, string? expectedSha256)
{
    /// <summary>Bytes in the <c>.part</c> file (progress).</summary>
    public long Bytes;

    /// <summary>Bytes written to disk for this URL in this run.</summary>
    public long Written;

    public PlannedDownload Plan => plan;

    public Uri Url => plan.Request.Url;

    /// <summary>Gets the host key (scheme://host:port) the per-host limit counts against.</summary>
    public string Host { get; } = $"{plan.Request.Url.Scheme}://{plan.Request.Url.Authority}";

    public string PartPath => partPath;

    /// <summary>Gets the position in the list (the schedule's tie-break).</summary>
    public int Order => order;

    /// <summary>Gets the sha256 the file must have: the request's, or the manifest's entry for the
    /// planned name or the URL; fixed before any request, whatever name the file ends up with.</summary>
    public string? ExpectedSha256 => expectedSha256;

    public Stopwatch Clock { get; } = new();

    public string Name { get; set; } = plan.Name;

    public long? Length { get; set; }

    public int Attempt { get; set; }

    public int? HttpStatus { get; set; }

    public Uri? FinalUrl { get; set; }

    /// <summary>Gets or sets when the file must be done (<see cref="DownloadOptions.MaxTime"/>).</summary>
    public DateTimeOffset? Deadline { get; set; }

    /// <summary>Gets or sets the ETag or Last-Modified of the bytes in the <c>.part</c> (for If-Range).</summary>
    public MetaFile? PartMeta { get; set; }

    /// <summary>Gets or sets a value indicating whether the next attempt must start from byte 0 (the
    /// server refused or botched the resume).</summary>
    public bool RestartFromZero { get; set; }

    /// <summary>Gets or sets where the file goes, decided on the first response and kept for the retries.</summary>
    public Destination? Destination { get; set; }
}
