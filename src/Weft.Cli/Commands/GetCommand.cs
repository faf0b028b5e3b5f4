using System.CommandLine;
using Weft.Cli.Get;
using Weft.Download;

namespace Weft.Cli.Commands;

/// <summary>The <c>weft get</c> verb (see shared/design/CLI.md).</summary>
internal static class GetCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create() => Create(GetConsole.System);

    /// <summary>Builds the verb against the given console (tests).</summary>
    public static Command Create(GetConsole console)
    {
        var urls = new Argument<string[]>("URL") { Arity = ArgumentArity.ZeroOrMore, Description = "URLs to download." };
        var input = new Option<string?>("--input", "-i") { Description = "A list of URLs (one per line, # comments, optional URL<TAB>name[<TAB>sha256]): a file, a URL, or - for standard input." };
        var output = new Option<string>("--output", "-o") { Description = "Output directory.", DefaultValueFactory = _ => "." };
        var jobs = new Option<int>("--jobs", "-j") { Description = "Downloads at once (worker threads).", DefaultValueFactory = _ => 8 }.InRange(1, 1024);
        var perHost = new Option<int?>("--per-host") { Description = "Most requests at once to one host, across all files; a URL waiting for its host never holds a worker." }.InRange(1, 1024);
        var retries = new Option<int>("--retries") { Description = "Retries on 408/425/429/5xx, resets, short bodies and timeouts (exponential back-off, full jitter, Retry-After honoured).", DefaultValueFactory = _ => 3 }.InRange(0, 100);
        var timeout = new Option<double?>("--timeout") { Description = "Idle timeout in seconds: the longest wait for headers or the next bytes (default 30; connect: 10 s)." }.Seconds();
        var speedLimit = new Option<long?>("--speed-limit", "-Y") { Description = "Low-speed limit in bytes per second (curl's -Y): slower than this for --speed-time is a failure (retried)." }.InRange(1, long.MaxValue);
        var speedTime = new Option<double?>("--speed-time", "-y") { Description = "The window of --speed-limit in seconds (default 30)." }.Seconds();
        var maxTime = new Option<double?>("--max-time", "-m") { Description = "Longest time in seconds one file may take, all attempts together." }.Seconds();
        var maxSize = new Option<long?>("--max-size") { Description = "Largest file in bytes; bigger ones fail and leave nothing." }.InRange(1, long.MaxValue);
        var onExists = new Option<OnExists>("--on-exists") { HelpName = "skip|overwrite|rename|fail", Description = "When the file exists: skip (default: keep it; replace only a copy weft left, and save anyone else's file's download under a new name), overwrite, rename, fail.", DefaultValueFactory = _ => OnExists.Skip };
        var resume = new Option<bool>("--resume") { Description = "Continue .part files left by an earlier run with Range requests." };
        var checksums = new Option<string?>("--checksums") { Description = "A sha256sum manifest, matched to each URL's planned name or the URL; files are checked before they get their final name." }.Existing();
        var headers = new Option<string[]>("--header", "-H") { Description = "Extra request header 'Name: value' (repeatable).", AllowMultipleArgumentsPerToken = false }.Headers();
        var userAgent = new Option<string?>("--user-agent", "-A") { Description = "The User-Agent sent (default weft/0.1)." };
        var maxRedirs = new Option<int>("--max-redirs") { Description = "Most redirects followed per request (0: none); the summary reports the final URL.", DefaultValueFactory = _ => 10 }.InRange(0, 50);
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the resolved names and collisions, download nothing." };
        var failed = new Option<string?>("--failed") { Description = "Write the URLs that failed to this file, in list format." }.WritableLater();
        var strict = new Option<bool>("--strict") { Description = "Refuse the whole list if any line is malformed." };
        var json = new Option<bool>("--json") { Description = "JSON Lines (camelCase) on standard output: one object per URL, then a summary object." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress display and no table; errors only." };
        output.Validators.Add(r =>
        {
            if (string.IsNullOrWhiteSpace(r.GetValueOrDefault<string>()))
            {
                r.AddError("--output must name a directory ('.' for the current one)");
            }
        });
        userAgent.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } ua && (ua.Length == 0 || ua.AsSpan().ContainsAny('\r', '\n', '\0')))
            {
                r.AddError("--user-agent must be one non-empty line");
            }
        });

        var command = new Command("get", "Download many files at once, safely: the tutorial's image downloader as a tool.")
        {
            urls, input, output, jobs, perHost, retries, timeout, speedLimit, speedTime, maxTime, maxSize, onExists, resume, checksums,
            headers, userAgent, maxRedirs, dryRun, failed, strict, json, quiet,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var defaults = new DownloadOptions();
            var args = new GetArguments
            {
                Urls = result.GetValue(urls) ?? [],
                Input = result.GetValue(input),
                Download = defaults with
                {
                    OutputDirectory = result.GetValue(output) ?? ".",
                    Concurrency = result.GetValue(jobs),
                    PerHost = result.GetValue(perHost),
                    Retries = result.GetValue(retries),
                    IdleTimeout = Seconds(result.GetValue(timeout)) ?? defaults.IdleTimeout,
                    SpeedLimit = result.GetValue(speedLimit),
                    SpeedTime = Seconds(result.GetValue(speedTime)) ?? defaults.SpeedTime,
                    MaxTime = Seconds(result.GetValue(maxTime)),
                    MaxSize = result.GetValue(maxSize),
                    OnExists = result.GetValue(onExists),
                    Resume = result.GetValue(resume),
                    Headers = (result.GetValue(headers) ?? []).Select(h => GetOptions.TryParseHeader(h, out var header) is null ? header : default).ToArray(),
                    UserAgent = result.GetValue(userAgent) ?? defaults.UserAgent,
                    MaxRedirects = result.GetValue(maxRedirs),
                },
                ChecksumsFile = result.GetValue(checksums),
                DryRun = result.GetValue(dryRun),
                FailedFile = result.GetValue(failed),
                Strict = result.GetValue(strict),
                Json = result.GetValue(json),
                Quiet = result.GetValue(quiet),
            };
            return await GetRunner.RunAsync(args, console, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static TimeSpan? Seconds(double? seconds) => seconds is { } s ? TimeSpan.FromSeconds(s) : null;
}
