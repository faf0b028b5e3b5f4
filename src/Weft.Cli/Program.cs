using System.CommandLine;
using Weft.Cli.Commands;

var root = new RootCommand("weft: Python's threading tutorial as a .NET tool (demo, lab, get, serve).")
{
    DemoCommand.Create(),
    LabCommand.Create(),
    GetCommand.Create(),
    ServeCommand.Create(),
};

return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
