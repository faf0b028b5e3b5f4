using Weft.Download;
using Weft.Images;

namespace Weft.Cli.Tests.Download;

/// <summary>Issue 12.5: the edges of <c>--resume</c>.</summary>
public sealed class ResumeTests
{
    [Fact]
    public async Task RunAsync_CompletePartGets416_TreatedAsDoneNotFetchedAgain()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 20_000 });
        using var dir = new TempDirectory();
        await File.WriteAllBytesAsync(Path.Combine(dir.Out, "1.png.part"), server.GetImage(1));

        var (summary, results) = await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out, Resume = true }, Hashes.Requests(server));

        Assert.Equal(0, summary.ExitCode);
        var result = results.Single();
        Assert.Equal(416, result.HttpStatus);
        Assert.Equal(1, result.Attempts);
        Assert.Equal(0, result.Written);
        Assert.Equal(1, server.Requests);
        Assert.Equal(server.GetImage(1), await File.ReadAllBytesAsync(Path.Combine(dir.Out, "1.png")));
        Assert.False(File.Exists(Path.Combine(dir.Out, "1.png.part")));
    }

    [Fact]
    public async Task RunAsync_416WithRetriesOff_FailsKeepsThePartAndDoesNotClaimToStartOver()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 20_000 });
        using var dir = new TempDirectory();
        var part = Path.Combine(dir.Out, "1.png.part");
        var longer = new byte[server.GetImage(1).Length + 10];
        await File.WriteAllBytesAsync(part, longer);

        var (summary, results) = await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out, Resume = true, Retries = 0 }, Hashes.Requests(server));

        Assert.Equal(3, summary.ExitCode);
        Assert.DoesNotContain("starting over", results.Single().Error, StringComparison.Ordinal);
        Assert.Contains("416", results.Single().Error, StringComparison.Ordinal);
        Assert.Equal(longer.Length, new FileInfo(part).Length);
    }

    [Fact]
    public async Task RunAsync_416WithRetries_StartsOverFromZeroAndSaves()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 20_000 });
        using var dir = new TempDirectory();
        await File.WriteAllBytesAsync(Path.Combine(dir.Out, "1.png.part"), new byte[server.GetImage(1).Length + 10]);

        var (summary, results) = await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out, Resume = true, RetryBaseDelay = TimeSpan.FromMilliseconds(1) }, Hashes.Requests(server));

        Assert.Equal(0, summary.ExitCode);
        Assert.Equal(2, results.Single().Attempts);
        Assert.Equal(server.GetImage(1), await File.ReadAllBytesAsync(Path.Combine(dir.Out, "1.png")));
    }
}
