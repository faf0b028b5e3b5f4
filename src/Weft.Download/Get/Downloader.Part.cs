using System.Buffers;

namespace Weft.Download;

/// <content>The <c>.part</c> file: which one a URL may write, and streaming the body into it. Weft removes
/// or writes only a <c>.part</c> it can prove it wrote: its <c>NAME.part.meta</c> (weft's marker) is created
/// exclusively before the <c>.part</c> itself, and both are opened without following links.</content>
public sealed partial class Downloader
{
    private const int AlternativeParts = 99;

    /// <summary>Step: the <c>.part</c> this URL writes. <c>NAME.part</c> when it is free or weft's own (with
    /// <c>--resume</c>, its bytes are continued; without, weft's own old one is removed); with <c>--resume</c>
    /// a regular <c>NAME.part</c> another tool left is adopted (as curl's <c>-C -</c>). Anything else there
    /// (the user's draft, a link, a directory) is left alone and the URL writes <c>NAME.1.part</c> or the
    /// next free number.</summary>
    private PartSlot ClaimPart(Transfer transfer)
    {
        var primary = FileNames.ResolveInside(_options.OutputDirectory, transfer.Plan.Name + ".part");
        var slot = new PartSlot(primary, Owned: false, Have: 0);
        var meta = MetaFile.TryRead(slot.MetaPath);
        if (!PartFile.Occupied(primary))
        {
            if (PartFile.Occupied(slot.MetaPath) && meta is null)
            {
                return AlternativePart(transfer);
            }

            MetaFile.DeleteIfOurs(slot.MetaPath);
            return slot;
        }

        if (_options.Resume && PartFile.LengthIfRegular(primary) is { } have)
        {
            transfer.Origin = meta is not null && meta.Matches(transfer.Url)
                ? new Origin(meta.ETag, meta.LastModified, meta.Length)
                : new Origin(null, null, null); // adopted: nothing to check a 206 against, as curl -C -
            return slot with { Owned = true, Have = have };
        }

        if (meta is not null)
        {
            // Weft's own .part of an earlier run, not to be resumed: proven ours, so it may go.
            PartFile.TryDelete(primary);
            PartFile.TryDelete(slot.MetaPath);
            return PartFile.Occupied(primary) ? AlternativePart(transfer) : slot;
        }

        return AlternativePart(transfer);
    }

    private PartSlot AlternativePart(Transfer transfer)
    {
        for (var i = 1; i <= AlternativeParts; i++)
        {
            var path = FileNames.ResolveInside(_options.OutputDirectory, $"{transfer.Plan.Name}.{i}.part");
            if (!PartFile.Occupied(path) && !PartFile.Occupied(path + MetaFile.Suffix))
            {
                return new PartSlot(path, Owned: false, Have: 0);
            }
        }

        throw new DownloadFailedException($"'{transfer.Plan.Name}.part' and {AlternativeParts} numbered .part names are taken by files weft did not write", transient: false, keepPart: false);
    }

    /// <summary>Opens the URL's own <c>.part</c> (not through a link), or <see langword="null"/> when it has
    /// none yet; the Range of the request is the length of this very handle.</summary>
    private static FileStream? OpenOwnPart(PartSlot part)
    {
        if (!part.Owned)
        {
            return null;
        }

        try
        {
            var file = NativeFile.Open(part.Path, FileAccess.ReadWrite, createNew: false);
            file.Seek(0, SeekOrigin.End);
            return file;
        }
        catch (IOException) when (!PartFile.Occupied(part.Path))
        {
            return null; // gone (removed by hand): start afresh
        }
        catch (IOException e)
        {
            throw new DownloadFailedException($"the .part file cannot be opened: {e.Message}", transient: false, e, keepPart: false);
        }
    }

    /// <summary>Step: the body into the <c>.part</c> file, under the idle, speed and deadline clocks (and
    /// <c>--limit-rate</c>). A new <c>.part</c> is created exclusively, after its meta file (weft's marker);
    /// a 200 to a resume truncates weft's own <c>.part</c> and rewrites its meta. A full disk stops the run.</summary>
    /// <returns>The open <c>.part</c>, flushed to the page cache.</returns>
    private async Task<FileStream> StreamToPartAsync(Transfer transfer, FileStream? file, HttpResponseMessage response, Body body, TransferWatch watch, CancellationToken cancellationToken)
    {
        var have = body.Offset;
        file = file is null ? CreatePart(transfer, body.Origin) : have == 0 ? Truncate(transfer, file, body.Origin) : file;
        Interlocked.Exchange(ref transfer.Bytes, have);
        Stream stream;
        try
        {
            stream = await response.Content.ReadAsStreamAsync(watch.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            file.Dispose();
            throw new DownloadFailedException($"the body did not start: {e.Message}", transient: !watch.PastDeadline, e);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        var pace = _options.LimitRate is { } rate ? new RateLimit(rate, _options.Time) : null;
        try
        {
            await using (stream.ConfigureAwait(false))
            {
                while (true)
                {
                    int read;
                    try
                    {
                        read = await stream.ReadAsync(buffer.AsMemory(0, pace?.ChunkSize ?? buffer.Length), watch.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        throw new DownloadFailedException(watch.Explain(have), transient: !watch.PastDeadline);
                    }
                    catch (Exception e) when (e is IOException or HttpRequestException)
                    {
                        throw new DownloadFailedException($"connection lost after {have} bytes: {e.Message}", transient: true, e);
                    }

                    if (read == 0)
                    {
                        break;
                    }

                    WritePart(file, buffer.AsSpan(0, read), transfer);
                    have += read;
                    if (_options.MaxSize is { } limit && have > limit)
                    {
                        throw new DownloadFailedException($"more than --max-size {limit} bytes", transient: false, keepPart: false);
                    }

                    if (!watch.OnRead(read))
                    {
                        throw new DownloadFailedException(watch.Explain(have), transient: true);
                    }

                    if (pace is not null)
                    {
                        await pace.WaitAsync(read, cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            Flush(file, transfer);
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A new <c>.part</c>: its meta file first (created exclusively: the proof it is weft's), then
    /// the file itself (created exclusively, never through a link).</summary>
    private FileStream CreatePart(Transfer transfer, Origin origin)
    {
        var part = transfer.Part!;
        try
        {
            new MetaFile(MetaFile.KeyOf(transfer.Url), origin.ETag, origin.LastModified, origin.Total).CreateNew(part.MetaPath);
        }
        catch (IOException e) when (PartFile.IsDiskFull(e))
        {
            throw DiskFull(part.MetaPath, e);
        }
        catch (IOException e)
        {
            transfer.Part = null; // someone took the name meanwhile: the next attempt chooses again
            throw new DownloadFailedException($"cannot create '{Path.GetFileName(part.MetaPath)}': {e.Message}", transient: true, e);
        }

        try
        {
            var file = _options.OpenPart(part.Path);
            transfer.Part = part with { Owned = true };
            return file;
        }
        catch (IOException e)
        {
            PartFile.TryDelete(part.MetaPath);
            transfer.Part = null;
            throw PartFile.IsDiskFull(e) ? DiskFull(part.Path, e) : new DownloadFailedException($"cannot create '{Path.GetFileName(part.Path)}': {e.Message}", transient: true, e);
        }
    }

    /// <summary>A 200 to a resume: weft's own <c>.part</c> starts over with the new version's meta.</summary>
    private static FileStream Truncate(Transfer transfer, FileStream file, Origin origin)
    {
        file.SetLength(0);
        file.Position = 0;
        new MetaFile(MetaFile.KeyOf(transfer.Url), origin.ETag, origin.LastModified, origin.Total).TryWrite(transfer.Part!.MetaPath);
        return file;
    }

    private void WritePart(FileStream file, ReadOnlySpan<byte> bytes, Transfer transfer)
    {
        try
        {
            file.Write(bytes);
        }
        catch (IOException e) when (PartFile.IsDiskFull(e))
        {
            throw DiskFull(transfer.Part!.Path, e);
        }

        Interlocked.Add(ref transfer.Bytes, bytes.Length);
        Interlocked.Add(ref transfer.Written, bytes.Length);
        Interlocked.Add(ref _bytes, bytes.Length);
    }

    private static void Flush(FileStream file, Transfer transfer)
    {
        try
        {
            file.Flush();
        }
        catch (IOException e) when (PartFile.IsDiskFull(e))
        {
            throw DiskFull(transfer.Part!.Path, e);
        }
    }

    private static DownloadFailedException DiskFull(string path, IOException e) =>
        new($"disk full writing '{Path.GetFileName(path)}': {e.Message}", transient: false, e) { StopsRun = true };

    /// <summary>Removes the URL's <c>.part</c> and its meta file, only when weft owns them; the next attempt
    /// starts from byte 0 with a fresh <c>.part</c>.</summary>
    private static void DiscardPart(Transfer transfer)
    {
        if (transfer.Part is { Owned: true } part)
        {
            PartFile.TryDelete(part.Path);
            PartFile.TryDelete(part.MetaPath);
            transfer.Part = part with { Owned = false, Have = 0 };
        }

        transfer.Origin = null;
    }

    /// <summary><paramref name="message"/>, saying that the <c>.part</c> is kept when there is one to resume.</summary>
    /// <remarks>Only <c>NAME.part</c> is found by <c>--resume</c>; a numbered <c>.part</c> (taken because
    /// <c>NAME.part</c> was someone else's) is removed instead of left behind.</remarks>
    private static string PartKept(Transfer transfer, string message)
    {
        if (transfer.Part is { Owned: true } part && PartFile.Occupied(part.Path))
        {
            if (Path.GetFileName(part.Path) == transfer.Plan.Name + ".part")
            {
                return $"{message}; the .part file is kept for --resume";
            }

            DiscardPart(transfer);
        }

        return message;
    }
}
