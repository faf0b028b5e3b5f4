using Microsoft.Extensions.Time.Testing;
using Weft.Download;

namespace Weft.Cli.Tests.Download;

/// <summary>Issue 12.6: the low-speed limit and the deadline, on a fake clock.</summary>
public sealed class TransferWatchTests
{
    [Fact]
    public void OnRead_TrickleBelowTheLimitForAWholeWindow_Fails()
    {
        var time = new FakeTimeProvider();
        var options = new DownloadOptions { SpeedLimit = 100, SpeedTime = TimeSpan.FromSeconds(5), Time = time };
        using var watch = new TransferWatch(options, deadline: null, CancellationToken.None);

        for (var second = 1; second < 5; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            Assert.True(watch.OnRead(1), $"tripped after {second} s"); // the window is not over yet
        }

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(watch.OnRead(1)); // 5 bytes in 5 s, the limit asks for 500
        Assert.Contains("--speed-limit 100", watch.Explain(5), StringComparison.Ordinal);
    }

    [Fact]
    public void Token_NoReadAtAllBelowTheLimit_TripsAtTheWindowEndNotAtTheIdleTimeout()
    {
        var time = new FakeTimeProvider();
        var options = new DownloadOptions { SpeedLimit = 100, SpeedTime = TimeSpan.FromSeconds(5), IdleTimeout = TimeSpan.FromSeconds(60), Time = time };
        using var watch = new TransferWatch(options, deadline: null, CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(watch.Token.IsCancellationRequested);
        time.Advance(TimeSpan.FromSeconds(0.2));

        Assert.True(watch.Token.IsCancellationRequested);
        Assert.Contains("--speed-limit", watch.Explain(0), StringComparison.Ordinal);
        Assert.False(watch.PastDeadline);
    }

    [Fact]
    public void OnRead_FastEnough_NewWindowEachTime()
    {
        var time = new FakeTimeProvider();
        var options = new DownloadOptions { SpeedLimit = 100, SpeedTime = TimeSpan.FromSeconds(1), Time = time };
        using var watch = new TransferWatch(options, deadline: null, CancellationToken.None);

        for (var i = 0; i < 20; i++)
        {
            time.Advance(TimeSpan.FromSeconds(0.5));
            Assert.True(watch.OnRead(100)); // 200 bytes/s against a limit of 100
        }

        Assert.False(watch.Token.IsCancellationRequested);
    }

    [Fact]
    public void Token_Deadline_TripsAndIsNotWorthARetry()
    {
        var time = new FakeTimeProvider();
        var options = new DownloadOptions { MaxTime = TimeSpan.FromSeconds(3), Time = time };
        using var watch = new TransferWatch(options, time.GetUtcNow() + options.MaxTime, CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(watch.OnRead(1_000));
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(watch.Token.IsCancellationRequested);
        Assert.True(watch.PastDeadline);
        Assert.Contains("--max-time 3", watch.Explain(1_000), StringComparison.Ordinal);
    }
}
