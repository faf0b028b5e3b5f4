namespace Weft.Download;

/// <content>Deciding where a file goes and committing it there: the steps that must never lose a
/// user's file.</content>
public sealed partial class Downloader
{
    /// <summary>Step: the final name (the list's, else the server's <c>Content-Disposition</c>, else the
    /// URL's; plus an extension from the content type) and what to do about a file already there.
    /// A file weft did not itself leave is never replaced (unless <c>--on-exists overwrite</c>).</summary>
    private async Task<Destination> DecideDestinationAsync(Transfer transfer, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var name = FinalName(transfer, response);
        var path = FileNames.ResolveInside(_options.OutputDirectory, name);
        transfer.Name = name;
        if (_options.OnExists == OnExists.Keep && (transfer.OwnCopy is { } own && own.Name == name ? own : OwnCopyAt(transfer, name, path)) is { } copy)
        {
            return OwnCopyDestination(transfer, copy, response);
        }

        if (!PartFile.Occupied(path))
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
            case OnExists.Skip:
                await RequireChecksumOnDiskAsync(transfer, path, "exists (--on-exists skip)", cancellationToken).ConfigureAwait(false);
                return new Destination(name, path) { SkipReason = "exists (--on-exists skip): not downloaded" };
        }

        if (transfer.ExpectedSha256 is { } sha && await FileContent.Sha256OrNullAsync(path, cancellationToken).ConfigureAwait(false) is { } actual
            && string.Equals(actual, sha, StringComparison.OrdinalIgnoreCase))
        {
            return new Destination(name, path) { SkipReason = "already complete (sha256 matches)" };
        }

        return new Destination(name, path) { Existing = ExistingFile.Keep };
    }

    /// <summary>Weft's own earlier copy: kept when the server still names the same version (a validator
    /// matches, and the length), replaced when it names another; with no validator at all nothing can
    /// say it is unchanged, so it is downloaded and compared (<see cref="ExistingFile.Refresh"/>).</summary>
    private static Destination OwnCopyDestination(Transfer transfer, OwnCopy copy, HttpResponseMessage response)
    {
        var etag = response.Headers.ETag?.ToString();
        var modified = response.Content.Headers.LastModified?.ToString("R");
        var meta = copy.Meta;
        var sameVersion = meta.ETag is not null && etag is not null ? meta.ETag == etag
            : meta.LastModified is not null && modified is not null && meta.LastModified == modified;
        var length = response.Content.Headers.ContentLength;
        if (copy.Conditional && sameVersion && (length is null || length == meta.Length))
        {
            return new Destination(copy.Name, copy.Path) { SkipReason = "already complete" };
        }

        var known = meta.Validator is not null || etag is not null || modified is not null;
        return known || !copy.Conditional
            ? new Destination(copy.Name, copy.Path) { Existing = ExistingFile.Replace, Note = "replaced weft's older copy" }
            : new Destination(copy.Name, copy.Path) { Existing = ExistingFile.Refresh };
    }

    /// <summary>Step 6 on a commit worker, so that a slow fsync never holds a download worker: every way
    /// it can end becomes a result (a full disk stops the run).</summary>
    private AttemptOutcome CommitOne(Transfer transfer, Commit commit)
    {
        var destination = commit.Destination;
        try
        {
            return new AttemptOutcome(CommitPart(transfer, commit), TimeSpan.Zero);
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
        finally
        {
            commit.File.Dispose();
        }
    }

    /// <summary>Step 6: the bytes to disk (fsync of the very handle written), then the verified <c>.part</c>
    /// gets its final name. A file of someone else's is kept: an identical download is dropped (skipped), a
    /// different one takes a free numbered name. The move never replaces a file that appeared meanwhile
    /// (<c>renameat2(RENAME_NOREPLACE)</c>).</summary>
    private DownloadResult CommitPart(Transfer transfer, Commit commit)
    {
        var (destination, file, lastModified) = (commit.Destination, commit.File, commit.LastModified);
        if (_options.Fsync)
        {
            // A rename is journaled; without this the final name could survive a crash on missing bytes.
            file.Flush(flushToDisk: true);
        }

        if (_options.RemoteTime && lastModified is { } remote)
        {
            File.SetLastWriteTimeUtc(file.SafeFileHandle, remote.UtcDateTime);
        }

        file.Dispose();
        var part = transfer.Part!;
        var name = destination.Name;
        var note = destination.Note;
        if (destination.Existing is ExistingFile.Keep or ExistingFile.Refresh && FileContent.Same(part.Path, destination.Path))
        {
            DiscardPart(transfer);
            return Skipped(transfer, name, destination.Existing == ExistingFile.Refresh ? "unchanged (same bytes)" : "identical to the existing file");
        }

        if (destination.Existing is ExistingFile.Replace or ExistingFile.Refresh)
        {
            File.Move(part.Path, destination.Path, overwrite: true); // rename(2): atomic, replaces weft's copy (or a link itself)
            note ??= destination.Existing == ExistingFile.Refresh ? "replaced weft's older copy" : null;
        }
        else
        {
            name = MoveToFreeName(transfer, part.Path, name);
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
        FileNames.Numbered(name, n => !PartFile.Occupied(FileNames.ResolveInside(_options.OutputDirectory, n)) && _claimedNames.TryAdd(n, url));

    /// <summary>Moves the <c>.part</c> to <paramref name="name"/>, or to the next free numbered name when
    /// anything holds it (a file, a directory, a link), atomically; bounded by <see cref="FileNames.Numbered"/>.</summary>
    private string MoveToFreeName(Transfer transfer, string partPath, string name)
    {
        for (var tries = 0; ; tries++)
        {
            if (NativeFile.TryRenameNoReplace(partPath, FileNames.ResolveInside(_options.OutputDirectory, name)))
            {
                return name;
            }

            if (tries >= FileNames.MaxNumbered)
            {
                throw new IOException($"no free name for '{name}' after {tries} tries");
            }

            name = FreeNumberedName(name, transfer.Url); // someone holds it: theirs; the next number
        }
    }

    /// <summary>Leaves <c>.NAME.meta</c> beside a saved file (a hash of the URL, validators, length and write
    /// time: no secret), so a re-run can send a conditional request and knows the file is weft's to replace.
    /// A <c>.NAME.meta</c> that is not weft's is left alone (the file is then simply not known as weft's).</summary>
    private static void RememberSaved(Transfer transfer, string path)
    {
        try
        {
            var file = new FileInfo(path);
            var origin = transfer.Origin ?? new Origin(null, null, null);
            new MetaFile(MetaFile.KeyOf(transfer.Url), origin.ETag, origin.LastModified, file.Length, file.LastWriteTimeUtc.Ticks).TryWrite(MetaPathOf(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Without it the next run treats the file as someone else's: kept, never lost.
        }

        PartFile.TryDelete(transfer.Part!.MetaPath);
    }

    /// <summary>The meta file of a complete file: hidden, beside it (<c>.NAME.meta</c>); a sanitised
    /// name never starts with a dot, so it cannot collide with a download.</summary>
    internal static string MetaPathOf(string path) =>
        Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + MetaFile.Suffix);

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
}
