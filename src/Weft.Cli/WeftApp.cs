using System.CommandLine;
using Weft.Cli.Commands;

namespace Weft.Cli;

/// <summary>The <c>weft</c> command line: the four verbs and CLI.md's exit-code rules for usage errors.</summary>
internal static class WeftApp
{
    /// <summary>Exit code of a usage error (CLI.md).</summary>
    public const int UsageError = 2;

    /// <summary>Builds the root command with every verb.</summary>
    public static RootCommand CreateRoot() =>
        new("weft: Python's threading tutorial as a .NET tool (demo, lab, get, serve).")
        {
            DemoCommand.Create(),
            LabCommand.Create(),
            GetCommand.Create(),
            ServeCommand.Create(),
        };

    /// <summary>Parses and runs <paramref name="args"/>; a usage error prints a one-line reason to
    /// <paramref name="error"/> and returns <see cref="UsageError"/> (System.CommandLine's default is 1 plus the help).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter error)
    {
        var parsed = CreateRoot().Parse(args.Length == 0 ? ["--help"] : args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var problem in parsed.Errors)
            {
                await error.WriteLineAsync($"weft: {problem.Message}").ConfigureAwait(false);
            }

            await error.WriteLineAsync("Try 'weft --help'.").ConfigureAwait(false);
            return UsageError;
        }

        return await parsed.InvokeAsync().ConfigureAwait(false);
    }
}
