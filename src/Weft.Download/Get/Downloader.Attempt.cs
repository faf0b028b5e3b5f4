using System.Security.Cryptography;

namespace Weft.Download;

/// <content>One attempt of one URL, as a pipeline of named steps, each returning what the next needs:
/// look before asking, choose the <c>.part</c>, send, read the status, decide the name and what to do
/// about an existing file, stream to <c>.part</c>, verify; the commit follows off the worker.</content>
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
            var step = WaitWithoutSpinning(AttemptAsync(transfer, cancellationToken));
            return new AttemptOutcome(step.Result, TimeSpan.Zero, Commit: step.Commit);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new AttemptOutcome(Cancelled(transfer, PartKept(transfer, "interrupted")), TimeSpan.Zero);
        }
        catch (DownloadFailedException e) when (e.Transient && transfer.Attempt <= _options.Retries && !PastDeadline(transfer) && !TooLongToWait(e))
        {
            if (e.Restart)
            {
                DiscardPart(transfer);
            }

            transfer.LastError = e.Message;
            var delay = BackOff(transfer.Attempt, e.RetryAfter);
            return new AttemptOutcome(null, delay, HostPause: e.BackPressure ? delay : null);
        }
        catch (DownloadFailedException e)
        {
            var message = e.Transient && _options.Retries > 0 ? $"{e.Message} (gave up after {transfer.Attempt} attempts)" : e.Message;
            if (TooLongToWait(e))
            {
                message = $"{e.Message}: the server asked to wait {e.RetryAfter!.Value.TotalSeconds:0} s, more than the {_options.MaxRetryAfter.TotalSeconds:0} s weft waits";
            }

            if (e.KeepPart)
            {
                message = PartKept(transfer, message);
            }
            else
            {
                DiscardPart(transfer);
            }

            return new AttemptOutcome(Failed(transfer, message), TimeSpan.Zero, e.StopsRun ? e.Message : null);
        }
#pragma warning disable CA1031 // The last line of defence: an unforeseen error fails this URL with a row, never the run.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new AttemptOutcome(Failed(transfer, PartKept(transfer, $"{e.GetType().Name}: {e.Message}")), TimeSpan.Zero);
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

    /// <summary>The steps of one attempt. The open <c>.part</c> is handed to the commit (which fsyncs that
    /// very handle) or closed here.</summary>
    private async Task<AttemptStep> AttemptAsync(Transfer transfer, CancellationToken cancellationToken)
    {
        transfer.Attempt++;
        transfer.Deadline ??= _options.MaxTime is { } max ? _options.Time.GetUtcNow() + max : null;
        if (transfer.Attempt == 1 && await LookBeforeAskingAsync(transfer, cancellationToken).ConfigureAwait(false) is { } early)
        {
            return new AttemptStep(early, null);
        }

        using var watch = new TransferWatch(_options, transfer.Deadline, cancellationToken);
        var part = transfer.Part ??= ClaimPart(transfer);
        var file = OpenOwnPart(part);
        try
        {
            var have = file?.Length ?? 0;
            using var response = await SendAsync(transfer, have, watch, cancellationToken).ConfigureAwait(false);
            var body = ReadStatus(transfer, response, have);
            transfer.Origin = body.Origin;
            if (body.NotModified)
            {
                return new AttemptStep(Skipped(transfer, transfer.OwnCopy!.Name, "not modified (304)"), null);
            }

            var destination = transfer.Destination ??= await DecideDestinationAsync(transfer, response.Message, cancellationToken).ConfigureAwait(false);
            if (destination.SkipReason is { } reason)
            {
                return new AttemptStep(Skipped(transfer, destination.Name, reason), null);
            }

            if (!body.Complete)
            {
                file = await StreamToPartAsync(transfer, file, response.Message, body, watch, cancellationToken).ConfigureAwait(false);
            }

            await VerifyAsync(transfer, file!, body.Origin.Total, cancellationToken).ConfigureAwait(false);
            var commit = new Commit(destination, file!, response.Message.Content.Headers.LastModified);
            file = null; // the commit owns it now
            return new AttemptStep(null, commit);
        }
        finally
        {
            file?.Dispose();
        }
    }

    /// <summary>Step: what the status line says: not modified, a body from an offset, a complete
    /// <c>.part</c> (416 at its exact length, as curl's <c>-C -</c>), or a failure. A 206 must continue the
    /// very version and length the <c>.part</c> began with, at the byte asked for; anything else starts over.</summary>
    private Body ReadStatus(Transfer transfer, Response response, long have)
    {
        var message = response.Message;
        var code = (int)message.StatusCode;
        transfer.HttpStatus = code;
        transfer.FinalUrl = response.FinalUrl == MetaFile.WithoutCredentials(transfer.Url) ? null : response.FinalUrl;
        var origin = transfer.Origin ?? new Origin(null, null, null);
        if (code == 304)
        {
            return response.Conditional
                ? new Body(0, origin, Complete: false, NotModified: true)
                : throw new DownloadFailedException("HTTP 304 Not Modified to a request that was not conditional: no file", transient: false);
        }

        if (code == 416 && have > 0)
        {
            var length = message.Content.Headers.ContentRange?.Length;
            if (length == have && (origin.Total ?? have) == have)
            {
                transfer.Length = have;
                return new Body(have, origin with { Total = have }, Complete: true);
            }

            throw new DownloadFailedException($"the server refused to resume at byte {have} (416)", transient: true) { Restart = true };
        }

        if (code is not (200 or 206))
        {
            var reason = code is >= 300 and < 400
                ? $"HTTP {code}: redirect not followed (more than --max-redirs {_options.MaxRedirects}, or no Location)"
                : $"HTTP {code} {Printable.Escape(message.ReasonPhrase)}";
            throw new DownloadFailedException(reason, transient: code is 408 or 425 or 429 or >= 500, retryAfter: RetryAfterOf(message))
            {
                BackPressure = code is 429 or 503,
            };
        }

        var served = new Origin(message.Headers.ETag?.ToString(), message.Content.Headers.LastModified?.ToString("R"), null);
        if (code == 206 && have > 0)
        {
            var range = message.Content.Headers.ContentRange;
            if (range?.From != have)
            {
                throw new DownloadFailedException($"the server resumed at byte {range?.From} instead of {have}", transient: true) { Restart = true };
            }

            if (!SameVersion(origin, served))
            {
                throw new DownloadFailedException($"the server resumed with another version ({Printable.Escape(served.ETag ?? served.LastModified ?? "no validator")}; the .part began as {Printable.Escape(origin.ETag ?? origin.LastModified)})", transient: true) { Restart = true };
            }

            if (origin.Total is { } first && range.Length is { } said && first != said)
            {
                throw new DownloadFailedException($"the file's length changed from {first} to {said} bytes", transient: true) { Restart = true };
            }

            origin = origin with { Total = origin.Total ?? range.Length };
        }
        else if (code == 206)
        {
            // A range nobody asked for: only a whole file from byte 0 is usable.
            var range = message.Content.Headers.ContentRange;
            if (range?.From != 0 || range.To + 1 != range.Length)
            {
                throw new DownloadFailedException($"HTTP 206 with '{Printable.Escape(range?.ToString())}' to a request for the whole file", transient: true);
            }

            origin = served with { Total = range.Length };
        }
        else
        {
            have = 0;
            origin = served with { Total = message.Content.Headers.ContentLength };
        }

        transfer.Length = origin.Total;
        if (_options.MaxSize is { } max && origin.Total > max)
        {
            throw new DownloadFailedException($"{origin.Total} bytes is larger than --max-size {max}", transient: false, keepPart: false);
        }

        return new Body(have, origin, Complete: false);
    }

    /// <summary>Step: the length the first response promised, and the sha256 the list or manifest promised
    /// for this URL (whatever its final name), both read from the very handle that was written.</summary>
    private async Task VerifyAsync(Transfer transfer, FileStream file, long? total, CancellationToken cancellationToken)
    {
        var have = file.Length;
        if (total is { } expected && have != expected)
        {
            throw have < expected
                ? new DownloadFailedException($"short body: {have} of {expected} bytes", transient: true)
                : new DownloadFailedException($"{have} bytes, more than the {expected} promised", transient: true) { Restart = true };
        }

        if (transfer.ExpectedSha256 is { } sha)
        {
            file.Position = 0;
            var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false));
            if (!string.Equals(actual, sha, StringComparison.OrdinalIgnoreCase))
            {
                throw new DownloadFailedException($"sha256 mismatch: expected {sha}, got {actual}", transient: false, keepPart: false);
            }
        }
    }

    /// <summary>Whether a 206 continues the version the <c>.part</c> began with: the same ETag when it began
    /// with one, else the same Last-Modified when it began with one (with neither, nothing can be checked).</summary>
    private static bool SameVersion(Origin began, Origin now) =>
        began.ETag is { } etag ? etag == now.ETag : began.LastModified is not { } modified || modified == now.LastModified;

    private bool TooLongToWait(DownloadFailedException e) => e.RetryAfter is { } wait && wait > _options.MaxRetryAfter;

    private TimeSpan BackOff(int attempt, TimeSpan? retryAfter) =>
        RetryDelay.Of(attempt, retryAfter, _options.RetryBaseDelay, _options.RetryMaxDelay, Random.Shared.NextDouble());

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
    private readonly record struct Body(long Offset, Origin Origin, bool Complete, bool NotModified = false);

    /// <summary>How an attempt's steps ended: a result, or a verified <c>.part</c> to commit.</summary>
    private readonly record struct AttemptStep(DownloadResult? Result, Commit? Commit);
}

/// <summary>A verified <c>.part</c>, still open, and where it goes.</summary>
/// <param name="Destination">The final name and what to do about a file there.</param>
/// <param name="File">The handle the bytes were written through (fsynced, then closed, by the commit).</param>
/// <param name="LastModified">The server's Last-Modified (for <c>--remote-time</c>).</param>
internal sealed record Commit(Destination Destination, FileStream File, DateTimeOffset? LastModified);
