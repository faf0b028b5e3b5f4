namespace Weft.Download;

/// <summary>The outcome of one URL.</summary>
public enum DownloadStatus
{
    /// <summary>Downloaded, verified and renamed to its final name.</summary>
    Saved,

    /// <summary>A complete file was already there (see <see cref="OnExists.Skip"/>).</summary>
    Skipped,

    /// <summary>Not saved; <see cref="DownloadResult.Error"/> says why. No file under the final name.</summary>
    Failed,

    /// <summary>Interrupted or never started because the run was cancelled; a <c>.part</c> file may
    /// remain for <see cref="DownloadOptions.Resume"/>.</summary>
    Cancelled,
}
