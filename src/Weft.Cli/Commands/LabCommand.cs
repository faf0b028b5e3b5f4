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
        var quick = new Option<bool>("--quick") { Description = "Small sizes, best of 2: under 30 s on 2 cores." };
        var output = new Option<DirectoryInfo>("--out")
        {
            Description = "Where report.md, results.json and chart.png go.",
            DefaultValueFactory = _ => new DirectoryInfo("weft-lab"),
        };
        var json = new Option<bool>("--json") { Description = "Print the results document on standard output and nothing else there." };
        var command = new Command("lab", "Re-run the tutorial's claims as experiments on this machine, with a table, verdicts and a chart.")
        {
            quick, output, json,
        };
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
                cancellationToken);
        });
        return command;
    }

    /// <summary>Runs the lab and writes its files.</summary>
    /// <param name="settings">Quick or full.</param>
    /// <param name="outDir">Where the files go.</param>
    /// <param name="json">Print only the JSON document on <paramref name="stdout"/>.</param>
    /// <param name="stdout">Standard output.</param>
    /// <param name="stderr">Standard error: progress in <paramref name="json"/> mode, and errors.</param>
    /// <param name="interactive">Show a progress bar rather than plain lines.</param>
    /// <param name="cancellationToken">Ctrl+C.</param>
    /// <returns>0 when the lab ran (whatever the verdicts), 1 when an experiment is not available in this build.</returns>
    internal static async Task<int> RunAsync(
        LabSettings settings, DirectoryInfo outDir, bool json, TextWriter stdout, TextWriter stderr, bool interactive,
        CancellationToken cancellationToken = default)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(json ? stderr : stdout),
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
        });
        if (!interactive)
        {
            // A redirected console reports 80 columns, too narrow for the table.
            console.Profile.Width = 160;
        }

        if (!json)
        {
            console.MarkupLine($"[bold]weft lab[/] {(settings.IsQuick ? "--quick" : "(full: best of 3)")}: the tutorial's claims, measured on {Environment.ProcessorCount} cores.");
        }

        LabResults results;
        if (interactive)
        {
            LabResults? done = null;
            await console.Progress().AutoClear(true).StartAsync(async ctx =>
            {
                var task = ctx.AddTask("starting");
                done = await new LabRunner(settings, new SpectreProgress(task)).RunAsync(cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
            results = done!;
        }
        else
        {
            results = await new LabRunner(settings, new PlainProgress(json ? stderr : stdout)).RunAsync(cancellationToken).ConfigureAwait(false);
        }

        outDir.Create();
        var document = LabJson.Serialize(results);
        await File.WriteAllTextAsync(Path.Combine(outDir.FullName, "results.json"), document, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(outDir.FullName, "report.md"), LabReport.Markdown(results), cancellationToken).ConfigureAwait(false);
        LabChart.Save(results, Path.Combine(outDir.FullName, "chart.png"));

        if (json)
        {
            await stdout.WriteLineAsync(document.AsMemory(), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            console.Write(LabReport.Table(results));
            console.WriteLine();
            console.Write(LabReport.VerdictLines(results));
            console.WriteLine();
            console.MarkupLine($"Wrote [bold]report.md[/], [bold]results.json[/] and [bold]chart.png[/] to {Markup.Escape(outDir.FullName)}.");
        }

        var missing = results.Experiments.Where(m => !m.Available).Select(m => m.Id).ToList();
        if (missing.Count > 0)
        {
            await stderr.WriteLineAsync($"weft lab: not available in this build: {string.Join(", ", missing)}.").ConfigureAwait(false);
            return 1;
        }

        return 0;
    }
}
