namespace Weft.Download;

/// <summary>One URL to download.</summary>
/// <param name="Url">An absolute http or https URL.</param>
/// <remarks>Python: one argument to the tutorial's <c>download_image(img_url)</c>.</remarks>
public sealed record DownloadRequest(Uri Url)
{
    /// <summary>Gets the file name the user chose (the list's second column), made safe before use.</summary>
    /// <value><see langword="null"/> by default: the name comes from the server or the URL.</value>
    public string? Name { get; init; }

    /// <summary>Gets the expected sha256 of the file (hex), checked before the rename.</summary>
    /// <value><see langword="null"/> by default.</value>
    public string? Sha256 { get; init; }

    /// <summary>Gets the line of the list this URL came from (1-based).</summary>
    /// <value>0 when it did not come from a list.</value>
    public int Line { get; init; }
}
