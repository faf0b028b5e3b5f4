using System.Net;
using System.Net.Http.Headers;
using Weft.Download;
using Weft.Images;

namespace Weft.Cli.Tests.Download;

public sealed class ImageServerTests
{
    [Fact]
    public async Task StartAsync_FreePort_ServesListAndDistinctPngs()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 5, Size = 5_000 });
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        Assert.Equal("127.0.0.1", server.BaseAddress.Host);
        var list = (await client.GetStringAsync(server.ListUri)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(server.ImageUris.Select(u => u.AbsoluteUri), list);
        var bodies = new List<byte[]>();
        foreach (var uri in server.ImageUris)
        {
            var body = await client.GetByteArrayAsync(uri);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, body[..4]);
            Assert.InRange(body.Length, 4_000, 6_000);
            bodies.Add(body);
        }

        Assert.Equal(5, bodies.Select(Hashes.Of).Distinct().Count());
        Assert.Equal(6, server.Requests);
    }

    [Fact]
    public async Task StartAsync_ImagesWithinBudget_RenderedBeforeTheFirstRequest()
    {
        // A benchmark times the client: the server must not draw PNGs on the same cores during the run.
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 40, Size = 20_000 });

        Assert.Equal(40, server.RenderedImages);
        Assert.Equal(0, server.Requests);
    }

    [Fact]
    public async Task StartAsync_ImagesOverBudget_RenderedOnFirstRequestOnly()
    {
        var files = (int)(ImageServer.PrerenderBytes / 100_000) + 1;
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = files, Size = 100_000 });
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        Assert.Equal(0, server.RenderedImages);
        var body = await client.GetByteArrayAsync(server.ImageUris[^1]);
        Assert.Equal(server.GetImage(files), body);
        Assert.Equal(1, server.RenderedImages);
    }

    [Fact]
    public async Task Range_WithAndWithoutMatchingIfRange_PartialOrWhole()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 3_000 });
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var image = server.GetImage(1);

        using var first = await client.GetAsync(server.ImageUris[0]);
        var etag = first.Headers.ETag!.Tag;

        using var ranged = new HttpRequestMessage(HttpMethod.Get, server.ImageUris[0]);
        ranged.Headers.Range = new RangeHeaderValue(1000, null);
        ranged.Headers.TryAddWithoutValidation("If-Range", etag);
        using var partial = await client.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(image[1000..], await partial.Content.ReadAsByteArrayAsync());

        using var stale = new HttpRequestMessage(HttpMethod.Get, server.ImageUris[0]);
        stale.Headers.Range = new RangeHeaderValue(1000, null);
        stale.Headers.TryAddWithoutValidation("If-Range", "\"other\"");
        using var whole = await client.SendAsync(stale);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(image, await whole.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task FailRate_FirstRequestFails_ThenPathWorks()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 10, Size = 1_000, FailRate = 0.2 });
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        var first = new List<HttpStatusCode>();
        foreach (var uri in server.ImageUris)
        {
            using var response = await client.GetAsync(uri);
            first.Add(response.StatusCode);
        }

        Assert.Equal(2, first.Count(s => s == HttpStatusCode.InternalServerError));
        foreach (var uri in server.ImageUris)
        {
            using var response = await client.GetAsync(uri);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}
