using System.Diagnostics;
using System.Text.Json;
using Weft.Cli.Commands;
using Weft.Cli.Lab;
using Weft.Cli.Lab.Python;
using Weft.Cli.Tests.Lab.Python;

namespace Weft.Cli.Tests.Lab;

public sealed class LabCommandTests : IDisposable
{
    private readonly DirectoryInfo _out = Directory.CreateTempSubdirectory("weft-lab-test-");

    public void Dispose() => _out.Delete(recursive: true);

    private static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Weft.slnx")))
            {
                return Path.Combine(dir.FullName, relative);
            }
        }

        throw new FileNotFoundException("repository root (Weft.slnx) not found above " + AppContext.BaseDirectory);
    }

    private static string[] DotNetIds() =>
        [.. Strategies.Workloads.SelectMany(w => Strategies.All
            .Where(s => s != Strategies.GilSequential || w == Strategies.Cpu)
            .Select(s => $"{Runtimes.DotNet}/{w}/{s}"))];

    private static string[] CPythonIds() =>
        [.. Strategies.Workloads.SelectMany(w => Strategies.All
            .Where(s => s is not (Strategies.GilThreads or Strategies.GilSequential) && !(w == Strategies.Cpu && s == Strategies.Async))
            .Select(s => $"{Runtimes.CPython}/{w}/{s}"))];

    [PythonFact]
    public async Task RunAsync_Json_WithPython3_PrintsSchemaValidDocumentWithCPythonBesideDotNet()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = await LabCommand.RunAsync(LabTestSettings.Tiny, _out, json: true, stdout, stderr, interactive: false, PythonChoice.Auto);

        Assert.True(code == 0, stderr.ToString());
        using var document = JsonDocument.Parse(stdout.ToString()); // nothing but the document on stdout
        using var schema = JsonDocument.Parse(await File.ReadAllTextAsync(RepositoryFile("docs/lab-results.schema.json")));
        Assert.Empty(MiniSchema.Validate(schema.RootElement, document.RootElement));
        var root = document.RootElement;

        var ids = root.GetProperty("experiments").EnumerateArray().Select(e => e.GetProperty("id").GetString()).ToList();
        Assert.Equal(DotNetIds().Concat(CPythonIds()).Order(), ids.Order());
        Assert.All(root.GetProperty("experiments").EnumerateArray(), e => Assert.True(e.GetProperty("seconds").GetDouble() > 0));
        Assert.Equal("measured", root.GetProperty("cpython").GetProperty("status").GetString());
        Assert.Matches(@"^3\.\d+\.\d+", root.GetProperty("machine").GetProperty("python").GetString());
        Assert.Contains(root.GetProperty("machine").GetProperty("gilEnabled").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
        Assert.StartsWith("TypeError", root.GetProperty("cpython").GetProperty("tutorialProcessPool").GetProperty("error").GetString());
        var ordering = root.GetProperty("cpython").GetProperty("ordering");
        Assert.Equal([5, 4, 3, 2, 1], ordering.GetProperty("map").EnumerateArray().Select(e => e.GetInt32()));

        var verdicts = root.GetProperty("verdicts").EnumerateArray().ToDictionary(v => v.GetProperty("id").GetString()!);
        Assert.Equal(11, verdicts.Count);
        Assert.Equal("cpython/cpu/threads", verdicts["cpu-threads"].GetProperty("evidence")[0].GetString());
        Assert.NotEqual(Verdict.NotMeasured, verdicts["gil-model"].GetProperty("outcome").GetString());
        var waits = root.GetProperty("cpython").GetProperty("concurrentWaits");
        Assert.Equal("cpython", waits.GetProperty("runtime").GetString());
        Assert.Equal(LabTestSettings.Tiny.Waits, waits.GetProperty("async").GetProperty("started").GetInt32());
        Assert.Equal("dotnet", root.GetProperty("concurrentWaits").GetProperty("runtime").GetString());
        Assert.Equal(["cpython.concurrentWaits", "concurrentWaits"], verdicts["async-waits"].GetProperty("evidence").EnumerateArray().Select(e => e.GetString()));

        Assert.True(File.Exists(Path.Combine(_out.FullName, "report.md")));
        Assert.Equal(stdout.ToString().Trim(), (await File.ReadAllTextAsync(Path.Combine(_out.FullName, "results.json"))).Trim());
        var png = await File.ReadAllBytesAsync(Path.Combine(_out.FullName, "chart.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.True(png.Length > 10_000);
    }

    [UnixFact]
    public async Task RunAsync_PythonFailsMidway_DotNetPartStillRunsAndTheFailureIsOneLine()
    {
        using var fake = new FakePython();
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = await LabCommand.RunAsync(LabTestSettings.Tiny, _out, json: false, stdout, stderr, interactive: false,
            new PythonChoice(false, fake.FailsAfterProbe()));

        Assert.True(code == 0, stderr.ToString());
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_out.FullName, "results.json")));
        var ids = document.RootElement.GetProperty("experiments").EnumerateArray().Select(e => e.GetProperty("id").GetString()).ToList();
        Assert.Equal(DotNetIds().Order(), ids.Order());
        var cpython = document.RootElement.GetProperty("cpython");
        Assert.Equal("failed", cpython.GetProperty("status").GetString());
        Assert.Contains("io-sleep: ", cpython.GetProperty("reason").GetString());
        var line = Assert.Single(stdout.ToString().Split('\n'), l => l.StartsWith("CPython: not measured (", StringComparison.Ordinal));
        Assert.Contains("RuntimeError: boom", line);
        Assert.Contains(".NET only", line);
    }

    [Fact]
    public async Task RunAsync_OutIsAFile_UsageErrorInOneLineBeforeAnyExperiment()
    {
        var file = Path.Combine(_out.FullName, "taken");
        await File.WriteAllTextAsync(file, "not a folder");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var start = Stopwatch.GetTimestamp();

        var code = await LabCommand.RunAsync(LabSettings.Full, new DirectoryInfo(file), json: false, stdout, stderr, interactive: false, PythonChoice.None);

        Assert.Equal(WeftApp.UsageError, code);
        Assert.Equal($"weft lab: --out {file}: is a file, not a folder", stderr.ToString().Trim());
        Assert.Empty(stdout.ToString()); // no progress line: nothing ran (the full lab takes minutes)
        Assert.True(Stopwatch.GetElapsedTime(start) < TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task RunAsync_OutUnderAFile_UsageError()
    {
        var file = Path.Combine(_out.FullName, "taken");
        await File.WriteAllTextAsync(file, "not a folder");
        var stderr = new StringWriter();

        var code = await LabCommand.RunAsync(LabSettings.Full, new DirectoryInfo(Path.Combine(file, "sub")), json: false, new StringWriter(), stderr, interactive: false, PythonChoice.None);

        Assert.Equal(WeftApp.UsageError, code);
        Assert.StartsWith($"weft lab: --out {Path.Combine(file, "sub")}: cannot write there (", stderr.ToString());
        Assert.Single(stderr.ToString().Trim().Split('\n'));
    }

    [Fact]
    public async Task Weft_PythonAndNoPythonTogether_UsageError()
    {
        var error = new StringWriter();

        var code = await WeftApp.RunAsync(["lab", "--python", "/usr/bin/python3", "--no-python"], error);

        Assert.Equal(WeftApp.UsageError, code);
        Assert.Contains("--python and --no-python cannot be used together", error.ToString());
    }
}
