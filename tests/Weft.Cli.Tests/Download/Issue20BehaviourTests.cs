using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Weft.Download;
using Weft.Images;

namespace Weft.Cli.Tests.Download;

/// <summary>Issue 20, items 11-15: what users expect of re-runs, back-off, messages, names and options.</summary>
public sealed class Issue20BehaviourTests
{
    [Fact]
    public async Task RunAsync_ReRunsBesideTheUsersFile_FindWeftsOwnCopyInsteadOfPilingUp()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 2_000 });
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(dir.Out, "1.png"), "the user's own");
        var options = new DownloadOptions { OutputDirectory = dir.Out };
        await DownloadRun.RunAsync(options, Hashes.Requests(server));

        var (summary, results) = await DownloadRun.RunAsync(options, Hashes.Requests(server));
        await DownloadRun.RunAsync(options, Hashes.Requests(server));

        Assert.Equal(0, summary.ExitCode);
        Assert.Equal(DownloadStatus.Skipped, results.Single().Status);
        Assert.Equal(304, results.Single().HttpStatus);
        Assert.Equal(Path.Combine(dir.Out, "1.1.png"), results.Single().Path);
        Assert.Equal(["1.1.png", "1.png"], dir.VisibleFiles().Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task RunAsync_OnExistsSkipBesideAForeignFile_NoTransfer()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 50_000 });
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(dir.Out, "1.png"), "mine");

        var (summary, results) = await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out, OnExists = OnExists.Skip }, Hashes.Requests(server));

        Assert.Equal(0, summary.ExitCode);
        Assert.Equal(DownloadStatus.Skipped, results.Single().Status);
        Assert.Equal(0, results.Single().Written);
        Assert.Equal(0, summary.Bytes);
        Assert.Equal(["1.png"], dir.VisibleFiles().Select(Path.GetFileName));
        Assert.Equal("mine", await File.ReadAllTextAsync(Path.Combine(dir.Out, "1.png")));
    }

    [Fact]
    public async Task RunAsync_RetryAfterBeyondTheCap_FailsSayingSoInsteadOfRetryingEarly()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 0 });
        using var dir = new TempDirectory();
        var url = new Uri(server.BaseAddress, "bad/ra?status=429&times=1&retryafter=400");

        var (summary, results) = await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out }, [new(url)]);

        Assert.Equal(3, summary.ExitCode);
        Assert.Equal(1, results.Single().Attempts);
        Assert.Contains("asked to wait 400 s, more than the 300 s", results.Single().Error, StringComparison.Ordinal);
    }

    [Fact]
    public void BackOff_RetryAfterUnderTheCap_HonouredWhole()
    {
        var options = new DownloadOptions();

        Assert.True(options.MaxRetryAfter >= TimeSpan.FromSeconds(45));
        Assert.Equal(TimeSpan.FromSeconds(45), RetryDelay.Of(1, TimeSpan.FromSeconds(45), options.RetryBaseDelay, options.RetryMaxDelay, random: 1.0));
    }

    [Fact]
    public async Task RunAsync_HostAnswers503_ItsOtherUrlsWaitOutTheBackOffToo()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 1_000 });
        using var dir = new TempDirectory();
        DownloadRequest[] requests = [new(new Uri(server.BaseAddress, "bad/busy?status=503&times=1&retryafter=1&size=100")), new(server.ImageUris[0])];

        var (summary, _) = await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out, Concurrency = 1 }, requests);

        Assert.Equal(0, summary.ExitCode);
        var busy = server.RequestLog.First(r => r.Status == 503);
        var other = server.RequestLog.Single(r => r.Path.StartsWith("/img/", StringComparison.Ordinal));
        var gap = TimeSpan.FromSeconds((double)(other.Started - busy.Ended) / Stopwatch.Frequency);
        Assert.True(gap >= TimeSpan.FromMilliseconds(900), $"the host's other URL started {gap} after its 503");
    }

    [Fact]
    public async Task RunAsync_ConnectTimeout_SaysConnectAndItsOwnTime()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0); // never accepted: once the queue is full, SYNs go unanswered
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var fillers = new List<Socket>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                fillers.Add(filler);
                _ = filler.ConnectAsync(IPAddress.Loopback, port);
            }

            using var dir = new TempDirectory();
            var options = new DownloadOptions { OutputDirectory = dir.Out, Retries = 0, ConnectTimeout = TimeSpan.FromSeconds(0.5) };
            var (_, results) = await DownloadRun.RunAsync(options, [new(new Uri($"http://127.0.0.1:{port}/x.bin"))]);

            Assert.Contains("could not connect within 0.5 s", results.Single().Error, StringComparison.Ordinal);
        }
        finally
        {
            fillers.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task RunAsync_304ToAnUnconditionalRequest_FailsRatherThanSkippedWithNoFile()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 0 });
        using var dir = new TempDirectory();

        var (summary, results) = await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out }, [new(new Uri(server.BaseAddress, "bad/n?always304=1"))]);

        Assert.Equal(3, summary.ExitCode);
        Assert.Contains("not conditional", results.Single().Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_InterruptedDuringABackOff_SaysItWasWaitingToRetry()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 0 });
        using var dir = new TempDirectory();
        using var cts = new CancellationTokenSource();
        var url = new Uri(server.BaseAddress, "bad/b?status=503&retryafter=60");
        var run = DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out }, [new(url)], cts.Token);
        Assert.True(SpinWait.SpinUntil(() => server.RequestLog.Count > 0, DownloadRun.Timeout));

        await cts.CancelAsync();
        var (summary, results) = await run;

        Assert.Equal(130, summary.ExitCode);
        Assert.Contains("while waiting to retry after 1 attempt(s)", results.Single().Error, StringComparison.Ordinal);
        Assert.Contains("HTTP 503", results.Single().Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("attachment; filename*=UTF-8''a%F3%A0%81%81b.png", "a_b.png")] // U+E0041 TAG LATIN CAPITAL LETTER A
    [InlineData("attachment; filename*=UTF-8''c%F0%9D%85%B3d.png", "c_d.png")] // U+1D173 MUSICAL SYMBOL BEGIN BEAM
    public async Task RunAsync_FormatCharacterOutsideTheBasicPlane_Replaced(string disposition, string expected)
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 1_000 });
        using var dir = new TempDirectory();

        var (_, results) = await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out }, [new(DownloadRun.Named(server, 1, disposition))]);

        Assert.Equal(expected, Path.GetFileName(results.Single().Path));
    }

    [Fact]
    public async Task RunAsync_NameOfOnlyUnderscores_CappedAndSaved()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 1_000 });
        using var dir = new TempDirectory();

        var (summary, results) = await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out }, [new(server.ImageUris[0]) { Name = new string('_', 300) }]);

        Assert.Equal(0, summary.ExitCode);
        Assert.Equal(new string('_', 200), Path.GetFileName(results.Single().Path));
    }

    [Fact]
    public async Task RunAsync_DirectoryHoldsTheFinalName_SavedUnderANumberedName()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 1_000 });
        using var dir = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Out, "1.png"));

        var (summary, results) = await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out }, Hashes.Requests(server));

        Assert.Equal(0, summary.ExitCode);
        Assert.Equal(Path.Combine(dir.Out, "1.1.png"), results.Single().Path);
        Assert.True(Directory.Exists(Path.Combine(dir.Out, "1.png")));
    }

    [Fact]
    public async Task Get_ListFromAUrl_FetchedWithTheHeaders()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 2, Size = 1_000 });
        using var dir = new TempDirectory();

        var (exit, _, _) = await GetCli.RunAsync("", "-i", server.ListUri.AbsoluteUri, "-o", dir.Out, "-H", "X-Token: abc");

        Assert.Equal(0, exit);
        Assert.Equal("abc", server.RequestLog.Single(r => r.Path == "/list.txt").Headers["X-Token"]);
    }

    [Fact]
    public async Task Get_NewOptions_SkipExistingRemoteTimeLimitRateUser()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 2, Size = 40_000 });
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(dir.Out, "1.png"), "already here");
        var clock = Stopwatch.StartNew();

        var (exit, _, _) = await GetCli.RunAsync("", server.ImageUris[0].AbsoluteUri, server.ImageUris[1].AbsoluteUri, "-o", dir.Out,
            "--skip-existing", "-R", "--limit-rate", "100000", "-u", "carol:pw", "--location-trusted");

        Assert.Equal(0, exit);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.3), $"40 KB at 100 KB/s took {clock.Elapsed}");
        Assert.Equal(["/img/2.png"], server.RequestLog.Select(r => r.Path)); // no request for the existing file
        Assert.Equal("already here", await File.ReadAllTextAsync(Path.Combine(dir.Out, "1.png")));
        Assert.Equal(new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), File.GetLastWriteTimeUtc(Path.Combine(dir.Out, "2.png")));
        Assert.StartsWith("Basic ", server.RequestLog.Single().Headers["Authorization"], StringComparison.Ordinal);
        Assert.Equal(server.GetImage(2), await File.ReadAllBytesAsync(Path.Combine(dir.Out, "2.png")));
    }
}
