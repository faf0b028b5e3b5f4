using System.Diagnostics;

namespace Weft.Download;

/// <summary>One URL of a run, across its attempts: what the progress display reads, and the three
/// things an attempt hands to the next one, each an immutable record replaced whole.</summary>
/// <remarks>An attempt runs on one worker at a time, so the attempt state needs no lock; the progress
/// fields (<see cref="Bytes"/>, <see cref="Name"/>, <see cref="Length"/>, <see cref="Attempt"/>) are read
/// from other threads and are written atomically. Invariants: <see cref="Part"/> is set by the first
/// attempt and names a <c>.part</c> weft may write (its own, or one <c>--resume</c> adopted);
/// <see cref="Origin"/> is what the response that began the bytes in that <c>.part</c> said, and is
/// <see langword="null"/> exactly when the <c>.part</c> holds no bytes weft can vouch for.</remarks>
internal sealed class Transfer(PlannedDownload plan, int order, string? expectedSha256)
{
    /// <summary>Bytes in the <c>.part</c> file (progress).</summary>
    public long Bytes;

    /// <summary>Bytes written to disk for this URL in this run.</summary>
    public long Written;

    public PlannedDownload Plan => plan;

    public Uri Url => plan.Request.Url;

    /// <summary>Gets the host key (scheme://host:port) the per-host limit and back-off count against.</summary>
    public string Host { get; } = $"{plan.Request.Url.Scheme}://{plan.Request.Url.Host}:{plan.Request.Url.Port}";

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

    /// <summary>Gets or sets why the last attempt failed, when it is waiting for a retry.</summary>
    public string? LastError { get; set; }

    /// <summary>Gets or sets when the file must be done (<see cref="DownloadOptions.MaxTime"/>).</summary>
    public DateTimeOffset? Deadline { get; set; }

    /// <summary>Gets or sets the <c>.part</c> this URL writes (chosen by its first attempt).</summary>
    public PartSlot? Part { get; set; }

    /// <summary>Gets or sets what the response that began the <c>.part</c>'s bytes said: validators and
    /// length, against which every later 206 is checked.</summary>
    public Origin? Origin { get; set; }

    /// <summary>Gets or sets where the file goes, decided on the first response and kept for the retries.</summary>
    public Destination? Destination { get; set; }

    /// <summary>Gets or sets weft's own earlier copy of this URL, found before the first request.</summary>
    public OwnCopy? OwnCopy { get; set; }
}

/// <summary>A <c>.part</c> file of one URL.</summary>
/// <param name="Path">Its full path.</param>
/// <param name="Owned">Whether weft may write, truncate and remove it: weft created it (its meta file was
/// created exclusively with it) or <c>--resume</c> adopted it. A <c>.part</c> weft cannot prove it wrote is
/// never touched: the URL writes another name instead.</param>
/// <param name="Have">The bytes in it when the attempt began.</param>
internal sealed record PartSlot(string Path, bool Owned, long Have)
{
    public string MetaPath => Path + MetaFile.Suffix;
}

/// <summary>What the response that began a download said (see <see cref="Transfer.Origin"/>).</summary>
internal sealed record Origin(string? ETag, string? LastModified, long? Total)
{
    /// <summary>The validator for <c>If-Range</c>.</summary>
    public string? Validator => ETag is { } e && !e.StartsWith("W/", StringComparison.Ordinal) ? e : LastModified;
}

/// <summary>Weft's own complete copy of a URL from an earlier run, still untouched.</summary>
/// <param name="Name">Its file name.</param>
/// <param name="Path">Its full path.</param>
/// <param name="Meta">Its <c>.NAME.meta</c>.</param>
/// <param name="Conditional">Whether a re-run may ask "changed since?" (not when a checksum says the copy is wrong).</param>
internal sealed record OwnCopy(string Name, string Path, MetaFile Meta, bool Conditional);
