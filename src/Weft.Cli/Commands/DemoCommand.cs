using System.CommandLine;
using Weft.Cli.Demos;

namespace Weft.Cli.Commands;

/// <summary>The <c>weft demo</c> verb (see shared/design/CLI.md).</summary>
internal static class DemoCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var name = new Argument<string?>("name")
        {
            Arity = ArgumentArity.ZeroOrOne,
            Description = "The demo to run; without it, the demos are listed.",
        };
        var fast = new Option<bool>("--fast")
        {
            Description = "Scale every sleep down ten times (the times printed are still real).",
        };
        var command = new Command("demo", "Run one section of the threading tutorial as C#.") { name, fast };
        command.SetAction(parseResult => Run(parseResult.GetValue(name), parseResult.GetValue(fast), Console.Out, Console.Error));
        return command;
    }

    /// <summary>Lists the demos, or runs one.</summary>
    /// <param name="name">The demo, or <see langword="null"/> to list them.</param>
    /// <param name="fast">Whether sleeps are scaled down.</param>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <returns>The exit code: 0 when done, 2 for an unknown name.</returns>
    internal static int Run(string? name, bool fast, TextWriter output, TextWriter error)
    {
        if (string.IsNullOrEmpty(name))
        {
            output.WriteLine("Demos (weft demo NAME [--fast]):");
            foreach (var d in DemoCatalog.All)
            {
                output.WriteLine($"  {d.Name,-13} {d.Description}");
            }

            return 0;
        }

        var demo = DemoCatalog.Find(name);
        if (demo is null)
        {
            error.WriteLine($"weft demo: unknown demo '{name}'; run 'weft demo' to list them.");
            return 2;
        }

        return DemoCatalog.Run(demo, output, new DemoOptions(fast));
    }
}
