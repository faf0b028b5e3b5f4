namespace Weft.Download;

/// <content>Deciding where a file goes and committing it there: the steps that must never lose a
/// user's file.</content>
public sealed partial class Downloader
{
    /// <summary>Step 3: the final name (the list's, else the server's <c>Content-Disposition</c>, else the
    /// URL's; plus an extension from the content type) and what to do about a file already there.
    /// A file weft did not itself leave is never replaced (unless <c>--on-exists overwrite</c>).</summary>
    private async Task<Destination> DecideDestinationAsync(Transfer transfer, HttpResponseMessage response, long? total, CancellationToken cancellationToken)
    {
        var name = FinalName(transfer, response);
        var path = FileNames.ResolveInside(_options.OutputDirectory, name);
        transfer.Name = name;
        if (!File.Exists(path) && !PartFile.IsLink(path))
        {
            return new Destination(name, path);
        }

        switch (_options.OnExists)
        {
            case OnExists.Overwrite:
                return new Destination(name, path) { Existing = ExistingFile.Replace };
            case OnExists.Fail:
                throw new DownloadFailedException($"'{name}' exists (--on-exists fail)", transient: false, keepPart: false);
            case OnExists.Rename:
                var renamed = FreeNumberedName(name, transfer.Url);
                return new Destination(renamed, FileNames.ResolveInside(_options.OutputDirectory, renamed)) { Note = $"saved as '{renamed}': '{name}' exists" };
        }

        if (transfer.ExpectedSha256 is { } sha && !PartFile.IsLink(path)
            && string.Equals(await FileContent.Sha256Async(path, cancellationToken).ConfigureAwait(false), sha, StringComparison.OrdinalIgnoreCase))
        {
            return new Destination(name, path) { SkipReason = "already complete (sha256 matches)" };
        }

        if (MetaFile.TryRead(MetaPathOf(path), transfer.Url) is { } meta && meta.Describes(path, transfer.Url))
        {
            // Weft's own earlier copy: kept when the server still describes the same file, else replaced.
            var sameValidator = (meta.ETag, response.Headers.ETag?.ToString()) is ({ } a, { } b) ? a == b
                : meta.LastModified is { } lm && lm == response.Content.Headers.LastModified?.ToString("R");
            var noValidators = meta.Validator is null && response.Headers.ETag is null && response.Content.Headers.LastModified is null;
            return (sameValidator || noValidators) && total == meta.Length
                ? new Destination(name, path) { SkipReason = "already complete" }
                : new Destination(name, path) { Existing = ExistingFile.Replace, Note = "replaced weft's older copy" };
        }

        return new Destination(name, path) { Existing = ExistingFile.Keep };
    }

    /// <summary>Step 6 on a commit worker, so that a slow fsync never holds a download worker: every way
    /// it can end becomes a result (a full disk stops the run).</summary>
    private AttemptOutcome CommitOne(Transfer transfer, Destination destination)
    {
        try
        {
            return new AttemptOutcome(Commit(transfer, destination), TimeSpan.Zero);
        }
        catch (IOException e) when (PartFile.IsDiskFull(e))
        {
            return new AttemptOutcome(Failed(transfer, $"disk full committing '{destination.Name}': {e.Message}; the .part file is kept"), TimeSpan.Zero, $"disk full committing '{destination.Name}'");
        }
#pragma warning disable CA1031 // Every way a commit ends must become a row, or the run would wait for it for ever.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new AttemptOutcome(Failed(transfer, $"cannot save '{destination.Name}': {e.Message}; the .part file is kept"), TimeSpan.Zero);
        }
    }

    /// <summary>Step 6: the bytes to disk (fsync), then the verified <c>.part</c> gets its final name. A
    /// file of someone else's is kept: an identical download is dropped (skipped), a different one takes a
    /// free numbered name. The move never replaces a file that appeared meanwhile.</summary>
    private DownloadResult Commit(Transfer transfer, Destination destination)
    {
        if (_options.Fsync)
        {
            // A rename is journaled; without this the final name could survive a crash on missing bytes.
            using var part = new FileStream(transfer.PartPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
            part.Flush(flushToDisk: true);
        }

        var name = destination.Name;
        var note = destination.Note;
        if (destination.Existing == ExistingFile.Keep && !PartFile.IsLink(destination.Path) && FileContent.Same(transfer.PartPath, destination.Path))
        {
            DeletePart(transfer.PartPath);
            return Skipped(transfer, name, "identical to the existing file");
        }

        if (destination.Existing == ExistingFile.Replace)
        {
            File.Move(transfer.PartPath, destination.Path, overwrite: true);
        }
        else
        {
            name = MoveToFreeName(transfer, name);
            if (name != destination.Name)
            {
                note = $"saved as '{name}': '{destination.Name}' exists and was not written by weft (--on-exists overwrite replaces it)";
            }
        }

        var path = FileNames.ResolveInside(_options.OutputDirectory, name);
        transfer.Name = name;
        RememberSaved(transfer, path);
        return new DownloadResult(transfer.Plan.Request, DownloadStatus.Saved)
        {
            Path = path,
            HttpStatus = transfer.HttpStatus,
            Bytes = new FileInfo(path).Length,
            Written = Interlocked.Read(ref transfer.Written),
            Attempts = transfer.Attempt,
            Elapsed = transfer.Clock.Elapsed,
            FinalUrl = transfer.FinalUrl,
            Note = note,
        };
    }

    private string FinalName(Transfer transfer, HttpResponseMessage response)
    {
        var name = transfer.Plan.Name;
        if (transfer.Plan.Request.Name is not null)
        {
            return name;
        }

        // A server-supplied name is used only when no other URL of this run has claimed it.
        var offered = FileNames.FromContentDisposition(response.Content.Headers.ContentDisposition);
        if (offered is not null && (string.Equals(offered, name, StringComparison.OrdinalIgnoreCase) || _claimedNames.TryAdd(offered, transfer.Url)))
        {
            name = offered;
        }

        var typed = FileNames.WithExtension(name, response.Content.Headers.ContentType?.MediaType);
        return typed != name && _claimedNames.TryAdd(typed, transfer.Url) ? typed : name;
    }

    private string FreeNumberedName(string name, Uri url) =>
        FileNames.Numbered(name, n => !File.Exists(FileNames.ResolveInside(_options.OutputDirectory, n))
            && !PartFile.IsLink(FileNames.ResolveInside(_options.OutputDirectory, n))
            && _claimedNames.TryAdd(n, url));

    private string MoveToFreeName(Transfer transfer, string name)
    {
        while (true)
        {
            var path = FileNames.ResolveInside(_options.OutputDirectory, name);
            if (!File.Exists(path) && !PartFile.IsLink(path))
            {
                try
                {
                    File.Move(transfer.PartPath, path, overwrite: false);
                    return name;
                }
                catch (IOException) when (File.Exists(path))
                {
                    // Someone created it meanwhile: it is theirs; try the next number.
                }
            }

            name = FreeNumberedName(name, transfer.Url);
        }
    }

    /// <summary>Leaves <c>.name.meta</c> beside a saved file: the URL, validators, length and write
    /// time, so a re-run can send a conditional request and knows the file is weft's to replace.</summary>
    private static void RememberSaved(Transfer transfer, string path)
    {
        try
        {
            var file = new FileInfo(path);
            var part = transfer.PartMeta ?? new MetaFile(transfer.Url, null, null);
            (part with { Url = transfer.Url, Length = file.Length, WriteTicks = file.LastWriteTimeUtc.Ticks }).Write(MetaPathOf(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Without it the next run treats the file as someone else's: kept, never lost.
        }

        TryDelete(transfer.PartPath + MetaFile.Suffix);
    }

    /// <summary>The meta file of a complete file: hidden, beside it (<c>.NAME.meta</c>); a sanitised
    /// name never starts with a dot, so it cannot collide with a download.</summary>
    internal static string MetaPathOf(string path) =>
        Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + MetaFile.Suffix);

    /// <summary>Saves the validator beside a kept <c>.part</c>, for If-Range on <c>--resume</c>.</summary>
    private static void KeepForResume(Transfer transfer)
    {
        try
        {
            if (transfer.PartMeta is { } meta && File.Exists(transfer.PartPath))
            {
                meta.Write(transfer.PartPath + MetaFile.Suffix);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Without it, --resume still works, only without If-Range.
        }
    }

    private DownloadResult Skipped(Transfer transfer, string name, string reason)
    {
        var path = FileNames.ResolveInside(_options.OutputDirectory, name);
        return new DownloadResult(transfer.Plan.Request, DownloadStatus.Skipped)
        {
            Path = path,
            HttpStatus = transfer.HttpStatus,
            Bytes = File.Exists(path) ? new FileInfo(path).Length : 0,
            Attempts = transfer.Attempt,
            Elapsed = transfer.Clock.Elapsed,
            FinalUrl = transfer.FinalUrl,
            Note = reason,
        };
    }

    private static DownloadResult Failed(Transfer transfer, string error) => Unfinished(transfer, DownloadStatus.Failed, error);

    private static DownloadResult Cancelled(Transfer transfer, string error) => Unfinished(transfer, DownloadStatus.Cancelled, error);

    private static DownloadResult Unfinished(Transfer transfer, DownloadStatus status, string error) => new(transfer.Plan.Request, status)
    {
        HttpStatus = transfer.HttpStatus,
        Written = Interlocked.Read(ref transfer.Written),
        Attempts = transfer.Attempt,
        Elapsed = transfer.Clock.Elapsed,
        FinalUrl = transfer.FinalUrl,
        Error = error,
    };

    private static void DeletePart(string partPath)
    {
        TryDelete(partPath);
        TryDelete(partPath + MetaFile.Suffix);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover .part never carries a final name.
        }
    }
}
