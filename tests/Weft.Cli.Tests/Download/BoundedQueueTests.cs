using System.Diagnostics.Metrics;
using Weft.Download;
using Weft.Images;

namespace Weft.Cli.Tests.Download;

public sealed class BoundedQueueTests
{
    [Fact]
    public async Task RunAsync_LongList_NeverMoreFuturesThanWorkers()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 200, Latency = TimeSpan.FromMilliseconds(2) });
        using var dir = new TempDirectory();
        var name = "bounded-" + Guid.NewGuid().ToString("N");
        long submitted = 0, finished = 0, maxOutstanding = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Weft" && instrument.Name is "weft.tasks.submitted" or "weft.tasks.completed" or "weft.tasks.failed" or "weft.tasks.cancelled")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Value as string != name)
                {
                    continue;
                }

                if (instrument.Name == "weft.tasks.submitted")
                {
                    var outstanding = Interlocked.Increment(ref submitted) - Interlocked.Read(ref finished);
                    long seen;
                    while (outstanding > (seen = Interlocked.Read(ref maxOutstanding)) && Interlocked.CompareExchange(ref maxOutstanding, outstanding, seen) != seen)
                    {
                    }
                }
                else
                {
                    Interlocked.Increment(ref finished);
                }
            }
        });
        listener.Start();
        // 300 distinct URLs (the query differs), all served by one image.
        var requests = Enumerable.Range(0, 300).Select(i => new DownloadRequest(new Uri(server.ImageUris[0] + "?i=" + i))).ToArray();

        using var downloader = new Downloader(new DownloadOptions { OutputDirectory = dir.Out, Concurrency = 3, ExecutorName = name });
        var summary = await downloader.RunAsync(requests).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(300, summary.Saved);
        // A future is a worker's run of back-to-back downloads, started only for a free worker; so at
        // most 3 exist at once however long the list (one future per URL up front would be ~300). A
        // finishing future counts as "completed" just after its worker slot is free, so up to 3 more
        // can look outstanding for an instant.
        Assert.InRange(Interlocked.Read(ref submitted), 3, 300);
        Assert.InRange(Interlocked.Read(ref maxOutstanding), 1, 6);
    }
}
