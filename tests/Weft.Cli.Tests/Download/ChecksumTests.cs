using Weft.Download;
using Weft.Images;

namespace Weft.Cli.Tests.Download;

/// <summary>Issue 12.2: the manifest entry follows the URL's planned name or the URL, never the final name.</summary>
public sealed class ChecksumTests
{
    private static readonly string s_wrong = new('0', 64);

    [Fact]
    public async Task RunAsync_ServerSuppliedNameDiffers_ChecksumStillEnforced()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 2_000 });
        using var dir = new TempDirectory();
        var url = DownloadRun.Named(server, 1, "attachment; filename=\"other.png\"");
        var sums = new Dictionary<string, string> { ["1.png"] = s_wrong };

        var (summary, results) = await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out, Checksums = sums }, [new(url)]);

        Assert.Equal(3, summary.ExitCode);
        Assert.Contains("sha256 mismatch", results.Single().Error, StringComparison.Ordinal);
        Assert.Empty(dir.VisibleFiles());
    }

    [Fact]
    public async Task RunAsync_RenamedForAnExistingFile_ChecksumStillEnforced()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 2_000 });
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(dir.Out, "1.png"), "mine");
        var sums = new Dictionary<string, string> { ["1.png"] = s_wrong };

        var (summary, _) = await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out, Checksums = sums, OnExists = OnExists.Rename }, Hashes.Requests(server));

        Assert.Equal(3, summary.ExitCode);
        Assert.Equal(["1.png"], dir.VisibleFiles().Select(Path.GetFileName));
    }

    [Fact]
    public async Task Parse_EntryIsAUrl_MatchedByUrl()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 2, Size = 2_000 });
        using var dir = new TempDirectory();
        var manifest = $"{Hashes.Of(server.GetImage(1))}  {server.ImageUris[0]}\n{s_wrong}  {server.ImageUris[1]}\n";
        var sums = ChecksumManifest.Parse(new StringReader(manifest));

        var (summary, results) = await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out, Checksums = sums }, Hashes.Requests(server));

        Assert.Equal(1, summary.ExitCode);
        Assert.Equal(DownloadStatus.Saved, results.Single(r => r.Url == server.ImageUris[0]).Status);
        Assert.Equal(DownloadStatus.Failed, results.Single(r => r.Url == server.ImageUris[1]).Status);
    }
}
