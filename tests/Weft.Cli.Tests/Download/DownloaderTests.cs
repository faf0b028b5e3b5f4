using Weft.Download;
using Weft.Images;

namespace Weft.Cli.Tests.Download;

public sealed class DownloaderTests
{
    private static readonly TimeSpan s_testTimeout = DownloadRun.Timeout;

    private static Task<(DownloadSummary Summary, List<DownloadResult> Results)> RunAsync(DownloadOptions options, IReadOnlyList<DownloadRequest> requests, CancellationToken cancellationToken = default) =>
        DownloadRun.RunAsync(options, requests, cancellationToken);

    [Fact]
    public async Task RunAsync_NoFaults_EveryFileByteIdentical()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 30, Size = 8_000, Latency = TimeSpan.FromMilliseconds(5) });
        using var dir = new TempDirectory();

        var (summary, results) = await RunAsync(new DownloadOptions { OutputDirectory = dir.Out, Concurrency = 8 }, Hashes.Requests(server));

        Assert.Equal(0, summary.ExitCode);
        Assert.Equal(30, summary.Saved);
        Assert.All(results, r => Assert.Equal(1, r.Attempts));
        Hashes.AssertAllImages(server, dir.Out);
        Assert.Equal(30, dir.VisibleFiles().Length); // no .part left behind
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Constructor_EmptyOutputDirectory_ThrowsNamingIt(string directory)
    {
        var error = Assert.Throws<ArgumentException>(() => new Downloader(new DownloadOptions { OutputDirectory = directory }));

        Assert.Contains("OutputDirectory is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_RelativeOutputDirectory_SavesUnderItsFullPath()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 3, Size = 2_000 });
        var relative = $"weft-relative-{Guid.NewGuid():N}";
        try
        {
            var (summary, results) = await RunAsync(new DownloadOptions { OutputDirectory = relative }, Hashes.Requests(server));

            Assert.Equal(3, summary.Saved);
            Assert.All(results, r => Assert.Equal(Path.Combine(Path.GetFullPath(relative), Path.GetFileName(r.Path!)), r.Path));
            Hashes.AssertAllImages(server, relative);
        }
        finally
        {
            Directory.Delete(relative, recursive: true);
        }
    }

    [Fact]
    public async Task RunAsync_Concurrency_ServerNeverSeesMoreInFlight()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 40, Size = 2_000, Latency = TimeSpan.FromMilliseconds(40) });
        using var dir = new TempDirectory();

        var (summary, _) = await RunAsync(new DownloadOptions { OutputDirectory = dir.Out, Concurrency = 6 }, Hashes.Requests(server));

        Assert.Equal(0, summary.ExitCode);
        Assert.InRange(server.MaxInFlight, 2, 6);
    }

    [Fact]
    public async Task RunAsync_PerHost_LimitsAcrossAllFiles()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 24, Size = 2_000, Latency = TimeSpan.FromMilliseconds(40) });
        using var dir = new TempDirectory();

        var (summary, _) = await RunAsync(new DownloadOptions { OutputDirectory = dir.Out, Concurrency = 12, PerHost = 3 }, Hashes.Requests(server));

        Assert.Equal(0, summary.ExitCode);
        Assert.InRange(server.MaxInFlight, 1, 3);
        Hashes.AssertAllImages(server, dir.Out);
    }

    [Fact]
    public async Task RunAsync_InjectedFaults_AllRecoveredWithDefaultRetries()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions
        {
            Files = 40,
            Size = 20_000,
            FailRate = 0.1,
            ResetRate = 0.1,
            RateLimitRate = 0.05,
            StallRate = 0.05,
            StallTime = TimeSpan.FromSeconds(20),
        });
        using var dir = new TempDirectory();

        // Default retries; only the idle timeout is shortened so the stalled bodies cost 1 s, not 30.
        var (summary, results) = await RunAsync(new DownloadOptions { OutputDirectory = dir.Out, Concurrency = 16, IdleTimeout = TimeSpan.FromSeconds(1) }, Hashes.Requests(server));

        Assert.Equal(0, summary.ExitCode);
        Assert.Equal(40, summary.Saved);
        Assert.True(results.Count(r => r.Attempts > 1) >= 12, "every faulty path needed a second attempt");
        Assert.True(server.RangeRequests >= 1, "reset and stalled bodies resume with Range");
        Hashes.AssertAllImages(server, dir.Out);
        Assert.Equal(40, dir.VisibleFiles().Length);
    }

    [Fact]
    public async Task RunAsync_RetriesOffUnderFaults_FailsAndNoBadFileUnderFinalName()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 20, Size = 20_000, FailRate = 0.1, ResetRate = 0.1 });
        using var dir = new TempDirectory();

        var (summary, results) = await RunAsync(new DownloadOptions { OutputDirectory = dir.Out, Retries = 0 }, Hashes.Requests(server));

        Assert.Equal(1, summary.ExitCode);
        Assert.Equal(4, summary.Failed);
        foreach (var failed in results.Where(r => r.Status == DownloadStatus.Failed))
        {
            Assert.False(File.Exists(Path.Combine(dir.Out, Path.GetFileName(failed.Url.AbsolutePath))));
        }

        foreach (var path in Directory.GetFiles(dir.Out, "*.png"))
        {
            var n = int.Parse(Path.GetFileNameWithoutExtension(path), System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(Hashes.Of(server.GetImage(n)), Hashes.OfFile(path));
        }
    }

    [Fact]
    public async Task RunAsync_Resume_ContinuesPartFileWithRange()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 3, Size = 30_000 });
        using var dir = new TempDirectory();
        var image = server.GetImage(2);
        await File.WriteAllBytesAsync(Path.Combine(dir.Out, "2.png.part"), image[..12_345]);

        var (summary, results) = await RunAsync(new DownloadOptions { OutputDirectory = dir.Out, Resume = true }, [new DownloadRequest(server.ImageUris[1])]);

        Assert.Equal(0, summary.ExitCode);
        Assert.Equal(206, results.Single().HttpStatus);
        Assert.Equal(1, server.RangeRequests);
        Assert.Equal(image.Length - 12_345, results.Single().Written); // issue 12.5: this run's bytes only
        Assert.Equal(image.Length - 12_345, summary.Bytes);
        Assert.Equal(image, await File.ReadAllBytesAsync(Path.Combine(dir.Out, "2.png")));
        Assert.False(File.Exists(Path.Combine(dir.Out, "2.png.part")));
    }

    [Fact]
    public async Task RunAsync_ResumeWithChangedValidator_StartsOver()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 30_000 });
        using var dir = new TempDirectory();
        var part = Path.Combine(dir.Out, "1.png.part");
        await File.WriteAllBytesAsync(part, new byte[10_000]); // not the server's bytes
        await File.WriteAllTextAsync(part + ".meta", "\"an-older-version\"");

        var (summary, results) = await RunAsync(new DownloadOptions { OutputDirectory = dir.Out, Resume = true }, Hashes.Requests(server));

        Assert.Equal(0, summary.ExitCode);
        Assert.Equal(200, results.Single().HttpStatus); // If-Range did not match: the whole file came back
        Assert.Equal(server.GetImage(1), await File.ReadAllBytesAsync(Path.Combine(dir.Out, "1.png")));
        Assert.Equal(["1.png"], dir.VisibleFiles().Select(Path.GetFileName));
    }

    [Fact]
    public async Task RunAsync_MaxSize_FailsAndLeavesNothing()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 2, Size = 10_000 });
        using var dir = new TempDirectory();

        var (summary, results) = await RunAsync(new DownloadOptions { OutputDirectory = dir.Out, MaxSize = 5_000 }, Hashes.Requests(server));

        Assert.Equal(3, summary.ExitCode);
        Assert.All(results, r => Assert.Contains("max-size", r.Error, StringComparison.Ordinal));
        Assert.All(results, r => Assert.Equal(1, r.Attempts));
        Assert.Empty(dir.VisibleFiles());
    }

    [Theory]
    [InlineData("attachment; filename=\"../../x.png\"", "x.png")]
    [InlineData("attachment; filename=\"/abs/x.png\"", "x.png")]
    [InlineData("attachment; filename=\"..\\\\..\\\\x.png\"", "x.png")]
    [InlineData("attachment; filename=\"\"", "1.png")]
    [InlineData("attachment; filename=\"..\"", "1.png")]
    [InlineData("attachment; filename=\"a%00b.png\"", "a%00b.png")]
    [InlineData("attachment; filename*=UTF-8''..%2F..%2Fy%00z.png", "y_z.png")]
    [InlineData("attachment; filename=\"CON\"", "_CON.png")]
    [InlineData("attachment; filename=\"nul.txt\"", "_nul.txt")]
    [InlineData("attachment; filename*=UTF-8''caf%C3%A9.png; filename=\"cafe.png\"", "café.png")]
    public async Task RunAsync_HostileContentDisposition_StaysInsideOutput(string disposition, string expected)
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 1_000 });
        using var dir = new TempDirectory();
        var url = new Uri(server.ImageUris[0] + "?cd=" + Uri.EscapeDataString(disposition));

        var (summary, results) = await RunAsync(new DownloadOptions { OutputDirectory = dir.Out }, [new DownloadRequest(url)]);

        Assert.Equal(0, summary.ExitCode);
        Assert.Equal(Path.Combine(dir.Out, expected), results.Single().Path);
        Assert.Empty(dir.FilesOutsideOut());
        Assert.Equal(server.GetImage(1), await File.ReadAllBytesAsync(results.Single().Path!));
    }

    [Fact]
    public async Task RunAsync_NotFound_FailsAtOnceWithoutRetry()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 1_000 });
        using var dir = new TempDirectory();

        var (summary, results) = await RunAsync(new DownloadOptions { OutputDirectory = dir.Out }, [new DownloadRequest(new Uri(server.BaseAddress, "status/404"))]);

        Assert.Equal(3, summary.ExitCode);
        Assert.Equal(1, results.Single().Attempts);
        Assert.Equal(404, results.Single().HttpStatus);
        Assert.Empty(dir.VisibleFiles());
    }

    [Fact]
    public async Task RunAsync_ServerErrorEveryTime_GivesUpAfterRetries()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 1_000 });
        using var dir = new TempDirectory();

        var (summary, results) = await RunAsync(
            new DownloadOptions { OutputDirectory = dir.Out, Retries = 2, RetryBaseDelay = TimeSpan.FromMilliseconds(10) },
            [new DownloadRequest(new Uri(server.BaseAddress, "status/503"))]);

        Assert.Equal(3, summary.ExitCode);
        Assert.Equal(3, results.Single().Attempts);
        Assert.Equal(3, server.Requests);
        Assert.Empty(dir.VisibleFiles());
    }

    [Fact]
    public async Task RunAsync_RateLimited_HonoursRetryAfter()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 1_000, RateLimitRate = 1, RetryAfter = TimeSpan.FromSeconds(1) });
        using var dir = new TempDirectory();

        var (summary, results) = await RunAsync(new DownloadOptions { OutputDirectory = dir.Out }, Hashes.Requests(server));

        Assert.Equal(0, summary.ExitCode);
        Assert.Equal(2, results.Single().Attempts);
        Assert.True(results.Single().Elapsed >= TimeSpan.FromMilliseconds(950), $"retried after {results.Single().Elapsed}");
    }

    [Fact]
    public async Task RunAsync_SameNameDifferentQuery_BothSavedUnderDistinctNames()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 2, Size = 1_000 });
        using var dir = new TempDirectory();
        DownloadRequest[] requests =
        [
            new(new Uri(server.ImageUris[0] + "?v=1")),
            new(new Uri(server.ImageUris[0] + "?v=2")),
            new(new Uri(server.ImageUris[0] + "?v=1")),
        ];

        var plan = Downloader.Plan(requests, new DownloadOptions());
        var (summary, results) = await RunAsync(new DownloadOptions { OutputDirectory = dir.Out }, requests);

        Assert.True(plan[2].Duplicate);
        Assert.Equal(requests[0].Url, plan[1].CollidedWith);
        Assert.Equal(2, summary.Saved);
        Assert.Equal(2, results.Select(r => r.Path).Distinct().Count());
        Assert.Equal(2, dir.VisibleFiles().Length);
    }

    [Fact]
    public async Task RunAsync_OnExistsRename_KeepsOldFile()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 2_000 });
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(dir.Out, "1.png"), "mine");

        var (summary, results) = await RunAsync(new DownloadOptions { OutputDirectory = dir.Out, OnExists = OnExists.Rename }, Hashes.Requests(server));

        Assert.Equal(0, summary.ExitCode);
        Assert.Equal(Path.Combine(dir.Out, "1.1.png"), results.Single().Path);
        Assert.Equal("mine", await File.ReadAllTextAsync(Path.Combine(dir.Out, "1.png")));
    }

    [Fact]
    public async Task RunAsync_ChecksumMismatch_FailsAndLeavesNothing()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 2, Size = 2_000 });
        using var dir = new TempDirectory();
        var sums = new Dictionary<string, string> { ["1.png"] = Hashes.Of(server.GetImage(1)), ["2.png"] = new string('0', 64) };

        var (summary, results) = await RunAsync(new DownloadOptions { OutputDirectory = dir.Out, Checksums = sums }, Hashes.Requests(server));

        Assert.Equal(1, summary.ExitCode);
        Assert.Contains("sha256", results.Single(r => r.Status == DownloadStatus.Failed).Error, StringComparison.Ordinal);
        Assert.Equal(["1.png"], dir.VisibleFiles().Select(Path.GetFileName));
    }

    [Fact]
    public async Task RunAsync_Cancelled_StopsPromptlyKeepsPartAndExits130()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 20, Size = 40_000, BytesPerSecond = 20_000 });
        using var dir = new TempDirectory();
        using var cts = new CancellationTokenSource();
        using var downloader = new Downloader(new DownloadOptions { OutputDirectory = dir.Out, Concurrency = 4 });
        var run = downloader.RunAsync(Hashes.Requests(server), cancellationToken: cts.Token);
        var deadline = DateTime.UtcNow + s_testTimeout;
        while (downloader.GetProgress().Bytes < 10_000 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await cts.CancelAsync();
        var summary = await run.WaitAsync(s_testTimeout);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed} to stop");
        Assert.Equal(130, summary.ExitCode);
        Assert.Equal(20, summary.Cancelled);
        Assert.NotEmpty(Directory.GetFiles(dir.Out, "*.part"));
        Assert.Empty(Directory.GetFiles(dir.Out, "*.png"));
    }
}
