using System.CommandLine;
using System.Text.Json;
using Weft.Cli.Commands;
using Weft.Cli.Get;
using Weft.Download;
using Weft.Images;

namespace Weft.Cli.Tests.Download;

public sealed class GetCommandTests
{
    private static Task<(int Exit, string Out, string Error)> GetAsync(string stdin, params string[] args) => GetAsync(stdin, interactive: false, args);

    private static async Task<(int Exit, string Out, string Error)> GetAsync(string stdin, bool interactive, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new GetConsole(new StringReader(stdin), output, error, interactive);
        var root = new RootCommand { GetCommand.Create(console) };
        var exit = await root.Parse(["get", .. args]).InvokeAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Get_ListFromUrl_SavesEveryImageAndExits0()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 12, Size = 3_000 });
        using var dir = new TempDirectory();

        var (exit, output, _) = await GetAsync("", "-i", server.ListUri.AbsoluteUri, "-o", dir.Out, "-j", "4");

        Assert.Equal(0, exit);
        Assert.Contains("12 saved", output, StringComparison.Ordinal);
        Hashes.AssertAllImages(server, dir.Out);
    }

    [Fact]
    public async Task Get_ListFromStdinWithSomeFailures_Exits1AndWritesFailedFile()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 2, Size = 1_000 });
        using var dir = new TempDirectory();
        var missing = new Uri(server.BaseAddress, "status/404").AbsoluteUri;
        var stdin = $"# images\n{server.ImageUris[0]}\n\n{missing}\tmissing.png\n";
        var failedFile = Path.Combine(dir.Root, "failed.txt");

        var (exit, _, _) = await GetAsync(stdin, "-i", "-", "-o", dir.Out, "--failed", failedFile);

        Assert.Equal(1, exit);
        Assert.Equal($"{missing}\tmissing.png\n", await File.ReadAllTextAsync(failedFile));
        Assert.True(File.Exists(Path.Combine(dir.Out, "1.png")));
    }

    [Fact]
    public async Task Get_AllFail_Exits3()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 1_000 });
        using var dir = new TempDirectory();

        var (exit, _, _) = await GetAsync("", new Uri(server.BaseAddress, "status/403").AbsoluteUri, "-o", dir.Out);

        Assert.Equal(3, exit);
    }

    [Fact]
    public async Task Get_MalformedLines_ReportedWithLineNumbers()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 1_000 });
        using var dir = new TempDirectory();
        var list = Path.Combine(dir.Root, "list.txt");
        await File.WriteAllTextAsync(list, $"{server.ImageUris[0]}\nnot a url\nftp://example.com/x.png\n");

        var (exit, _, error) = await GetAsync("", "-i", list, "-o", dir.Out);

        Assert.Equal(1, exit);
        Assert.Contains("line 2: not an absolute URL", error, StringComparison.Ordinal);
        Assert.Contains("line 3: unsupported scheme 'ftp'", error, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir.Out, "1.png")));
    }

    [Fact]
    public async Task Get_StrictWithMalformedLine_Exits2BeforeDownloading()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 1_000 });
        using var dir = new TempDirectory();

        var (exit, _, error) = await GetAsync($"{server.ImageUris[0]}\nfile:///etc/passwd\n", "-i", "-", "-o", dir.Out, "--strict");

        Assert.Equal(2, exit);
        Assert.Contains("line 2", error, StringComparison.Ordinal);
        Assert.Equal(0, server.Requests);
        Assert.Empty(dir.VisibleFiles());
    }

    [Fact]
    public async Task Get_NoUrls_Exits2()
    {
        var (exit, _, _) = await GetAsync("");

        Assert.Equal(2, exit);
    }

    [Fact]
    public async Task Get_Json_OneObjectPerUrlThenSummary()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 3, Size = 1_000 });
        using var dir = new TempDirectory();

        var (exit, output, _) = await GetAsync("", "-i", server.ListUri.AbsoluteUri, "-o", dir.Out, "--json");

        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(4, lines.Length);
        Assert.All(lines[..3], l =>
        {
            Assert.Equal("file", l.GetProperty("type").GetString());
            Assert.Equal("saved", l.GetProperty("status").GetString());
            Assert.Equal(200, l.GetProperty("http").GetInt32());
            Assert.Equal(1, l.GetProperty("attempts").GetInt32());
        });
        Assert.Equal("summary", lines[3].GetProperty("type").GetString());
        Assert.Equal(0, lines[3].GetProperty("invalidLines").GetInt32()); // camelCase, as lab --json
        Assert.Equal(3, lines[3].GetProperty("saved").GetInt32());
        Assert.Equal(0, lines[3].GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public async Task Get_DryRun_PrintsNamesAndCollisionsWithoutRequests()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 1_000 });
        using var dir = new TempDirectory();
        var stdin = $"{server.ImageUris[0]}?a=1\n{server.ImageUris[0]}?a=2\n";

        var (exit, output, _) = await GetAsync(stdin, "-i", "-", "-o", dir.Out, "--dry-run");

        Assert.Equal(0, exit);
        Assert.Contains("1.png", output, StringComparison.Ordinal);
        Assert.Contains("name collides with", output, StringComparison.Ordinal);
        Assert.Equal(0, server.Requests);
    }

    [Fact]
    public async Task Get_JsonDryRun_PrintsJsonOnly()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 1_000 });
        using var dir = new TempDirectory();
        var stdin = $"{server.ImageUris[0]}?a=1\n{server.ImageUris[0]}?a=2\n{server.ImageUris[0]}?a=1\n";

        var (exit, output, _) = await GetAsync(stdin, "-i", "-", "-o", dir.Out, "--dry-run", "--json");

        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(["plan", "plan", "plan", "planSummary"], lines.Select(l => l.GetProperty("type").GetString()));
        Assert.True(lines[2].GetProperty("duplicate").GetBoolean());
        Assert.Equal(1, lines[3].GetProperty("collisions").GetInt32());
        Assert.Equal(0, server.Requests);
    }

    [Fact]
    public async Task Get_Interactive_SpectreProgressThenTable()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 6, Size = 20_000, Latency = TimeSpan.FromMilliseconds(200) });
        using var dir = new TempDirectory();

        var (exit, output, _) = await GetAsync("", interactive: true, "-i", server.ListUri.AbsoluteUri, "-o", dir.Out, "-j", "2");

        Assert.Equal(0, exit);
        Assert.Contains("6 saved", output, StringComparison.Ordinal);
        Hashes.AssertAllImages(server, dir.Out);
    }
}
