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

        if (args.DryRun)
        {
            return DryRun.Print(Downloader.Plan(requests, download), download, console, errors.Count);
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
        var json = args.Json ? new JsonLines(console.Out) : null;
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
        if (args.FailedFile is { } failedFile)
        {
            WriteFailed(failedFile, ordered);
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

    private static string? Validate(GetArguments args)
    {
        var d = args.Download;
        return d.Concurrency < 1 || d.Concurrency > 1024 ? "--jobs must be between 1 and 1024"
            : d.PerHost is < 1 ? "--per-host must be at least 1"
            : d.Retries < 0 || d.Retries > 100 ? "--retries must be between 0 and 100"
            : d.IdleTimeout <= TimeSpan.Zero ? "--timeout must be more than 0 seconds"
            : d.MaxSize is < 1 ? "--max-size must be at least 1 byte"
            : args.Urls.Count == 0 && args.Input is null ? "no URLs: give URLs or -i FILE|URL|-"
            : null;
    }

    private static int UsageError(GetConsole console, string message)
    {
        console.Error.WriteLine($"weft get: {message}");
        return Usage;
    }

    private static void WriteFailed(string path, IEnumerable<DownloadResult> results)
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

        File.WriteAllText(path, text.ToString());
    }

    internal static string Bytes(double bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes:0} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024:0.0} KB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024):0.0} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024 * 1024):0.00} GB"),
    };
}
