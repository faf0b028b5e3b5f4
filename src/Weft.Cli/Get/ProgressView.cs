using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using Weft.Download;

namespace Weft.Cli.Get;

/// <summary>Progress while a run lasts: a live overall bar and the active files on a terminal, a plain
/// line every few seconds on standard error otherwise.</summary>
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
        await ansi.Live(Render(downloader.GetProgress())).AutoClear(true).StartAsync(async context =>
        {
            while (!stop.IsCancellationRequested)
            {
                context.UpdateTarget(Render(downloader.GetProgress()));
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

    internal static string Line(DownloadProgress p)
    {
        var eta = p.Remaining is { } left ? string.Create(CultureInfo.InvariantCulture, $", ETA {left.TotalSeconds:0}s") : string.Empty;
        return string.Create(CultureInfo.InvariantCulture,
            $"{p.Done}/{p.Total} files ({p.Failed} failed), {GetRunner.Bytes(p.Bytes)}, {GetRunner.Bytes(p.BytesPerSecond)}/s{eta}, {p.Active.Count} active");
    }

    private static IRenderable Render(DownloadProgress p)
    {
        var rows = new List<IRenderable> { new Markup($"[bold]{Markup.Escape(Bar(p.Done, p.Total, 30))}[/] {Markup.Escape(Line(p))}") };
        foreach (var active in p.Active.OrderBy(a => a.Name, StringComparer.Ordinal).Take(MaxActiveRows))
        {
            var total = active.Length is { } length ? "/" + GetRunner.Bytes(length) : string.Empty;
            var retry = active.Attempt > 1 ? string.Create(CultureInfo.InvariantCulture, $" (attempt {active.Attempt})") : string.Empty;
            rows.Add(new Markup($"  [grey]{Markup.Escape(Bar(active.Bytes, active.Length ?? 0, 20))}[/] {Markup.Escape(active.Name)} {GetRunner.Bytes(active.Bytes)}{total}{retry}"));
        }

        if (p.Active.Count > MaxActiveRows)
        {
            rows.Add(new Markup($"  [grey]... {p.Active.Count - MaxActiveRows} more[/]"));
        }

        return new Rows(rows);
    }

    private static string Bar(long done, long total, int width)
    {
        var filled = total > 0 ? (int)Math.Clamp(done * width / total, 0, width) : 0;
        return "[" + new string('#', filled) + new string('-', width - filled) + "]";
    }
}
