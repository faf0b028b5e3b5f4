using System.Buffers;
using System.Net.Http.Headers;

namespace Weft.Download;

/// <content>One attempt of one URL, as a pipeline of named steps: send, read the status, decide the
/// name and what to do about an existing file, stream to <c>.part</c>, verify, commit.</content>
public sealed partial class Downloader
{
    /// <summary>Runs one attempt on an executor worker (the tutorial's design: a worker per download;
    /// the I/O inside is async so the timeouts can cancel a read, and the worker waits for it) and turns
    /// every way it can end into an outcome, so no URL is ever left without a row.</summary>
    private AttemptOutcome RunAttempt(Transfer transfer, CancellationToken cancellationToken)
    {
        transfer.Clock.Start(); // runs from the first attempt to the outcome, back-offs included
        _active[transfer] = 0;
        try
        {
            var (result, commit) = WaitWithoutSpinning(AttemptAsync(transfer, cancellationToken));
            return new AttemptOutcome(result, TimeSpan.Zero, Commit: commit);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            KeepForResume(transfer);
            return new AttemptOutcome(Cancelled(transfer, "interrupted; the .part file is kept for --resume"), TimeSpan.Zero);
        }
        catch (DownloadFailedException e) when (e.Transient && transfer.Attempt <= _options.Retries && !PastDeadline(transfer))
        {
            return new AttemptOutcome(null, BackOff(transfer.Attempt, e.RetryAfter));
        }
        catch (DownloadFailedException e)
        {
            var message = e.Transient && _options.Retries > 0 ? $"{e.Message} (gave up after {transfer.Attempt} attempts)" : e.Message;
            if (e.KeepPart && File.Exists(transfer.PartPath))
            {
                KeepForResume(transfer);
                message += "; the .part file is kept for --resume";
            }
            else
            {
                DeletePart(transfer.PartPath);
            }

            return new AttemptOutcome(Failed(transfer, message), TimeSpan.Zero, e.StopsRun ? e.Message : null);
        }
#pragma warning disable CA1031 // The last line of defence: an unforeseen error fails this URL with a row, never the run.
        catch (Exception e)
#pragma warning restore CA1031
        {
            KeepForResume(transfer);
            return new AttemptOutcome(Failed(transfer, $"{e.GetType().Name}: {e.Message}"), TimeSpan.Zero);
        }
        finally
        {
            _active.TryRemove(transfer, out _);
        }
    }

    /// <summary>Blocks the worker until <paramref name="task"/> ends, parked at once: Task.Wait spins
    /// (sched_yield) first, and sixteen workers spinning take CPU from the very server and client they
    /// wait for on a small machine.</summary>
    private static T WaitWithoutSpinning<T>(Task<T> task)
    {
        if (!task.IsCompleted)
        {
            using var done = new ManualResetEventSlim(initialState: false, spinCount: 0);
            task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(done.Set);
            done.Wait();
        }

        return task.GetAwaiter().GetResult();
    }

    /// <summary>Steps 1 to 5; the verified <c>.part</c> is then committed (step 6) off the worker.</summary>
    /// <returns>A result when nothing is left to commit, else where to commit the <c>.part</c>.</returns>
    private async Task<(DownloadResult? Result, Destination? Commit)> AttemptAsync(Transfer transfer, CancellationToken cancellationToken)
    {
        transfer.Attempt++;
        transfer.Deadline ??= _options.MaxTime is { } max ? _options.Time.GetUtcNow() + max : null;
        using var watch = new TransferWatch(_options, transfer.Deadline, cancellationToken);
        var have = PartLengthForResume(transfer);
        using var response = await SendAsync(transfer, have, watch, cancellationToken).ConfigureAwait(false);
        var body = ReadStatus(transfer, response, have);
        if (body.NotModified)
        {
            return (Skipped(transfer, transfer.Plan.Name, "not modified (304)"), null);
        }

        var destination = transfer.Destination ??= await DecideDestinationAsync(transfer, response, body.Total, cancellationToken).ConfigureAwait(false);
        if (destination.SkipReason is { } reason)
        {
            return (Skipped(transfer, destination.Name, reason), null);
        }

        if (!body.Complete)
        {
            await StreamToPartAsync(transfer, response, body.Offset, watch, cancellationToken).ConfigureAwait(false);
        }

        await VerifyAsync(transfer, body.Total, cancellationToken).ConfigureAwait(false);
        return (null, destination);
    }

    /// <summary>Step 1: the request, with <c>Range</c>/<c>If-Range</c> to continue a <c>.part</c>, or
    /// <c>If-None-Match</c>/<c>If-Modified-Since</c> when weft's own earlier copy is there.</summary>
    private async Task<HttpResponseMessage> SendAsync(Transfer transfer, long have, TransferWatch watch, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, transfer.Url);
        foreach (var (name, value) in _options.Headers)
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (have > 0)
        {
            request.Headers.Range = new RangeHeaderValue(have, null);
            if (transfer.PartMeta?.Validator is { } validator)
            {
                request.Headers.TryAddWithoutValidation("If-Range", validator);
            }
        }
        else if (OwnEarlierCopy(transfer) is { } meta)
        {
            if (meta.ETag is not null)
            {
                request.Headers.TryAddWithoutValidation("If-None-Match", meta.ETag);
            }

            if (meta.LastModified is not null)
            {
                request.Headers.TryAddWithoutValidation("If-Modified-Since", meta.LastModified);
            }
        }

        try
        {
            return await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, watch.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DownloadFailedException(watch.Explain(0), transient: !watch.PastDeadline);
        }
        catch (HttpRequestException e)
        {
            throw new DownloadFailedException($"request failed: {e.Message}", transient: true, e);
        }
    }

    /// <summary>Step 2: what the status line says: not modified, a body from an offset, a complete
    /// <c>.part</c> (416 at its exact length, as curl's <c>-C -</c>), or a failure.</summary>
    private Body ReadStatus(Transfer transfer, HttpResponseMessage response, long have)
    {
        var code = (int)response.StatusCode;
        transfer.HttpStatus = code;
        var finalUri = response.RequestMessage?.RequestUri ?? transfer.Url;
        transfer.FinalUrl = finalUri == transfer.Url ? null : finalUri;
        if (transfer.Url.Scheme == Uri.UriSchemeHttps && finalUri.Scheme != Uri.UriSchemeHttps)
        {
            throw new DownloadFailedException("redirected from https to http: refused", transient: false);
        }

        if (code == 304)
        {
            return new Body(0, null, Complete: false, NotModified: true);
        }

        if (code == 416 && have > 0)
        {
            if (response.Content.Headers.ContentRange?.Length == have)
            {
                transfer.Length = have;
                return new Body(have, have, Complete: true);
            }

            transfer.RestartFromZero = true;
            throw new DownloadFailedException($"the server refused to resume at byte {have} (416)", transient: true);
        }

        if (code is not (200 or 206))
        {
            var reason = code is >= 300 and < 400
                ? $"HTTP {code}: redirect not followed (more than --max-redirs {_options.MaxRedirects}, or to an unsafe scheme)"
                : $"HTTP {code} {response.ReasonPhrase}";
            throw new DownloadFailedException(reason, transient: code is 408 or 425 or 429 or >= 500, retryAfter: RetryAfterOf(response));
        }

        long? total;
        if (code == 206)
        {
            var range = response.Content.Headers.ContentRange;
            if (range?.From != have)
            {
                transfer.RestartFromZero = true;
                throw new DownloadFailedException($"the server resumed at byte {range?.From} instead of {have}", transient: true);
            }

            total = range.Length;
        }
        else
        {
            have = 0;
            total = response.Content.Headers.ContentLength;
            transfer.PartMeta = new MetaFile(transfer.Url, response.Headers.ETag?.ToString(), response.Content.Headers.LastModified?.ToString("R"));
        }

        transfer.Length = total;
        if (_options.MaxSize is { } max && total > max)
        {
            throw new DownloadFailedException($"{total} bytes is larger than --max-size {max}", transient: false, keepPart: false);
        }

        return new Body(have, total, Complete: false);
    }

    /// <summary>Step 4: the body into the <c>.part</c> file, under the idle, speed and deadline clocks.
    /// A full disk stops the whole run (every other file would hit it too); the <c>.part</c> is kept.</summary>
    private async Task StreamToPartAsync(Transfer transfer, HttpResponseMessage response, long have, TransferWatch watch, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref transfer.Bytes, have);
        Stream body;
        try
        {
            body = await response.Content.ReadAsStreamAsync(watch.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new DownloadFailedException($"the body did not start: {e.Message}", transient: !watch.PastDeadline, e);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            // Plain synchronous file writes: on Linux "async" file I/O is a thread-pool hop per write,
            // and a 64 KB write to the page cache costs microseconds.
            using var file = OpenPart(transfer.PartPath, have > 0);
            await using (body.ConfigureAwait(false))
            {
                while (true)
                {
                    int read;
                    try
                    {
                        read = await body.ReadAsync(buffer, watch.Token).ConfigureAwait(false);
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
                }
            }

            FlushPart(file, transfer);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Step 5: the length the server promised, and the sha256 the list or manifest promised
    /// for this URL (whatever its final name); a mismatch keeps nothing.</summary>
    private async Task VerifyAsync(Transfer transfer, long? total, CancellationToken cancellationToken)
    {
        var have = File.Exists(transfer.PartPath) ? new FileInfo(transfer.PartPath).Length : 0;
        if (total is { } expected && have != expected)
        {
            throw new DownloadFailedException($"short body: {have} of {expected} bytes", transient: true);
        }

        if (transfer.ExpectedSha256 is { } sha)
        {
            var actual = await FileContent.Sha256Async(transfer.PartPath, cancellationToken).ConfigureAwait(false);
            if (!string.Equals(actual, sha, StringComparison.OrdinalIgnoreCase))
            {
                throw new DownloadFailedException($"sha256 mismatch: expected {sha}, got {actual}", transient: false, keepPart: false);
            }
        }
    }

    private Stream OpenPart(string path, bool append)
    {
        try
        {
            return _options.OpenPart(path, append);
        }
        catch (IOException e) when (PartFile.IsDiskFull(e))
        {
            throw DiskFull(path, e);
        }
    }

    private void WritePart(Stream file, ReadOnlySpan<byte> bytes, Transfer transfer)
    {
        try
        {
            file.Write(bytes);
        }
        catch (IOException e) when (PartFile.IsDiskFull(e))
        {
            throw DiskFull(transfer.PartPath, e);
        }

        Interlocked.Add(ref transfer.Bytes, bytes.Length);
        Interlocked.Add(ref transfer.Written, bytes.Length);
        Interlocked.Add(ref _bytes, bytes.Length);
    }

    private void FlushPart(Stream file, Transfer transfer)
    {
        try
        {
            file.Flush();
        }
        catch (IOException e) when (PartFile.IsDiskFull(e))
        {
            throw DiskFull(transfer.PartPath, e);
        }
    }

    private static DownloadFailedException DiskFull(string path, IOException e) =>
        new($"disk full writing '{Path.GetFileName(path)}': {e.Message}", transient: false, e) { StopsRun = true };

    /// <summary>The bytes already in the <c>.part</c> to continue from: a retry in this run always
    /// continues; a <c>.part</c> from an earlier run only with <c>--resume</c> (and its <c>.meta</c> gives
    /// the If-Range validator); otherwise it is started over.</summary>
    private long PartLengthForResume(Transfer transfer)
    {
        var path = transfer.PartPath;
        if (transfer.Attempt == 1)
        {
            if (!_options.Resume)
            {
                DeletePart(path);
                return 0;
            }

            transfer.PartMeta = MetaFile.TryRead(path + MetaFile.Suffix, transfer.Url);
        }

        if (transfer.RestartFromZero || PartFile.IsLink(path))
        {
            transfer.RestartFromZero = false;
            DeletePart(path);
            return 0;
        }

        return File.Exists(path) ? new FileInfo(path).Length : 0;
    }

    /// <summary>Weft's own complete copy of this URL under its planned name, if it is still untouched:
    /// then a re-run asks the server whether it changed (a 304 costs no download).</summary>
    private MetaFile? OwnEarlierCopy(Transfer transfer)
    {
        if (_options.OnExists != OnExists.Skip || transfer.Destination is not null)
        {
            return null;
        }

        var path = FileNames.ResolveInside(_options.OutputDirectory, transfer.Plan.Name);
        return MetaFile.TryRead(MetaPathOf(path), transfer.Url) is { } meta && meta.Describes(path, transfer.Url) && meta.Validator is not null ? meta : null;
    }

    private TimeSpan BackOff(int attempt, TimeSpan? retryAfter)
    {
        // Full jitter (AWS's "Exponential Backoff And Jitter"): uniform in [0, min(cap, base * 2^k)],
        // but never sooner than a (capped) Retry-After.
        var ceiling = Math.Min(_options.RetryMaxDelay.TotalMilliseconds, _options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt));
        var delay = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
        if (retryAfter is { } wanted)
        {
            var honoured = wanted < _options.MaxRetryAfter ? wanted : _options.MaxRetryAfter;
            delay = honoured > delay ? honoured : delay;
        }

        return delay;
    }

    private bool PastDeadline(Transfer transfer) => transfer.Deadline is { } deadline && _options.Time.GetUtcNow() >= deadline;

    private TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - _options.Time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    /// <summary>What the status line allows: a body from <see cref="Offset"/>, or nothing to fetch.</summary>
    private readonly record struct Body(long Offset, long? Total, bool Complete, bool NotModified = false);
}
