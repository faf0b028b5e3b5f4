using System.Globalization;
using Spectre.Console;
using Weft.Download;

namespace Weft.Cli.Get;

/// <summary>Progress while a run lasts: on a terminal, Spectre.Console's progress display (an overall
/// row with files done, bytes, transfer speed and the time left by bytes, and one row per active file);
/// a plain line every few seconds on standard error otherwise.</summary>
internal static class ProgressView
{
    private const int MaxActiveRows = 8;
    private static readonly TimeSpan s_plainInterval = TimeSpan.FromSeconds(3);

    public static Task Start(Downloader downloader, GetConsole console, bool json, CancellationToken stop)
    {
        return console.Interactive && !json
            ? Task.Run(() => LiveAsync(downloader, console, stop), CancellationToken.None)
            : Task.Run(() => PlainAsync(downloader, console, stop), CancellationToken.None);
    }

    private static async Task PlainAsync(Downloader downloader, GetConsole console, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(s_plainInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                await console.Error.WriteLineAsync("weft get: " + Line(downloader.GetProgress())).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    private static async Task LiveAsync(Downloader downloader, GetConsole console, CancellationToken stop)
    {
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console.Out) });
        await ansi.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn(),
                new PercentageColumn(),
                new DownloadedColumn { Culture = CultureInfo.InvariantCulture },
                new TransferSpeedColumn { Culture = CultureInfo.InvariantCulture },
                new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var overall = context.AddTask("files", autoStart: true, maxValue: 1);
                var rows = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                while (!stop.IsCancellationRequested)
                {
                    var p = downloader.GetProgress();
                    overall.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{p.Done}/{p.Total} files ({p.Failed} failed)"));
                    overall.MaxValue = Math.Max(1, EstimatedTotalBytes(p));
                    overall.Value = Math.Min(p.Bytes, overall.MaxValue);
                    ShowActive(context, rows, p.Active);
                    try
                    {
                        await Task.Delay(150, stop).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            }).ConfigureAwait(false);
    }

    /// <summary>One row per active file (at most <see cref="MaxActiveRows"/>); a finished file's row is
    /// completed, and the display hides it.</summary>
    private static void ShowActive(ProgressContext context, Dictionary<string, ProgressTask> rows, IReadOnlyList<ActiveDownload> active)
    {
        var now = active.DistinctBy(a => a.Name, StringComparer.Ordinal).OrderBy(a => a.Name, StringComparer.Ordinal).Take(MaxActiveRows).ToDictionary(a => a.Name, StringComparer.Ordinal);
        foreach (var (name, row) in rows.Where(r => !now.ContainsKey(r.Key)).ToArray())
        {
            row.Value = row.MaxValue;
            row.StopTask();
            rows.Remove(name);
        }

        foreach (var (name, file) in now)
        {
            if (!rows.TryGetValue(name, out var row))
            {
                row = context.AddTask("  " + Markup.Escape(Printable.Escape(name)), autoStart: true, maxValue: Math.Max(1, file.Length ?? 1));
                rows.Add(name, row);
            }

            row.IsIndeterminate = file.Length is null;
            row.MaxValue = Math.Max(1, file.Length ?? file.Bytes + 1);
            row.Value = Math.Min(file.Bytes, row.MaxValue);
            if (file.Attempt > 1)
            {
                row.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"  {Printable.Escape(name)} (attempt {file.Attempt})"));
            }
        }
    }

    /// <summary>The run's bytes, estimated: what is known (received, plus the rest of active files of
    /// known length) and, for files not started, the average size of those finished.</summary>
    internal static double EstimatedTotalBytes(DownloadProgress p)
    {
        var activeBytes = p.Active.Sum(a => a.Bytes);
        var finishedBytes = p.Bytes - activeBytes;
        var average = p.Done > 0 ? (double)finishedBytes / p.Done
            : p.Active.Where(a => a.Length is not null).Select(a => (double)a.Length!.Value).DefaultIfEmpty(0).Average();
        var activeRest = p.Active.Sum(a => Math.Max(0, (a.Length ?? a.Bytes) - a.Bytes));
        var notStarted = Math.Max(0, p.Total - p.Done - p.Active.Count);
        return p.Bytes + activeRest + (notStarted * average);
    }

    internal static string Line(DownloadProgress p)
    {
        var eta = p.Remaining is { } left ? string.Create(CultureInfo.InvariantCulture, $", ETA {left.TotalSeconds:0}s") : string.Empty;
        return string.Create(CultureInfo.InvariantCulture,
            $"{p.Done}/{p.Total} files ({p.Failed} failed), {GetRunner.Bytes(p.Bytes)}, {GetRunner.Bytes(p.BytesPerSecond)}/s{eta}, {p.Active.Count} active");
    }
}
