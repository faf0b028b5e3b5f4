using System.CommandLine;

namespace Weft.Cli.Commands;

/// <summary>The <c>weft serve</c> verb (see shared/design/CLI.md).</summary>
internal static class ServeCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var command = new Command("serve", "Not built yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("weft serve: not built yet.");
            return 2;
        });
        return command;
    }
}
