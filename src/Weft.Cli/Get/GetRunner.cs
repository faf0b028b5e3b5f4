using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Weft.Download;

namespace Weft.Cli.Get;

/// <summary>Runs <c>weft get</c> as named steps: check the options, load the checksums, collect the
/// URLs, report malformed lines, plan or download, report. Exit codes are <see cref="DownloadExitCode"/>.</summary>
internal static class GetRunner
{
    public static async Task<int> RunAsync(GetArguments args, GetConsole console, CancellationToken cancellationToken)
    {
        if (CheckOptions(args) is { } problem)
        {
            return UsageError(console, problem);
        }

        if (LoadChecksums(args, out var download) is { } badManifest)
        {
            return UsageError(console, badManifest);
        }

        using var downloader = new Downloader(download);
        var (requests, errors, listProblem) = await CollectRequestsAsync(args, console, downloader, cancellationToken).ConfigureAwait(false);
        if (listProblem is { } exit)
        {
            return (int)exit;
        }

        ReportMalformed(errors, console);
        if (args.Strict && errors.Count > 0)
        {
            return UsageError(console, $"{errors.Count} malformed line(s); --strict refuses the whole list");
        }

        if (requests.Count == 0)
        {
            return errors.Count > 0 ? (int)DownloadExitCode.AllFailed : UsageError(console, "no URLs: give URLs or -i FILE|URL|-");
        }

        var json = args.Json ? new JsonLines(console.Out) : null;
        if (args.DryRun)
        {
            return DryRun.Print(Downloader.Plan(requests, download), download, console, errors.Count, json);
        }

        if (CreateOutputDirectory(download) is { } noDirectory)
        {
            return UsageError(console, noDirectory);
        }

        var (summary, results) = await DownloadAsync(args, console, downloader, requests, json, cancellationToken).ConfigureAwait(false);
        summary = summary with { InvalidLines = errors.Count };
        Report(args, console, json, summary, results);
        return summary.ExitCode;
    }

    /// <summary>Step 1: what the parser cannot check alone: a URL at all, and every range of
    /// <see cref="DownloadOptions.Validate"/> (the parser's validators read the same ranges; this is the net
    /// under them, so no value ever reaches a request and fails there).</summary>
    private static string? CheckOptions(GetArguments args)
    {
        if (args.Urls.Count == 0 && args.Input is null)
        {
            return "no URLs: give URLs or -i FILE|URL|-";
        }

        try
        {
            args.Download.Validate();
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }

    /// <summary>Step 2: the <c>--checksums</c> manifest into the options.</summary>
    private static string? LoadChecksums(GetArguments args, out DownloadOptions download)
    {
        download = args.Download;
        if (args.ChecksumsFile is not { } checksumsFile)
        {
            return null;
        }

        try
        {
            using var reader = File.OpenText(checksumsFile);
            download = download with { Checksums = ChecksumManifest.Parse(reader) };
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return $"--checksums: {Printable.Escape(e.Message)}";
        }
    }

    /// <summary>Step 3: the URLs from the arguments and the <c>-i</c> list, with the malformed ones.</summary>
    private static async Task<(List<DownloadRequest> Requests, List<DownloadListError> Errors, DownloadExitCode? Exit)> CollectRequestsAsync(
        GetArguments args, GetConsole console, Downloader downloader, CancellationToken cancellationToken)
    {
        var requests = new List<DownloadRequest>();
        var errors = new List<DownloadListError>();
        for (var i = 0; i < args.Urls.Count; i++)
        {
            if (DownloadList.TryParseUrl(args.Urls[i], out var url, out var reason))
            {
                requests.Add(new DownloadRequest(url));
            }
            else
            {
                errors.Add(new DownloadListError(0, args.Urls[i], $"argument {i + 1}: {reason}"));
            }
        }

        if (args.Input is { } input)
        {
            try
            {
                var list = await ListReader.ReadAsync(input, console.In, downloader, cancellationToken).ConfigureAwait(false);
                requests.AddRange(list.Requests);
                errors.AddRange(list.Errors);
            }
            catch (ListUnavailableException e)
            {
                UsageError(console, $"cannot read the list '{Printable.Escape(input)}': {Printable.Escape(e.Message)}");
                return (requests, errors, DownloadExitCode.Usage);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return (requests, errors, DownloadExitCode.Interrupted);
            }
        }

        return (requests, errors, null);
    }

    /// <summary>Step 4: each malformed line, with its number, escaped.</summary>
    private static void ReportMalformed(IEnumerable<DownloadListError> errors, GetConsole console)
    {
        foreach (var error in errors)
        {
            console.Error.WriteLine(Printable.Escape(error.Line > 0 ? $"weft get: {error}" : $"weft get: {error.Reason}: {error.Text}"));
        }
    }

    private static string? CreateOutputDirectory(DownloadOptions download)
    {
        try
        {
            Directory.CreateDirectory(download.OutputDirectory);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return $"cannot create the output directory '{Printable.Escape(download.OutputDirectory)}': {Printable.Escape(e.Message)}";
        }
    }

    /// <summary>Step 5: the run, with the progress display beside it.</summary>
    private static async Task<(DownloadSummary Summary, DownloadResult[] Results)> DownloadAsync(
        GetArguments args, GetConsole console, Downloader downloader, List<DownloadRequest> requests, JsonLines? json, CancellationToken cancellationToken)
    {
        var results = new ConcurrentQueue<DownloadResult>();
        using var stop = new CancellationTokenSource();
        var view = args.Quiet ? null : ProgressView.Start(downloader, console, args.Json, stop.Token);
        try
        {
            var summary = await downloader.RunAsync(
                requests,
                result =>
                {
                    results.Enqueue(result);
                    json?.Write(result);
                },
                cancellationToken).ConfigureAwait(false);
            return (summary, results.OrderBy(r => r.Request.Line).ToArray());
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            if (view is not null)
            {
                await view.ConfigureAwait(false);
            }
        }
    }

    /// <summary>Step 6: the stop reason, <c>--failed</c>, then the table, the JSON summary or the failures alone.</summary>
    private static void Report(GetArguments args, GetConsole console, JsonLines? json, DownloadSummary summary, DownloadResult[] ordered)
    {
        if (summary.StopReason is { } stopped)
        {
            console.Error.WriteLine($"weft get: stopped early: {Printable.Escape(stopped)}; {summary.Cancelled} URL(s) not done; free space and run again with --resume");
        }

        if (args.FailedFile is { } failedFile && !TryWriteFailed(failedFile, ordered, out var writeProblem))
        {
            // Checked before the run; if it still fails, say so, but never lose the summary for it.
            console.Error.WriteLine($"weft get: --failed: cannot write '{Printable.Escape(failedFile)}': {Printable.Escape(writeProblem)}");
        }

        if (json is not null)
        {
            json.Write(summary);
        }
        else if (!args.Quiet)
        {
            SummaryTable.Print(ordered, summary, console);
        }
        else
        {
            foreach (var result in ordered.Where(r => r.Status == DownloadStatus.Failed))
            {
                console.Error.WriteLine($"weft get: failed: {Printable.Url(result.Url)}: {Printable.Escape(result.Error)}");
            }
        }
    }

    private static int UsageError(GetConsole console, string message)
    {
        console.Error.WriteLine($"weft get: {message}");
        return (int)DownloadExitCode.Usage;
    }

    private static bool TryWriteFailed(string path, IEnumerable<DownloadResult> results, out string? problem)
    {
        var text = new StringBuilder();
        foreach (var result in results.Where(r => r.Status is DownloadStatus.Failed or DownloadStatus.Cancelled))
        {
            text.Append(result.Url.AbsoluteUri);
            if (result.Request.Name is not null || result.Request.Sha256 is not null)
            {
                text.Append('\t').Append(result.Request.Name);
            }

            if (result.Request.Sha256 is not null)
            {
                text.Append('\t').Append(result.Request.Sha256);
            }

            text.Append('\n');
        }

        try
        {
            File.WriteAllText(path, text.ToString());
            problem = null;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = e.Message;
            return false;
        }
    }

    internal static string Bytes(double bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes:0} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024:0.0} KB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024):0.0} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024 * 1024):0.00} GB"),
    };
}
