using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Weft.Download;

namespace Weft.Cli.Get;

/// <summary>Runs <c>weft get</c>: reads the URLs, validates, downloads, reports.</summary>
internal static class GetRunner
{
    public const int Usage = 2;

    public static async Task<int> RunAsync(GetArguments args, GetConsole console, CancellationToken cancellationToken)
    {
        var problem = Validate(args);
        if (problem is not null)
        {
            return UsageError(console, problem);
        }

        var download = args.Download;
        if (args.ChecksumsFile is { } checksumsFile)
        {
            try
            {
                using var reader = File.OpenText(checksumsFile);
                download = download with { Checksums = ChecksumManifest.Parse(reader) };
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                return UsageError(console, $"--checksums: {e.Message}");
            }
        }

        using var downloader = new Downloader(download);
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
            DownloadList list;
            try
            {
                list = await ListReader.ReadAsync(input, console.In, downloader, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or HttpRequestException or ListUnavailableException)
            {
                return UsageError(console, $"cannot read the list '{input}': {e.Message}");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return 130;
            }

            requests.AddRange(list.Requests);
            errors.AddRange(list.Errors);
        }

        foreach (var error in errors)
        {
            console.Error.WriteLine(error.Line > 0 ? $"weft get: {error}" : $"weft get: {error.Reason}: {error.Text}");
        }

        if (args.Strict && errors.Count > 0)
        {
            return UsageError(console, $"{errors.Count} malformed line(s); --strict refuses the whole list");
        }

        if (requests.Count == 0)
        {
            return errors.Count > 0 ? 3 : UsageError(console, "no URLs: give URLs or -i FILE|URL|-");
        }

        var json = args.Json ? new JsonLines(console.Out) : null;
        if (args.DryRun)
        {
            return DryRun.Print(Downloader.Plan(requests, download), download, console, errors.Count, json);
        }

        try
        {
            Directory.CreateDirectory(download.OutputDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return UsageError(console, $"cannot create the output directory '{download.OutputDirectory}': {e.Message}");
        }

        var results = new ConcurrentQueue<DownloadResult>();
        using var stop = new CancellationTokenSource();
        var view = args.Quiet ? null : ProgressView.Start(downloader, console, args.Json, stop.Token);
        DownloadSummary summary;
        try
        {
            summary = await downloader.RunAsync(
                requests,
                result =>
                {
                    results.Enqueue(result);
                    json?.Write(result);
                },
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            if (view is not null)
            {
                await view.ConfigureAwait(false);
            }
        }

        summary = summary with { InvalidLines = errors.Count };
        var ordered = results.OrderBy(r => r.Request.Line).ToArray();
        if (summary.StopReason is { } stopped)
        {
            console.Error.WriteLine($"weft get: stopped early: {stopped}; {summary.Cancelled} URL(s) not done; free space and run again with --resume");
        }

        if (args.FailedFile is { } failedFile && !TryWriteFailed(failedFile, ordered, out var writeProblem))
        {
            // Checked before the run; if it still fails, say so, but never lose the summary for it.
            console.Error.WriteLine($"weft get: --failed: cannot write '{failedFile}': {writeProblem}");
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
                console.Error.WriteLine($"weft get: failed: {result.Url}: {result.Error}");
            }
        }

        return summary.ExitCode;
    }

    // Every option's value is checked by its validator while parsing (GetOptions); what is left is the
    // one rule across options.
    private static string? Validate(GetArguments args) =>
        args.Urls.Count == 0 && args.Input is null ? "no URLs: give URLs or -i FILE|URL|-" : null;

    private static int UsageError(GetConsole console, string message)
    {
        console.Error.WriteLine($"weft get: {message}");
        return Usage;
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
