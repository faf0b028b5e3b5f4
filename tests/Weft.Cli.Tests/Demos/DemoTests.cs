using Weft.Cli.Commands;
using Weft.Cli.Demos;

namespace Weft.Cli.Tests.Demos;

public sealed class DemoTests
{
    [Fact]
    public void Catalog_HasEveryDemoOfTheDesign()
    {
        string[] expected = ["sync", "threads", "args", "submit", "as-completed", "map", "download", "cpu", "gil", "refcount",
            "locks", "queue", "thread-local", "daemon", "processes", "async", "debug"];

        Assert.Equal(expected, DemoCatalog.All.Select(d => d.Name));
    }

    [Fact]
    public void DemoCommand_NoName_ListsEveryDemo()
    {
        var output = new StringWriter();

        var code = DemoCommand.Run(null, fast: true, output, new StringWriter());

        Assert.Equal(0, code);
        Assert.All(DemoCatalog.All, d => Assert.Contains($"  {d.Name}", output.ToString()));
    }

    [Fact]
    public void DemoCommand_UnknownName_ExitsTwoWithReason()
    {
        var error = new StringWriter();

        var code = DemoCommand.Run("nope", fast: true, new StringWriter(), error);

        Assert.Equal(2, code);
        Assert.Contains("unknown demo 'nope'", error.ToString());
    }
}
