using System.Text.Json;
using Weft.Cli.Commands;
using Weft.Cli.Lab;

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

    [Fact]
    public async Task RunAsync_QuickJson_PrintsSchemaValidDocumentAndWritesThreeFiles()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = await LabCommand.RunAsync(LabSettings.Quick, _out, json: true, stdout, stderr, interactive: false);

        Assert.True(code == 0, stderr.ToString());
        using var document = JsonDocument.Parse(stdout.ToString()); // nothing but the document on stdout
        using var schema = JsonDocument.Parse(await File.ReadAllTextAsync(RepositoryFile("docs/lab-results.schema.json")));
        Assert.Empty(MiniSchema.Validate(schema.RootElement, document.RootElement));

        var experiments = document.RootElement.GetProperty("experiments").EnumerateArray().ToList();
        foreach (var workload in Strategies.Workloads)
        {
            foreach (var strategy in Strategies.All)
            {
                var e = Assert.Single(experiments, x => x.GetProperty("id").GetString() == $"{workload}/{strategy}");
                Assert.True(e.GetProperty("seconds").GetDouble() > 0, $"{workload}/{strategy}");
            }
        }

        var waits = document.RootElement.GetProperty("concurrentWaits");
        Assert.True(waits.GetProperty("threads").GetProperty("seconds").GetDouble() > 0);
        Assert.True(waits.GetProperty("async").GetProperty("seconds").GetDouble() > 0);
        Assert.Equal(10, document.RootElement.GetProperty("verdicts").GetArrayLength());
        Assert.DoesNotContain(document.RootElement.GetProperty("verdicts").EnumerateArray(), v => v.GetProperty("outcome").GetString() == Verdict.NotMeasured);

        Assert.True(File.Exists(Path.Combine(_out.FullName, "report.md")));
        Assert.Equal(stdout.ToString().Trim(), (await File.ReadAllTextAsync(Path.Combine(_out.FullName, "results.json"))).Trim());
        var png = await File.ReadAllBytesAsync(Path.Combine(_out.FullName, "chart.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.True(png.Length > 10_000);
    }
}
