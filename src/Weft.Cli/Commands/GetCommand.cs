using System.CommandLine;
using Weft.Cli.Get;
using Weft.Download;

namespace Weft.Cli.Commands;

/// <summary>The <c>weft get</c> verb (see shared/design/CLI.md). Every default and range is
/// <see cref="DownloadOptions"/>'s; an option the user does not give leaves its default alone.</summary>
internal static class GetCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create() => Create(GetConsole.System);

    /// <summary>Builds the verb against the given console (tests).</summary>
    public static Command Create(GetConsole console)
    {
        var d = new DownloadOptions();
        var urls = new Argument<string[]>("URL") { Arity = ArgumentArity.ZeroOrMore, Description = "URLs to download." };
        var table = new GetOptionTable()
            .Add(new Option<string?>("--input", "-i") { Description = "A list of URLs (one per line, # comments, optional URL<TAB>name[<TAB>sha256]): a file, a URL, or - for standard input." }, (a, v) => a with { Input = v })
            .Add(new Option<string>("--output", "-o") { Description = $"Output directory (default {d.OutputDirectory})." }.OutputDirectory(), (a, v) => a.With(o => o with { OutputDirectory = v }))
            .Add(new Option<int>("--jobs", "-j") { Description = $"Downloads at once (worker threads; default {d.Concurrency})." }.InRange(1, DownloadOptions.MaxConcurrency), (a, v) => a.With(o => o with { Concurrency = v }))
            .Add(new Option<int?>("--per-host") { Description = "Most requests at once to one host, across all files; a URL waiting for its host never holds a worker." }.InRange(1, DownloadOptions.MaxConcurrency), (a, v) => a.With(o => o with { PerHost = v }))
            .Add(new Option<int>("--retries") { Description = $"Retries on 408/425/429/5xx, resets, short bodies and timeouts (default {d.Retries}; exponential back-off, full jitter; Retry-After honoured up to {d.MaxRetryAfter.TotalSeconds:0} s, and a 429/503 slows the whole host)." }.InRange(0, DownloadOptions.MaxRetries), (a, v) => a.With(o => o with { Retries = v }))
            .Add(new Option<double?>("--timeout") { Description = $"Idle timeout in seconds: the longest wait for headers or the next bytes (default {d.IdleTimeout.TotalSeconds:0}; connect: {d.ConnectTimeout.TotalSeconds:0} s)." }.Seconds(), (a, v) => a.With(o => o with { IdleTimeout = TimeSpan.FromSeconds(v!.Value) }))
            .Add(new Option<long?>("--speed-limit", "-Y") { Description = "Low-speed limit in bytes per second (curl's -Y): slower than this for --speed-time is a failure (retried)." }.InRange(1, long.MaxValue), (a, v) => a.With(o => o with { SpeedLimit = v }))
            .Add(new Option<double?>("--speed-time", "-y") { Description = $"The window of --speed-limit in seconds (default {d.SpeedTime.TotalSeconds:0})." }.Seconds(), (a, v) => a.With(o => o with { SpeedTime = TimeSpan.FromSeconds(v!.Value) }))
            .Add(new Option<double?>("--max-time", "-m") { Description = "Longest time in seconds one file may take, all attempts together." }.Seconds(), (a, v) => a.With(o => o with { MaxTime = TimeSpan.FromSeconds(v!.Value) }))
            .Add(new Option<long?>("--max-size") { Description = "Largest file in bytes; bigger ones fail and leave nothing." }.InRange(1, long.MaxValue), (a, v) => a.With(o => o with { MaxSize = v }))
            .Add(new Option<long?>("--limit-rate") { Description = "Most bytes per second each file is read at (curl's --limit-rate, per transfer)." }.InRange(1, long.MaxValue), (a, v) => a.With(o => o with { LimitRate = v }))
            .Add(new Option<OnExists>("--on-exists") { HelpName = "keep|skip|overwrite|rename|fail", Description = "When the file exists: keep (default: keep anyone else's file and save a different download under a new name; replace only a copy weft left), skip (no transfer), overwrite, rename, fail." }, (a, v) => a.With(o => o with { OnExists = v }))
            .Add(new Option<bool>("--skip-existing") { Description = "Skip a URL whose file exists, without any request (curl's --skip-existing)." }, (a, v) => a.With(o => o with { SkipExisting = v }))
            .Add(new Option<bool>("--resume") { Description = "Continue .part files left by an earlier run with Range requests." }, (a, v) => a.With(o => o with { Resume = v }))
            .Add(new Option<string?>("--checksums") { Description = "A sha256sum manifest, matched to each URL's planned name or the URL; checked against the bytes on disk, skipped files included." }.Existing(), (a, v) => a with { ChecksumsFile = v })
            .Add(new Option<string[]>("--header", "-H") { Description = "Extra request header 'Name: value' (repeatable). Authorization and Cookie go to the URL's own host only (see --location-trusted).", AllowMultipleArgumentsPerToken = false }.Headers(), (a, v) => a.With(o => o with { Headers = v.Select(GetOptions.ParseHeader).ToArray() }))
            .Add(new Option<string?>("--user", "-u") { Description = "Credentials 'user:password' sent as Basic auth (a URL's own user:password@ wins); never written to disk." }.OneLine(), (a, v) => a.With(o => o with { User = v }))
            .Add(new Option<bool>("--location-trusted") { Description = "Send Authorization, Cookie and credentials on after a redirect to another host (curl's --location-trusted)." }, (a, v) => a.With(o => o with { LocationTrusted = v }))
            .Add(new Option<string?>("--user-agent", "-A") { Description = $"The User-Agent sent (default {d.UserAgent})." }.OneLine(), (a, v) => a.With(o => o with { UserAgent = v! }))
            .Add(new Option<int>("--max-redirs") { Description = $"Most redirects followed per request (default {d.MaxRedirects}; 0: none); the summary reports the final URL." }.InRange(0, DownloadOptions.RedirectsLimit), (a, v) => a.With(o => o with { MaxRedirects = v }))
            .Add(new Option<bool>("--remote-time", "-R") { Description = "Give each saved file the server's Last-Modified time (curl's -R)." }, (a, v) => a.With(o => o with { RemoteTime = v }))
            .Add(new Option<bool>("--dry-run") { Description = "Print the resolved names and collisions, download nothing." }, (a, v) => a with { DryRun = v })
            .Add(new Option<string?>("--failed") { Description = "Write the URLs that failed to this file, in list format." }.WritableLater(), (a, v) => a with { FailedFile = v })
            .Add(new Option<bool>("--strict") { Description = "Refuse the whole list if any line is malformed." }, (a, v) => a with { Strict = v })
            .Add(new Option<bool>("--json") { Description = "JSON Lines (camelCase) on standard output: one object per URL, then a summary object." }, (a, v) => a with { Json = v })
            .Add(new Option<bool>("--quiet", "-q") { Description = "No progress display and no table; errors only." }, (a, v) => a with { Quiet = v });

        var command = new Command("get", "Download many files at once, safely: the tutorial's image downloader as a tool.") { urls };
        table.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var args = table.Bind(result, new GetArguments { Urls = result.GetValue(urls) ?? [] });
            return await GetRunner.RunAsync(args, console, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
