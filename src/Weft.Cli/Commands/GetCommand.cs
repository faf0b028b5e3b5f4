using System.CommandLine;

namespace Weft.Cli.Commands;

/// <summary>The <c>weft get</c> verb (see shared/design/CLI.md).</summary>
internal static class GetCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var command = new Command("get", "Not built yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("weft get: not built yet.");
            return 2;
        });
        return command;
    }
}
