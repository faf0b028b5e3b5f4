using Weft.Download;
using Weft.Images;

namespace Weft.Cli.Tests.Download;

/// <summary>Issue 20, items 6-7: no endless loop, no crash on a usage error, no silent exit.</summary>
public sealed class Issue20HangTests
{
    private static readonly string s_long = new('a', 250);

    [Fact]
    public async Task Plan_TwoUrlsWithTheSame250CharacterName_EndsWithDistinctCappedNames()
    {
        DownloadRequest[] requests =
        [
            new(new Uri($"http://127.0.0.1:1/{s_long}.bin?v=1")),
            new(new Uri($"http://127.0.0.1:1/{s_long}.bin?v=2")),
            new(new Uri($"http://127.0.0.1:1/{s_long}.bin?v=3")),
        ];

        // Run off the test thread: the old loop never yielded, so only a timeout could end it.
        var plans = await Task.Run(() => Downloader.Plan(requests, new DownloadOptions())).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(3, plans.Select(p => p.Name).Distinct().Count());
        Assert.All(plans, p => Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(p.Name), 1, 200));
        Assert.All(plans, p => Assert.EndsWith(".bin", p.Name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_LongNameTakenOnRename_EndsWithANumberedName()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 0 });
        using var dir = new TempDirectory();
        var url = new Uri(server.BaseAddress, $"bad/{s_long}.bin?size=100");
        var capped = Downloader.Plan([new(url)], new DownloadOptions()).Single().Name;
        await File.WriteAllTextAsync(Path.Combine(dir.Out, capped), "mine");

        var (summary, results) = await Task.Run(() => DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out, OnExists = OnExists.Rename }, [new(url)]))
            .WaitAsync(DownloadRun.Timeout);

        Assert.Equal(0, summary.ExitCode);
        Assert.NotEqual(capped, Path.GetFileName(results.Single().Path));
        Assert.Equal("mine", await File.ReadAllTextAsync(Path.Combine(dir.Out, capped)));
    }

    [Fact]
    public async Task RunAsync_CancelledBeforeStart_ReturnsAtOnce()
    {
        using var dir = new TempDirectory();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var requests = Enumerable.Range(0, 2).Select(i => new DownloadRequest(new Uri($"http://127.0.0.1:1/{s_long}.bin?v={i}"))).ToArray();

        // Off the test thread: the old planning loop never returned, so only a timeout could end it.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.Run(() => DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out }, requests, cts.Token)).WaitAsync(DownloadRun.Timeout));
    }

    [Theory]
    [InlineData("0.00000001")]
    [InlineData("5000000")]
    [InlineData("1e300")]
    public async Task Get_TimeoutOutsideTheDownloadersRange_UsageErrorBeforeAnyRequest(string seconds)
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 500 });
        using var dir = new TempDirectory();
        using var error = new StringWriter();

        var exit = await WeftApp.RunAsync(["get", server.ImageUris[0].AbsoluteUri, "-o", dir.Out, "--timeout", seconds], error).WaitAsync(DownloadRun.Timeout);

        Assert.Equal(2, exit);
        Assert.Contains("--timeout must be a number of seconds from 0.001", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, server.Requests);
    }

    [Fact]
    public void Validate_OutOfRange_NamesThePropertyAndTheRange()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new DownloadOptions { IdleTimeout = TimeSpan.FromDays(30) }.Validate());

        Assert.Equal("IdleTimeout", error.ParamName);
        Assert.Contains("IdleTimeout must be from 0.001 s to 2073600 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ListServerSilent_UsageErrorNamingTheTimeoutNotASilentExit()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 0 });
        var list = new Uri(server.BaseAddress, "bad/list.txt?stall=20000");

        var (exit, _, error) = await GetCli.RunAsync("", "-i", list.AbsoluteUri, "--timeout", "0.5");

        Assert.Equal(2, exit);
        Assert.Contains("cannot read the list", error, StringComparison.Ordinal);
        Assert.Contains("no response within 0.5 s", error, StringComparison.Ordinal);
    }
}
