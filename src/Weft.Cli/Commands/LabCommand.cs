using System.CommandLine;

namespace Weft.Cli.Commands;

/// <summary>The <c>weft lab</c> verb (see shared/design/CLI.md).</summary>
internal static class LabCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var command = new Command("lab", "Not built yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("weft lab: not built yet.");
            return 2;
        });
        return command;
    }
}
