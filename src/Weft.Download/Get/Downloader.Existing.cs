namespace Weft.Download;

/// <content>Looking at the output directory before asking the server: <c>--skip-existing</c>, weft's own
/// earlier copy (found under its planned or a numbered name), and checksums checked against the bytes on
/// disk, whatever else says the file is complete.</content>
public sealed partial class Downloader
{
    /// <summary>Step 0: a result without any request (<c>--skip-existing</c>, or weft's own copy whose sha256
    /// matches the checksum given), or <see langword="null"/> to ask the server, with
    /// <see cref="Transfer.OwnCopy"/> set when weft's own earlier copy is there.</summary>
    private async Task<DownloadResult?> LookBeforeAskingAsync(Transfer transfer, CancellationToken cancellationToken)
    {
        var planned = FileNames.ResolveInside(_options.OutputDirectory, transfer.Plan.Name);
        if (_options.SkipExisting && PartFile.Occupied(planned))
        {
            await RequireChecksumOnDiskAsync(transfer, planned, "exists (--skip-existing)", cancellationToken).ConfigureAwait(false);
            return Skipped(transfer, transfer.Plan.Name, "exists (--skip-existing): no request");
        }

        if (_options.OnExists != OnExists.Keep || FindOwnCopy(transfer) is not { } own)
        {
            return null;
        }

        if (transfer.ExpectedSha256 is { } sha)
        {
            if (string.Equals(await FileContent.Sha256OrNullAsync(own.Path, cancellationToken).ConfigureAwait(false), sha, StringComparison.OrdinalIgnoreCase))
            {
                return Skipped(transfer, own.Name, "already complete (sha256 matches)");
            }

            own = own with { Conditional = false }; // the copy is wrong: download it whole and replace it
        }

        transfer.OwnCopy = own;
        return null;
    }

    /// <summary>Weft's own untouched copy of this URL under its planned name or a numbered one (left by an
    /// earlier run beside a user's file of that name), so re-runs find it instead of adding another.</summary>
    private OwnCopy? FindOwnCopy(Transfer transfer)
    {
        for (var i = 0; i <= FileNames.MaxNumbered; i++)
        {
            var name = i == 0 ? transfer.Plan.Name : FileNames.NumberedName(transfer.Plan.Name, i);
            var path = FileNames.ResolveInside(_options.OutputDirectory, name);
            if (!PartFile.Occupied(path))
            {
                if (i == 0)
                {
                    continue;
                }

                return null; // numbered names are taken in order: a gap ends the search
            }

            if (OwnCopyAt(transfer, name, path) is { } own)
            {
                return own;
            }
        }

        return null;
    }

    private static OwnCopy? OwnCopyAt(Transfer transfer, string name, string path) =>
        MetaFile.TryRead(MetaPathOf(path)) is { } meta && meta.Describes(path, transfer.Url) ? new OwnCopy(name, path, meta, Conditional: true) : null;

    /// <summary>A file kept without a download must still match the checksum given for it.</summary>
    /// <exception cref="DownloadFailedException">It does not.</exception>
    private static async Task RequireChecksumOnDiskAsync(Transfer transfer, string path, string why, CancellationToken cancellationToken)
    {
        if (transfer.ExpectedSha256 is { } sha)
        {
            var actual = await FileContent.Sha256OrNullAsync(path, cancellationToken).ConfigureAwait(false);
            if (!string.Equals(actual, sha, StringComparison.OrdinalIgnoreCase))
            {
                throw new DownloadFailedException($"'{Path.GetFileName(path)}' {why} but its sha256 is {actual ?? "unreadable"}, expected {sha}", transient: false, keepPart: false);
            }
        }
    }
}
