using System.CommandLine;

namespace Weft.Cli.Commands;

/// <summary>The <c>weft demo</c> verb (see shared/design/CLI.md).</summary>
internal static class DemoCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var command = new Command("demo", "Not built yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("weft demo: not built yet.");
            return 2;
        });
        return command;
    }
}
