using Weft.Cli.Commands;
using Weft.Cli.Demos;

namespace Weft.Cli.Tests.Demos;

public sealed class DemoTests
{
    public static TheoryData<string> RunnableDemos()
    {
        var data = new TheoryData<string>();
        foreach (var demo in DemoCatalog.All)
        {
            data.Add(demo.Name);
        }

        return data;
    }

    private static (int Code, string Output) Run(string name)
    {
        using var programEnd = new CancellationTokenSource();
        var output = new StringWriter();
        var demo = DemoCatalog.Find(name) ?? throw new InvalidOperationException($"no demo {name}");
        var code = DemoCatalog.Run(demo, output, new DemoOptions(Fast: true) { ProgramEnd = programEnd.Token });
        programEnd.Cancel(); // ends the daemon demo's background thread
        return (code, output.ToString());
    }

    private static List<string> Lines(string output, string prefix) =>
        output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).ToList();

    [Theory]
    [MemberData(nameof(RunnableDemos))]
    public void Run_Fast_ExitsZeroAndPrintsTimingLine(string name)
    {
        var (code, output) = Run(name);

        Assert.True(code == 0, output);
        Assert.Matches(@"Finished in \d+\.\d\d seconds", output);
    }

    [Fact]
    public void Catalog_HasEveryDemoOfTheDesign()
    {
        string[] expected = ["sync", "threads", "args", "submit", "as-completed", "map", "download", "cpu", "gil", "refcount",
            "locks", "queue", "thread-local", "daemon", "processes", "async", "debug"];

        Assert.Equal(expected, DemoCatalog.All.Select(d => d.Name));
    }

    [Fact]
    public void AsCompleted_Fast_PrintsResultsInFinishingOrder()
    {
        var (_, output) = Run("as-completed");

        Assert.Equal(["Done Sleeping...1", "Done Sleeping...2", "Done Sleeping...3", "Done Sleeping...4", "Done Sleeping...5"],
            Lines(output, "Done Sleeping..."));
    }

    [Fact]
    public void Map_Fast_PrintsResultsInInputOrder()
    {
        var (_, output) = Run("map");

        Assert.Equal(["Done Sleeping...5", "Done Sleeping...4", "Done Sleeping...3", "Done Sleeping...2", "Done Sleeping...1"],
            Lines(output, "Done Sleeping..."));
    }

    [Fact]
    public void Refcount_Fast_LockAndInterlockedAreExact()
    {
        var (_, output) = Run("refcount");

        Assert.Contains("With a lock:              4,000,000  (0 lost)", output);
        Assert.Contains("With Interlocked:         4,000,000  (0 lost)", output);
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
