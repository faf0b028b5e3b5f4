using System.CommandLine;
using Weft.Cli.Commands;
using Weft.Cli.Get;

namespace Weft.Cli.Tests.Download;

/// <summary>Runs <c>weft get</c> in-process with a captured console and a timeout.</summary>
internal static class GetCli
{
    public static async Task<(int Exit, string Out, string Error)> RunAsync(string stdin, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new GetConsole(new StringReader(stdin), output, error, Interactive: false);
        var root = new RootCommand { GetCommand.Create(console) };
        var exit = await root.Parse(["get", .. args]).InvokeAsync().WaitAsync(DownloadRun.Timeout);
        return (exit, output.ToString(), error.ToString());
    }
}
