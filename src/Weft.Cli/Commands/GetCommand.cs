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
        var jobs = new Option<int>("--jobs", "-j") { Description = "Downloads at once (worker threads).", DefaultValueFactory = _ => 8 };
        var perHost = new Option<int?>("--per-host") { Description = "Most requests at once to one host, across all files." };
        var retries = new Option<int>("--retries") { Description = "Retries on 408/425/429/5xx, resets, short bodies and timeouts (exponential back-off, full jitter, Retry-After honoured).", DefaultValueFactory = _ => 3 };
        var timeout = new Option<double>("--timeout") { Description = "Idle-read timeout in seconds (connect: 10 s).", DefaultValueFactory = _ => 30 };
        var maxSize = new Option<long?>("--max-size") { Description = "Largest file in bytes; bigger ones fail and leave nothing." };
        var onExists = new Option<string>("--on-exists") { Description = "When the file exists: skip (when complete), overwrite, rename, fail.", DefaultValueFactory = _ => "skip" };
        onExists.AcceptOnlyFromAmong("skip", "overwrite", "rename", "fail");
        var resume = new Option<bool>("--resume") { Description = "Continue .part files left by an earlier run with Range requests." };
        var checksums = new Option<string?>("--checksums") { Description = "A sha256sum manifest; files are checked before they get their final name." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the resolved names and collisions, download nothing." };
        var failed = new Option<string?>("--failed") { Description = "Write the URLs that failed to this file, in list format." };
        var strict = new Option<bool>("--strict") { Description = "Refuse the whole list if any line is malformed." };
        var json = new Option<bool>("--json") { Description = "JSON Lines on standard output: one object per URL, then a summary object." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress display and no table; errors only." };

        var command = new Command("get", "Download many files at once, safely: the tutorial's image downloader as a tool.")
        {
            urls, input, output, jobs, perHost, retries, timeout, maxSize, onExists, resume, checksums, dryRun, failed, strict, json, quiet,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var args = new GetArguments
            {
                Urls = result.GetValue(urls) ?? [],
                Input = result.GetValue(input),
                Download = new DownloadOptions
                {
                    OutputDirectory = result.GetValue(output) ?? ".",
                    Concurrency = result.GetValue(jobs),
                    PerHost = result.GetValue(perHost),
                    Retries = result.GetValue(retries),
                    IdleTimeout = TimeSpan.FromSeconds(Math.Clamp(result.GetValue(timeout), 0, 86_400)),
                    MaxSize = result.GetValue(maxSize),
                    OnExists = Enum.Parse<OnExists>(result.GetValue(onExists) ?? "skip", ignoreCase: true),
                    Resume = result.GetValue(resume),
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
}
