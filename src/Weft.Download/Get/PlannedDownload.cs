namespace Weft.Download;

/// <summary>A URL with the name it will be saved under unless the server names it (from
/// <see cref="Downloader.Plan"/>; what <c>weft get --dry-run</c> prints).</summary>
/// <param name="Request">The request.</param>
/// <param name="Name">The safe file name planned before any request: the list's name, else the URL's;
/// the <c>.part</c> file is this name plus <c>.part</c>.</param>
public sealed record PlannedDownload(DownloadRequest Request, string Name)
{
    /// <summary>Gets the URL whose name this one collided with, when <see cref="Name"/> had to be made
    /// unique with a short hash of the URL.</summary>
    /// <value><see langword="null"/> when there was no collision.</value>
    public Uri? CollidedWith { get; init; }

    /// <summary>Gets a value indicating whether the same URL appeared earlier in the list (then it is
    /// downloaded once).</summary>
    public bool Duplicate { get; init; }
}
