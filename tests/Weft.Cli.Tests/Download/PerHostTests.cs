using Weft.Download;
using Weft.Images;

namespace Weft.Cli.Tests.Download;

/// <summary>Issue 12.4: a URL waiting for its host's slot, or for a back-off, never holds a worker.</summary>
public sealed class PerHostTests
{
    [Fact]
    public async Task RunAsync_PerHostOneTwoWorkersTwoHosts_SecondHostServedWhileFirstWaits()
    {
        // One server, two host names: 127.0.0.1 and localhost. Four URLs on A, then four on B.
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 4, Size = 1_000, Latency = TimeSpan.FromMilliseconds(400) });
        using var dir = new TempDirectory();
        var a = server.ImageUris.Select(u => new DownloadRequest(u) { Name = "a" + u.Segments[^1] });
        var b = server.ImageUris.Select(u => new DownloadRequest(new UriBuilder(u) { Host = "localhost" }.Uri) { Name = "b" + u.Segments[^1] });

        var (summary, _) = await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out, Concurrency = 2, PerHost = 1 }, [.. a, .. b]);

        Assert.Equal(0, summary.ExitCode);
        var log = server.RequestLog.OrderBy(r => r.Started).ToArray();
        var onA = log.Where(r => r.Host.StartsWith("127.0.0.1", StringComparison.Ordinal)).ToArray();
        var onB = log.Where(r => r.Host.StartsWith("localhost", StringComparison.Ordinal)).ToArray();
        Assert.Equal(4, onA.Length);
        Assert.Equal(4, onB.Length);
        // Never two at once on one host...
        Assert.DoesNotContain(onA, x => onA.Any(y => y != x && x.Overlaps(y)));
        Assert.DoesNotContain(onB, x => onB.Any(y => y != x && x.Overlaps(y)));
        // ...and host B is served while A waits: B's first request runs beside A's first. The old
        // scheduling parked the second worker on A's slot, so B started only beside A's last request.
        Assert.True(onB[0].Overlaps(onA[0]), "B's first request did not run beside A's first");
        Assert.True(onB.Count(x => onA.Any(x.Overlaps)) >= 3, "B's requests did not run beside A's");
    }

    [Fact]
    public async Task RunAsync_OneWorkerAndAHostInBackOff_OtherHostUsesTheWorker()
    {
        // Host A answers 429 with Retry-After 2 s; with one worker, B's URLs must all finish during A's back-off.
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 4, Size = 1_000, RetryAfter = TimeSpan.FromSeconds(2) });
        using var dir = new TempDirectory();
        var limited = new Uri(server.BaseAddress, "status/429");
        var b = server.ImageUris.Select(u => new DownloadRequest(new UriBuilder(u) { Host = "localhost" }.Uri));

        var (_, results) = await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out, Concurrency = 1, Retries = 1 }, [new(limited), .. b]);

        var log = server.RequestLog.OrderBy(r => r.Started).ToArray();
        Assert.Equal(DownloadStatus.Failed, results.Single(r => r.Url == limited).Status);
        Assert.Equal(2, log.Count(r => r.Path == "/status/429"));
        // Between A's first and second request (the back-off), all four of B's requests ran.
        var first = Array.FindIndex(log, r => r.Path == "/status/429");
        var second = Array.FindLastIndex(log, r => r.Path == "/status/429");
        Assert.Equal(4, second - first - 1);
    }

    [Fact]
    public void TryTake_HostAtItsLimit_HandsOutAnotherHostsUrl()
    {
        var (schedule, a1, a2, b1) = TwoHostsThreeUrls(perHost: 1);
        var now = DateTimeOffset.UnixEpoch;

        Assert.True(schedule.TryTake(now, out var first));
        Assert.True(schedule.TryTake(now, out var second));
        Assert.False(schedule.TryTake(now, out _));
        Assert.Same(a1, first);
        Assert.Same(b1, second);

        schedule.Release(first);
        schedule.Delay(first, now + TimeSpan.FromSeconds(5)); // a retry in back-off
        Assert.True(schedule.TryTake(now, out var third));
        Assert.Same(a2, third); // the back-off does not hold A's slot
        schedule.Release(third);
        Assert.False(schedule.TryTake(now + TimeSpan.FromSeconds(4), out _));
        Assert.Equal(now + TimeSpan.FromSeconds(5), schedule.NextDue(now + TimeSpan.FromSeconds(4)));
        Assert.True(schedule.TryTake(now + TimeSpan.FromSeconds(5), out var retried));
        Assert.Same(a1, retried);
    }

    /// <summary>Issue 20.12: a 429/503 from a host holds its other URLs too, until the back-off ends.</summary>
    [Fact]
    public void TryTake_HostPaused_ItsOtherUrlsWaitOtherHostsGoOn()
    {
        var (schedule, a1, a2, b1) = TwoHostsThreeUrls(perHost: null);
        var now = DateTimeOffset.UnixEpoch;
        Assert.True(schedule.TryTake(now, out var first));
        schedule.Release(first);
        schedule.Delay(first, now + TimeSpan.FromSeconds(45));
        schedule.PauseHost(first, now + TimeSpan.FromSeconds(45));

        Assert.True(schedule.TryTake(now, out var next));
        Assert.Same(b1, next); // not a2: host a asked to slow down
        Assert.False(schedule.TryTake(now + TimeSpan.FromSeconds(44), out _));
        Assert.Equal(now + TimeSpan.FromSeconds(45), schedule.NextDue(now));
        Assert.True(schedule.TryTake(now + TimeSpan.FromSeconds(45), out var resumed));
        Assert.Same(a1, resumed);
    }

    /// <summary>A schedule holding A's /1 and /2 and B's /1, added in that order.</summary>
    private static (HostSchedule Schedule, Transfer A1, Transfer A2, Transfer B1) TwoHostsThreeUrls(int? perHost)
    {
        var schedule = new HostSchedule(perHost);
        var a1 = Transfer("http://a/1", 0);
        var a2 = Transfer("http://a/2", 1);
        var b1 = Transfer("http://b/1", 2);
        schedule.Add(a1);
        schedule.Add(a2);
        schedule.Add(b1);
        return (schedule, a1, a2, b1);
    }

    private static Transfer Transfer(string url, int order) =>
        new(new PlannedDownload(new DownloadRequest(new Uri(url)), "x" + order), order, null);
}
