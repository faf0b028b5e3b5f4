namespace Weft.Download;

/// <summary>The totals of a <see cref="Downloader.RunAsync"/> run.</summary>
public sealed record DownloadSummary
{
    /// <summary>Gets the number of distinct URLs in the run.</summary>
    public int Total { get; init; }

    /// <summary>Gets the number of URLs saved.</summary>
    public int Saved { get; init; }

    /// <summary>Gets the number of URLs whose complete file was already there.</summary>
    public int Skipped { get; init; }

    /// <summary>Gets the number of URLs that failed.</summary>
    public int Failed { get; init; }

    /// <summary>Gets the number of URLs interrupted or never started because the run was cancelled.</summary>
    public int Cancelled { get; init; }

    /// <summary>Gets the number of list lines that were not valid URLs (they count as failures).</summary>
    public int InvalidLines { get; init; }

    /// <summary>Gets the bytes written to disk this run (a resumed file counts only its rest).</summary>
    public long Bytes { get; init; }

    /// <summary>Gets the wall time of the run.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Gets why the run stopped early on its own (a full disk), when it did.</summary>
    /// <value><see langword="null"/> when it did not.</value>
    public string? StopReason { get; init; }

    /// <summary>Gets a value indicating whether the run was cancelled.</summary>
    public bool Interrupted { get; init; }

    /// <summary>Gets the process exit code <c>weft get</c> uses (<see cref="DownloadExitCode"/>): 0 every URL
    /// saved (or already complete), 1 some failed, 3 all failed, 130 interrupted.</summary>
    public int ExitCode => (int)Outcome;

    /// <summary>Gets the outcome as one of <see cref="DownloadExitCode"/>.</summary>
    public DownloadExitCode Outcome
    {
        get
        {
            if (Interrupted)
            {
                return DownloadExitCode.Interrupted;
            }

            var failed = Failed + InvalidLines + Cancelled;
            if (failed == 0)
            {
                return DownloadExitCode.Success;
            }

            return Saved + Skipped == 0 ? DownloadExitCode.AllFailed : DownloadExitCode.SomeFailed;
        }
    }
}
