using Weft.Download;
using Weft.Images;

namespace Weft.Cli.Tests.Download;

/// <summary>Issue 12.7: headers, user agent, redirects with the final URL reported.</summary>
public sealed class RequestOptionsTests
{
    [Fact]
    public async Task RunAsync_HeadersAndUserAgent_SentWithEveryRequest()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 2, Size = 1_000 });
        using var dir = new TempDirectory();
        var options = new DownloadOptions { OutputDirectory = dir.Out, UserAgent = "my-agent/2", Headers = [new("X-Token", "abc"), new("Accept", "image/png")] };

        await DownloadRun.RunAsync(options, Hashes.Requests(server));

        Assert.All(server.RequestLog, r =>
        {
            Assert.Equal("my-agent/2", r.Headers["User-Agent"]);
            Assert.Equal("abc", r.Headers["X-Token"]);
            Assert.Equal("image/png", r.Headers["Accept"]);
        });
    }

    [Fact]
    public async Task RunAsync_Redirects_FinalUrlReportedAndMaxRedirsEnforced()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 1_000 });
        using var dir = new TempDirectory();
        var hops = new Uri(server.BaseAddress, "hops/3/1");

        var (_, followed) = await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out, MaxRedirects = 5 }, [new(hops)]);
        var (_, refused) = await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out, MaxRedirects = 2 }, [new(hops) { Name = "other.png" }]);

        Assert.Equal(DownloadStatus.Saved, followed.Single().Status);
        Assert.Equal(server.ImageUris[0], followed.Single().FinalUrl);
        Assert.Equal(server.GetImage(1), await File.ReadAllBytesAsync(followed.Single().Path!));
        Assert.Equal(DownloadStatus.Failed, refused.Single().Status);
        Assert.Contains("--max-redirs 2", refused.Single().Error, StringComparison.Ordinal);
    }
}
