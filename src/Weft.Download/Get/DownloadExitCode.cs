namespace Weft.Download;

/// <summary>The exit codes of <c>weft get</c>: one list, used by <see cref="DownloadSummary.ExitCode"/>
/// and by the command line.</summary>
public enum DownloadExitCode
{
    /// <summary>Every URL was saved or skipped.</summary>
    Success = 0,

    /// <summary>Some URLs failed (or list lines were malformed).</summary>
    SomeFailed = 1,

    /// <summary>A usage error: nothing was downloaded.</summary>
    Usage = 2,

    /// <summary>Every URL failed.</summary>
    AllFailed = 3,

    /// <summary>Interrupted (Ctrl+C, SIGTERM): 128 + SIGINT.</summary>
    Interrupted = 130,
}
