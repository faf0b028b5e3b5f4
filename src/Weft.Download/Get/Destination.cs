namespace Weft.Download;

/// <summary>Where one URL's file goes, decided once on its first response (see
/// <see cref="Downloader"/>'s "decide name" and "decide on-exists" steps) and kept for its retries.</summary>
/// <param name="Name">The final file name.</param>
/// <param name="Path">Its full path inside the output directory.</param>
internal sealed record Destination(string Name, string Path)
{
    /// <summary>Gets what to do with a file already at <see cref="Path"/>.</summary>
    public ExistingFile Existing { get; init; }

    /// <summary>Gets why nothing needs downloading (the existing file is already the right one).</summary>
    /// <value><see langword="null"/> when the file is to be downloaded.</value>
    public string? SkipReason { get; init; }

    /// <summary>Gets what the user should be told about the name (a rename).</summary>
    public string? Note { get; init; }
}

/// <summary>What happens to a file already at a <see cref="Destination"/>.</summary>
internal enum ExistingFile
{
    /// <summary>None is there (one that appears meanwhile is kept: the download takes a numbered name).</summary>
    None,

    /// <summary>Replace it: <c>--on-exists overwrite</c>, or an older copy weft itself saved.</summary>
    Replace,

    /// <summary>Weft's own copy, from a server that gives no validator: downloaded and compared; the same
    /// bytes are skipped, others replace it (a length alone never says a file is unchanged).</summary>
    Refresh,

    /// <summary>Someone else's file: keep it; if the download turns out identical, skip, else save it
    /// under a numbered name.</summary>
    Keep,
}
