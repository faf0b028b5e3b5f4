using Weft.Download;
using Weft.Images;

namespace Weft.Cli.Tests.Download;

/// <summary>Issue 12.6: unreadable state, a full disk, trickling servers, symbolic links, invisible characters.</summary>
public sealed class RobustnessTests
{
    [Fact]
    public async Task RunAsync_UnreadablePartMeta_StillOneRowAndSaved()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 2, Size = 5_000 });
        using var dir = new TempDirectory();
        await File.WriteAllBytesAsync(Path.Combine(dir.Out, "1.png.part"), server.GetImage(1)[..1_000]);
        // A .meta that exists but cannot be read, even by root: a link to /proc/self/mem (reading offset 0 is EIO).
        File.CreateSymbolicLink(Path.Combine(dir.Out, "1.png.part.meta"), "/proc/self/mem");

        var (summary, results) = await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out, Resume = true }, Hashes.Requests(server));

        Assert.Equal(2, results.Count);
        Assert.Equal(0, summary.ExitCode);
        Hashes.AssertAllImages(server, dir.Out);
    }

    [Fact]
    public async Task RunAsync_DiskFull_StopsEarlyKeepsThePartAndSaysWhy()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 6, Size = 20_000 });
        using var dir = new TempDirectory();
        var options = new DownloadOptions { OutputDirectory = dir.Out, Concurrency = 1, OpenPart = path => new FullDiskStream(path, roomBytes: 5_000) };

        var (summary, results) = await DownloadRun.RunAsync(options, Hashes.Requests(server));

        Assert.Equal(3, summary.ExitCode);
        Assert.Contains("disk full", summary.StopReason, StringComparison.Ordinal);
        Assert.Equal(6, results.Count);
        Assert.Single(results, r => r.Status == DownloadStatus.Failed);
        Assert.Equal(5, results.Count(r => r.Status == DownloadStatus.Cancelled && r.Error!.Contains("disk full", StringComparison.Ordinal)));
        Assert.Equal(1, server.Requests); // stopped at once, no URL after it tried
        Assert.Equal(5_000, new FileInfo(Path.Combine(dir.Out, "1.png.part")).Length); // kept for --resume
    }

    [Fact]
    public async Task RunAsync_ServerTrickles_FailsTheSpeedLimitLongBeforeTheIdleTimeout()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 20_000, BytesPerSecond = 400 });
        using var dir = new TempDirectory();
        var options = new DownloadOptions { OutputDirectory = dir.Out, Retries = 0, SpeedLimit = 10_000, SpeedTime = TimeSpan.FromSeconds(1) };

        var (summary, results) = await DownloadRun.RunAsync(options, Hashes.Requests(server));

        Assert.Equal(3, summary.ExitCode);
        Assert.Contains("--speed-limit", results.Single().Error, StringComparison.Ordinal);
        Assert.True(results.Single().Elapsed < TimeSpan.FromSeconds(15), $"took {results.Single().Elapsed}"); // the trickle needs 50 s
    }

    [Fact]
    public async Task RunAsync_MaxTime_FailsWithoutRetry()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 20_000, BytesPerSecond = 400 });
        using var dir = new TempDirectory();
        var options = new DownloadOptions { OutputDirectory = dir.Out, Retries = 3, MaxTime = TimeSpan.FromSeconds(1) };

        var (_, results) = await DownloadRun.RunAsync(options, Hashes.Requests(server));

        Assert.Equal(DownloadStatus.Failed, results.Single().Status);
        Assert.Contains("--max-time", results.Single().Error, StringComparison.Ordinal);
        Assert.Equal(1, results.Single().Attempts);
    }

    [Fact]
    public async Task RunAsync_PartIsASymlinkToAVictim_VictimUntouched()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 5_000 });
        using var dir = new TempDirectory();
        var victim = Path.Combine(dir.Root, "victim.txt");
        await File.WriteAllTextAsync(victim, "precious");
        File.CreateSymbolicLink(Path.Combine(dir.Out, "1.png.part"), victim);

        var (summary, _) = await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out, Resume = true }, Hashes.Requests(server));

        Assert.Equal(0, summary.ExitCode);
        Assert.Equal("precious", await File.ReadAllTextAsync(victim));
        Hashes.AssertAllImages(server, dir.Out);
    }

    [Fact]
    public async Task RunAsync_RightToLeftOverrideInServerName_RemovedFromTheSavedName()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 1_000 });
        using var dir = new TempDirectory();
        var url = DownloadRun.Named(server, 1, "attachment; filename*=UTF-8''invoice%E2%80%AEgpj.exe");

        var (_, results) = await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out }, [new(url)]);

        var name = Path.GetFileName(results.Single().Path!);
        Assert.Equal("invoice_gpj.exe", name);
    }

    [Fact]
    public async Task RunAsync_OnResultThrows_RunStillFinishesThenRethrows()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 6, Size = 1_000 });
        using var dir = new TempDirectory();
        using var downloader = new Downloader(new DownloadOptions { OutputDirectory = dir.Out, Concurrency = 2 });
        var calls = 0;

        var run = downloader.RunAsync(Hashes.Requests(server), _ =>
        {
            Interlocked.Increment(ref calls);
            throw new InvalidOperationException("the caller's bug");
        });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => run.WaitAsync(DownloadRun.Timeout));
        Assert.Equal("the caller's bug", error.Message);
        Assert.Equal(6, calls);
        Hashes.AssertAllImages(server, dir.Out);
    }

    /// <summary>A .part file on a disk with room for <c>roomBytes</c>: then ENOSPC, as Linux reports it.</summary>
    private sealed class FullDiskStream(string path, long roomBytes) : FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite)
    {
        public override void Write(ReadOnlySpan<byte> buffer)
        {
            var room = (int)Math.Max(0, roomBytes - Position);
            base.Write(buffer[..Math.Min(room, buffer.Length)]);
            if (buffer.Length > room)
            {
                throw new IOException("No space left on device", 28);
            }
        }
    }
}
