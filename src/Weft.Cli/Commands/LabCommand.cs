using System.CommandLine;
using Spectre.Console;
using Weft.Cli.Lab;

namespace Weft.Cli.Commands;

/// <summary>The <c>weft lab</c> verb (see shared/design/CLI.md).</summary>
internal static class LabCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "Small sizes, 3 runs of each strategy: under 30 s on 2 cores, CPython included." };
        var output = new Option<DirectoryInfo>("--out")
        {
            Description = "Where report.md, results.json and chart.png go.",
            DefaultValueFactory = _ => new DirectoryInfo("weft-lab"),
        };
        var json = new Option<bool>("--json") { Description = "Print the results document on standard output and nothing else there." };
        var python = new Option<string?>("--python") { Description = "The CPython to run the tutorial's programs on (default: python3 on PATH)." };
        var noPython = new Option<bool>("--no-python") { Description = "Measure .NET only." };
        var command = new Command("lab", "Re-run the tutorial's claims as experiments on this machine, on CPython beside .NET, with a table, verdicts and a chart.")
        {
            quick, output, json, python, noPython,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(python) is not null && result.GetValue(noPython))
            {
                result.AddError("--python and --no-python cannot be used together");
            }
        });
        command.SetAction((parseResult, cancellationToken) =>
        {
            var interactive = !Console.IsOutputRedirected && !Console.IsErrorRedirected && AnsiConsole.Profile.Capabilities.Interactive;
            return RunAsync(
                parseResult.GetValue(quick) ? LabSettings.Quick : LabSettings.Full,
                parseResult.GetValue(output)!,
                parseResult.GetValue(json),
                Console.Out,
                Console.Error,
                interactive,
                new PythonChoice(parseResult.GetValue(noPython), parseResult.GetValue(python)),
                cancellationToken);
        });
        return command;
    }

    /// <summary>Runs the lab and writes its files.</summary>
    /// <param name="settings">Quick or full.</param>
    /// <param name="outDir">Where the files go; checked (created, writable) before anything runs.</param>
    /// <param name="json">Print only the JSON document on <paramref name="stdout"/>.</param>
    /// <param name="stdout">Standard output.</param>
    /// <param name="stderr">Standard error: progress in <paramref name="json"/> mode, and errors.</param>
    /// <param name="interactive">Show a progress bar rather than plain lines.</param>
    /// <param name="python">Which CPython runs beside .NET.</param>
    /// <param name="cancellationToken">Ctrl+C.</param>
    /// <returns>0 when the lab ran (whatever the verdicts, with or without CPython), 2 when <paramref name="outDir"/> is unusable.</returns>
    internal static async Task<int> RunAsync(
        LabSettings settings, DirectoryInfo outDir, bool json, TextWriter stdout, TextWriter stderr, bool interactive,
        PythonChoice python, CancellationToken cancellationToken = default)
    {
        if (OutputDirectory.Check(outDir) is { } problem)
        {
            await stderr.WriteLineAsync($"weft lab: --out {outDir.FullName}: {problem}").ConfigureAwait(false);
            return WeftApp.UsageError;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(json ? stderr : stdout),
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
        });
        if (!interactive)
        {
            // A redirected console reports 80 columns, too narrow for the table.
            console.Profile.Width = 180;
        }

        if (!json)
        {
            console.MarkupLine($"[bold]weft lab[/] {(settings.IsQuick ? "--quick" : "(full: 5 runs of each strategy)")}: the tutorial's claims, measured on {Environment.ProcessorCount} cores.");
        }

        LabResults results;
        if (interactive)
        {
            LabResults? done = null;
            await console.Progress().AutoClear(true).StartAsync(async ctx =>
            {
                var task = ctx.AddTask("starting");
                done = await new LabRunner(settings, new SpectreProgress(task), python).RunAsync(cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
            results = done!;
        }
        else
        {
            results = await new LabRunner(settings, new PlainProgress(json ? stderr : stdout), python).RunAsync(cancellationToken).ConfigureAwait(false);
        }

        var document = LabJson.Serialize(results);
        await File.WriteAllTextAsync(Path.Combine(outDir.FullName, "results.json"), document, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(outDir.FullName, "report.md"), LabReport.Markdown(results), cancellationToken).ConfigureAwait(false);
        LabChart.Save(results, Path.Combine(outDir.FullName, "chart.png"));

        if (json)
        {
            await stdout.WriteLineAsync(document.AsMemory(), cancellationToken).ConfigureAwait(false);
            await stderr.WriteLineAsync(LabReport.PythonLine(results)).ConfigureAwait(false);
            if (LabReport.BusyLine(results) is { } busyLine)
            {
                await stderr.WriteLineAsync(busyLine).ConfigureAwait(false);
            }
        }
        else
        {
            await PrintReportAsync(results, console, stdout, interactive).ConfigureAwait(false);
            console.MarkupLine($"Wrote [bold]report.md[/], [bold]results.json[/] and [bold]chart.png[/] to {Markup.Escape(outDir.FullName)}.");
        }

        return 0;
    }

    /// <summary>The table, the CPython line and the verdicts. Redirected, each verdict is one plain line
    /// however long, so a log or a grep sees whole sentences.</summary>
    internal static async Task PrintReportAsync(LabResults results, IAnsiConsole console, TextWriter stdout, bool interactive)
    {
        console.Write(LabReport.Table(results));
        console.WriteLine();
        var busy = LabReport.BusyLine(results);
        if (interactive)
        {
            console.MarkupLine(Markup.Escape(LabReport.PythonLine(results)));
            if (busy is not null)
            {
                console.MarkupLine($"[yellow]{Markup.Escape(busy)}[/]");
            }

            console.Write(LabReport.VerdictLines(results));
        }
        else
        {
            await stdout.WriteLineAsync(LabReport.PythonLine(results)).ConfigureAwait(false);
            if (busy is not null)
            {
                await stdout.WriteLineAsync(busy).ConfigureAwait(false);
            }

            foreach (var v in results.Verdicts)
            {
                await stdout.WriteLineAsync(LabReport.VerdictLine(v)).ConfigureAwait(false);
            }
        }

        console.WriteLine();
    }
}
