using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Weft.Download;

/// <content>One URL: the retry loop and a single attempt.</content>
public sealed partial class Downloader
{
    /// <summary>Beside <c>name.part</c>: the ETag or Last-Modified of the partial body, for If-Range on --resume.</summary>
    private const string MetaSuffix = ".meta";

    private DownloadResult DownloadOne(PlannedDownload plan, CancellationToken cancellationToken)
    {
        // A worker thread of the executor, as in the tutorial; the I/O inside is async so that the idle
        // timeout can cancel a read, and the worker waits for it.
        return DownloadOneAsync(plan, cancellationToken).GetAwaiter().GetResult();
    }

    private async Task<DownloadResult> DownloadOneAsync(PlannedDownload plan, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var transfer = new Transfer(plan.Name);
        var partPath = FileNames.ResolveInside(_options.OutputDirectory, plan.Name + ".part");
        if (cancellationToken.IsCancellationRequested)
        {
            return new DownloadResult(plan.Request, DownloadStatus.Cancelled) { Error = "interrupted before it started" };
        }

        if (!_options.Resume && File.Exists(partPath))
        {
            TryDelete(partPath); // a .part of unknown origin is started over unless --resume
        }
        else if (File.Exists(partPath) && File.Exists(partPath + MetaSuffix))
        {
            // The validator an earlier run saw, so the resume sends If-Range and a changed file restarts.
            transfer.Validator = File.ReadAllText(partPath + MetaSuffix).Trim() is { Length: > 0 } saved ? saved : null;
        }

        _active[plan] = transfer;
        try
        {
            await _pipeline.ExecuteAsync(
                async token => await AttemptAsync(plan, transfer, partPath, token).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            return new DownloadResult(plan.Request, transfer.Skipped ? DownloadStatus.Skipped : DownloadStatus.Saved)
            {
                Path = transfer.FinalPath,
                HttpStatus = transfer.HttpStatus,
                Bytes = transfer.FileBytes,
                Attempts = transfer.Attempt,
                Elapsed = clock.Elapsed,
                Error = transfer.SkipReason,
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            KeepForResume(partPath, transfer);
            return Outcome(DownloadStatus.Cancelled, "interrupted; the .part file is kept for --resume");
        }
        catch (DownloadFailedException e)
        {
            if (!e.KeepPart)
            {
                TryDelete(partPath);
            }
            else
            {
                KeepForResume(partPath, transfer);
            }

            return Outcome(DownloadStatus.Failed, e.Transient && _options.Retries > 0 ? $"{e.Message} (gave up after {transfer.Attempt} attempts)" : e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or HttpRequestException)
        {
            return Outcome(DownloadStatus.Failed, e.Message);
        }
        finally
        {
            _active.TryRemove(plan, out _);
        }

        DownloadResult Outcome(DownloadStatus status, string error) => new(plan.Request, status)
        {
            HttpStatus = transfer.HttpStatus,
            Attempts = transfer.Attempt,
            Elapsed = clock.Elapsed,
            Error = error,
        };
    }

    private async Task AttemptAsync(PlannedDownload plan, Transfer transfer, string partPath, CancellationToken cancellationToken)
    {
        transfer.Attempt++;
        var gate = HostGate(plan.Request.Url);
        if (gate is not null)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            idle.CancelAfter(_options.IdleTimeout);
            var have = File.Exists(partPath) ? new FileInfo(partPath).Length : 0;
            using var request = new HttpRequestMessage(HttpMethod.Get, plan.Request.Url);
            if (have > 0)
            {
                request.Headers.Range = new RangeHeaderValue(have, null);
                if (transfer.Validator is { } validator)
                {
                    request.Headers.TryAddWithoutValidation("If-Range", validator);
                }
            }

            HttpResponseMessage response;
            try
            {
                response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, idle.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new DownloadFailedException($"no response within {_options.IdleTimeout.TotalSeconds:0.#} s", transient: true);
            }
            catch (HttpRequestException e)
            {
                throw new DownloadFailedException($"request failed: {e.Message}", transient: true, e);
            }

            using (response)
            {
                await ReceiveAsync(plan, transfer, partPath, have, response, idle, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            gate?.Release();
        }
    }

    private async Task ReceiveAsync(PlannedDownload plan, Transfer transfer, string partPath, long have, HttpResponseMessage response, CancellationTokenSource idle, CancellationToken cancellationToken)
    {
        var code = (int)response.StatusCode;
        transfer.HttpStatus = code;
        var finalUri = response.RequestMessage?.RequestUri ?? plan.Request.Url;
        if (plan.Request.Url.Scheme == Uri.UriSchemeHttps && finalUri.Scheme != Uri.UriSchemeHttps)
        {
            throw new DownloadFailedException("redirected from https to http: refused", transient: false);
        }

        if (code == 416 && have > 0)
        {
            TryDelete(partPath);
            throw new DownloadFailedException("the server refused to resume (416); starting over", transient: true);
        }

        if (code is not (200 or 206))
        {
            var retryable = code is 408 or 425 or 429 or >= 500;
            var reason = code is >= 300 and < 400 ? $"HTTP {code}: redirect not followed (more than 10, or to an unsafe scheme)" : $"HTTP {code} {response.ReasonPhrase}";
            throw new DownloadFailedException(reason, retryable, retryAfter: RetryAfterOf(response));
        }

        long? total;
        if (code == 206)
        {
            var range = response.Content.Headers.ContentRange;
            if (range?.From != have)
            {
                TryDelete(partPath);
                throw new DownloadFailedException("the server resumed at the wrong offset; starting over", transient: true);
            }

            total = range.Length;
        }
        else
        {
            have = 0;
            total = response.Content.Headers.ContentLength;
            transfer.Validator = response.Headers.ETag?.ToString() ?? response.Content.Headers.LastModified?.ToString("R");
        }

        transfer.Length = total;
        if (_options.MaxSize is { } max && total > max)
        {
            throw new DownloadFailedException($"{total} bytes is larger than --max-size {max}", transient: false, keepPart: false);
        }

        var finalPath = ResolveFinalName(plan, transfer, response);
        if (!transfer.ExistingChecked)
        {
            transfer.ExistingChecked = true;
            if (File.Exists(finalPath))
            {
                switch (_options.OnExists)
                {
                    case OnExists.Skip when await IsCompleteAsync(finalPath, transfer, total, cancellationToken).ConfigureAwait(false):
                        transfer.Skipped = true;
                        transfer.SkipReason = "already complete";
                        transfer.FinalPath = finalPath;
                        transfer.FileBytes = new FileInfo(finalPath).Length;
                        return;
                    case OnExists.Fail:
                        throw new DownloadFailedException($"'{transfer.FinalName}' exists (--on-exists fail)", transient: false, keepPart: false);
                    case OnExists.Rename:
                        transfer.FinalName = FileNames.Numbered(transfer.FinalName!, n => !File.Exists(FileNames.ResolveInside(_options.OutputDirectory, n)) && _claimedNames.TryAdd(n, plan.Request.Url));
                        finalPath = FileNames.ResolveInside(_options.OutputDirectory, transfer.FinalName);
                        break;
                    default:
                        transfer.OverwriteExisting = true; // Overwrite, or Skip of an incomplete file
                        break;
                }
            }
        }

        Interlocked.Exchange(ref transfer.Bytes, have);
        // Plain synchronous file writes: on Linux "async" file I/O is a thread-pool hop per write, and a
        // 64 KB write to the page cache costs microseconds.
        var file = new FileStream(partPath, have > 0 ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        await using (file.ConfigureAwait(false))
        {
            Stream body;
            try
            {
                body = await response.Content.ReadAsStreamAsync(idle.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                throw new DownloadFailedException($"the body did not start: {e.Message}", transient: true, e);
            }

            await using (body.ConfigureAwait(false))
            {
                var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
                try
                {
                    while (true)
                    {
                        int read;
                        idle.CancelAfter(_options.IdleTimeout);
                        try
                        {
                            read = await body.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                        {
                            throw new DownloadFailedException($"stalled: no data for {_options.IdleTimeout.TotalSeconds:0.#} s after {have} bytes", transient: true);
                        }
                        catch (Exception e) when (e is IOException or HttpRequestException)
                        {
                            throw new DownloadFailedException($"connection lost after {have} bytes: {e.Message}", transient: true, e);
                        }

                        if (read == 0)
                        {
                            break;
                        }

                        file.Write(buffer, 0, read);
                        have += read;
                        Interlocked.Add(ref transfer.Bytes, read);
                        Interlocked.Add(ref _bytes, read);
                        if (_options.MaxSize is { } limit && have > limit)
                        {
                            throw new DownloadFailedException($"more than --max-size {limit} bytes", transient: false, keepPart: false);
                        }
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }

        if (total is { } expected && have != expected)
        {
            throw new DownloadFailedException($"short body: {have} of {expected} bytes", transient: true);
        }

        if (ExpectedHash(plan, transfer) is { } sha)
        {
            var actual = await HashAsync(partPath, cancellationToken).ConfigureAwait(false);
            if (!string.Equals(actual, sha, StringComparison.OrdinalIgnoreCase))
            {
                throw new DownloadFailedException($"sha256 mismatch: expected {sha}, got {actual}", transient: false, keepPart: false);
            }
        }

        File.Move(partPath, finalPath, overwrite: transfer.OverwriteExisting);
        TryDelete(partPath + MetaSuffix);
        transfer.FinalPath = finalPath;
        transfer.FileBytes = have;
    }

    private string ResolveFinalName(PlannedDownload plan, Transfer transfer, HttpResponseMessage response)
    {
        if (transfer.FinalName is null)
        {
            var name = plan.Name;
            if (plan.Request.Name is null)
            {
                // A server-supplied name is used only when no other URL of this run has claimed it.
                var offered = FileNames.FromContentDisposition(response.Content.Headers.ContentDisposition);
                if (offered is not null && (string.Equals(offered, name, StringComparison.OrdinalIgnoreCase) || _claimedNames.TryAdd(offered, plan.Request.Url)))
                {
                    name = offered;
                }

                var typed = FileNames.WithExtension(name, response.Content.Headers.ContentType?.MediaType);
                if (typed != name && _claimedNames.TryAdd(typed, plan.Request.Url))
                {
                    name = typed;
                }
            }

            transfer.FinalName = name;
            transfer.Name = name;
        }

        return FileNames.ResolveInside(_options.OutputDirectory, transfer.FinalName);
    }

    private string? ExpectedHash(PlannedDownload plan, Transfer transfer) =>
        plan.Request.Sha256 ?? (_options.Checksums is { } sums && transfer.FinalName is { } name && sums.TryGetValue(name, out var sha) ? sha : null);

    private async Task<bool> IsCompleteAsync(string path, Transfer transfer, long? total, CancellationToken cancellationToken)
    {
        var plan = _active.FirstOrDefault(p => ReferenceEquals(p.Value, transfer)).Key;
        if (plan is not null && ExpectedHash(plan, transfer) is { } sha)
        {
            return string.Equals(await HashAsync(path, cancellationToken).ConfigureAwait(false), sha, StringComparison.OrdinalIgnoreCase);
        }

        return total is { } length && new FileInfo(path).Length == length;
    }

    private static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        }
    }

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    /// <summary>Saves the validator beside a kept <c>.part</c> (only then: a complete download never
    /// needs it, so the common path writes no extra file).</summary>
    private static void KeepForResume(string partPath, Transfer transfer)
    {
        try
        {
            if (transfer.Validator is { } validator && File.Exists(partPath))
            {
                File.WriteAllText(partPath + MetaSuffix, validator);
            }
        }
        catch (IOException)
        {
            // Without it, --resume still works, only without If-Range.
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            if (path.EndsWith(".part", StringComparison.Ordinal))
            {
                File.Delete(path + MetaSuffix);
            }
        }
        catch (IOException)
        {
            // Best effort: a leftover .part never carries a final name.
        }
    }
}
