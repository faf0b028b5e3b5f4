using System.Diagnostics;
using Weft.Download;
using Weft.Images;

namespace Weft.Cli.Tests.Download;

/// <summary>Issue 20, items 1-5: weft loses nothing and saves only whole files of one version.</summary>
public sealed class Issue20DataTests
{
    [Fact]
    public async Task RunAsync_UsersDraftNamedLikeThePart_NeverDeleted()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 3_000 });
        using var dir = new TempDirectory();
        var draft = Path.Combine(dir.Out, "1.png.part");
        var notes = Path.Combine(dir.Out, "notes.txt.part");
        await File.WriteAllTextAsync(draft, "my draft");
        await File.WriteAllTextAsync(draft + ".meta", "my meta notes");
        await File.WriteAllTextAsync(notes, "my other draft");
        DownloadRequest[] requests = [new(server.ImageUris[0]), new(new Uri(server.ImageUris[0] + "?x=1")) { Name = "notes.txt" }];

        var (summary, _) = await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out }, requests);

        Assert.Equal(0, summary.ExitCode);
        Assert.Equal("my draft", await File.ReadAllTextAsync(draft));
        Assert.Equal("my meta notes", await File.ReadAllTextAsync(draft + ".meta"));
        Assert.Equal("my other draft", await File.ReadAllTextAsync(notes));
        Assert.Equal(server.GetImage(1), await File.ReadAllBytesAsync(Path.Combine(dir.Out, "1.png")));
        Assert.Equal(server.GetImage(1), await File.ReadAllBytesAsync(Path.Combine(dir.Out, "notes.txt")));
        Assert.Empty(Directory.GetFiles(dir.Out, "*.1.part*")); // weft's own stand-in .part is gone
    }

    [Fact]
    public async Task RunAsync_ServerIgnoresIfRangeAndResumesWithANewVersion_SavedFileIsOneVersion()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 0 });
        using var dir = new TempDirectory();
        var url = new Uri(server.BaseAddress, "bad/v.bin?size=100000&versions=1&holdms=20000&resetat=50000&ifrange=ignore");

        var (summary, results) = await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out, RetryBaseDelay = TimeSpan.FromMilliseconds(1), IdleTimeout = TimeSpan.FromSeconds(1) }, [new(url)]);

        Assert.Equal(0, summary.ExitCode);
        var saved = await File.ReadAllBytesAsync(results.Single().Path!);
        Assert.Contains(server.RequestLog, r => r.Status == 206); // the server did answer a resume with v2
        Assert.Contains(Enumerable.Range(1, 6), v => ImageServer.VersionedBytes(v, 100_000).AsSpan().SequenceEqual(saved));
    }

    [Fact]
    public async Task RunAsync_ResumeAnsweredWithStarTotalAndFewBytes_NeverSavedShort()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 0 });
        using var dir = new TempDirectory();
        var url = new Uri(server.BaseAddress, "bad/s.bin?size=100000&holdms=20000&resetat=30000&short=10&star=1");

        var (summary, results) = await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out, Retries = 2, RetryBaseDelay = TimeSpan.FromMilliseconds(1), IdleTimeout = TimeSpan.FromSeconds(1) }, [new(url)]);

        Assert.Equal(3, summary.ExitCode);
        Assert.Contains("of 100000 bytes", results.Single().Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dir.Out, "s.bin")));
    }

    [Fact]
    public async Task RunAsync_ResumeAnsweredFromTheWrongByte_StartsOverAndSavesTheWholeFile()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 0 });
        using var dir = new TempDirectory();
        var url = new Uri(server.BaseAddress, "bad/w.bin?size=60000&holdms=20000&resetat=30000&shift=5");

        var (summary, results) = await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out, RetryBaseDelay = TimeSpan.FromMilliseconds(1), IdleTimeout = TimeSpan.FromSeconds(1) }, [new(url)]);

        Assert.Equal(0, summary.ExitCode);
        Assert.Equal(ImageServer.VersionedBytes(1, 60_000), await File.ReadAllBytesAsync(results.Single().Path!));
        Assert.Contains(server.RequestLog, r => r.Status == 206 && r.Headers["Range"] == "bytes=30000-");
    }

    [Fact]
    public async Task RunAsync_ReRunWithAChecksumTheFileOnDiskFails_NotSkipped()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 2, Size = 3_000 });
        using var dir = new TempDirectory();
        await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out }, Hashes.Requests(server));
        var sums = new Dictionary<string, string> { ["1.png"] = new string('0', 64), ["2.png"] = Hashes.Of(server.GetImage(2)) };
        var before = server.Requests;

        var (summary, results) = await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out, Checksums = sums }, Hashes.Requests(server));

        Assert.Equal(1, summary.ExitCode);
        Assert.Contains("sha256", results.Single(r => r.Url == server.ImageUris[0]).Error, StringComparison.Ordinal);
        var second = results.Single(r => r.Url == server.ImageUris[1]);
        Assert.Equal(DownloadStatus.Skipped, second.Status);
        Assert.Equal("already complete (sha256 matches)", second.Note);
        Assert.Equal(before + 1, server.Requests); // the matching file needed no request at all
    }

    [Fact]
    public async Task RunAsync_ServerWithoutValidatorsChangedTheFile_OwnCopyReplacedNotKeptByLength()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 0 });
        using var dir = new TempDirectory();
        var url = new Uri(server.BaseAddress, "bad/nv.bin?size=5000&versions=1&validators=0");
        var options = new DownloadOptions { OutputDirectory = dir.Out };
        await DownloadRun.RunAsync(options, [new(url)]);

        var (summary, results) = await DownloadRun.RunAsync(options, [new(url)]);

        Assert.Equal(0, summary.ExitCode);
        Assert.Equal(DownloadStatus.Saved, results.Single().Status);
        Assert.Equal(ImageServer.VersionedBytes(2, 5_000), await File.ReadAllBytesAsync(Path.Combine(dir.Out, "nv.bin")));
        Assert.Equal(["nv.bin"], dir.VisibleFiles().Select(Path.GetFileName));
    }

    [Fact]
    public async Task RunAsync_MetaFileIsAFifo_NeverHangs()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 3_000 });
        using var dir = new TempDirectory();
        await File.WriteAllBytesAsync(Path.Combine(dir.Out, "1.png"), server.GetImage(1));
        MakeFifo(Path.Combine(dir.Out, ".1.png.meta"));
        MakeFifo(Path.Combine(dir.Out, "1.png.part.meta"));

        var (summary, results) = await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out, Resume = true }, Hashes.Requests(server));

        Assert.Equal(0, summary.ExitCode);
        Assert.Equal(DownloadStatus.Skipped, results.Single().Status); // the same bytes: a foreign file, kept
    }

    [Fact]
    public async Task RunAsync_MetaFileIsALinkToDevZero_IgnoredWithoutReadingIt()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 3_000 });
        using var dir = new TempDirectory();
        await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out }, Hashes.Requests(server));
        var meta = Path.Combine(dir.Out, ".1.png.meta");
        File.Delete(meta);
        File.CreateSymbolicLink(meta, "/dev/zero");

        var (summary, _) = await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out }, Hashes.Requests(server));

        Assert.Equal(0, summary.ExitCode);
        Assert.Equal("/dev/zero", new FileInfo(meta).LinkTarget); // not weft's: left alone, never written through
    }

    [Fact]
    public async Task RunAsync_Commit_FsyncsTheVeryHandleItWrote()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 2, Size = 3_000 });
        using var dir = new TempDirectory();
        var synced = 0;
        var options = new DownloadOptions { OutputDirectory = dir.Out, OpenPart = path => new SyncCounting(path, () => Interlocked.Increment(ref synced)) };

        var (summary, _) = await DownloadRun.RunAsync(options, Hashes.Requests(server));

        Assert.Equal(0, summary.ExitCode);
        Assert.Equal(2, synced);
        Hashes.AssertAllImages(server, dir.Out);
    }

    [Fact]
    public void TryRenameNoReplace_AnythingAtTheTarget_NothingMovedNothingReplaced()
    {
        using var dir = new TempDirectory();
        var source = Path.Combine(dir.Out, "a.part");
        File.WriteAllText(source, "new");
        var file = Path.Combine(dir.Out, "file");
        var folder = Path.Combine(dir.Out, "folder");
        var dangling = Path.Combine(dir.Out, "dangling");
        File.WriteAllText(file, "theirs");
        Directory.CreateDirectory(folder);
        File.CreateSymbolicLink(dangling, Path.Combine(dir.Root, "nowhere"));

        Assert.False(NativeFile.TryRenameNoReplace(source, file));
        Assert.False(NativeFile.TryRenameNoReplace(source, folder));
        Assert.False(NativeFile.TryRenameNoReplace(source, dangling));
        Assert.True(NativeFile.TryRenameNoReplace(source, Path.Combine(dir.Out, "free")));

        Assert.Equal("theirs", File.ReadAllText(file));
        Assert.False(File.Exists(Path.Combine(dir.Root, "nowhere")));
        Assert.Equal("new", File.ReadAllText(Path.Combine(dir.Out, "free")));
        Assert.False(File.Exists(source));
    }

    private static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start("mkfifo", path);
        Assert.True(mkfifo.WaitForExit(10_000));
        Assert.Equal(0, mkfifo.ExitCode);
    }

    /// <summary>A .part that counts fsyncs made through it.</summary>
    private sealed class SyncCounting(string path, Action onSync) : FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite)
    {
        public override void Flush(bool flushToDisk)
        {
            if (flushToDisk)
            {
                onSync();
            }

            base.Flush(flushToDisk);
        }
    }
}
