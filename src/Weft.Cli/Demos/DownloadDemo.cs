using System.Diagnostics;
using Weft.Images;

namespace Weft.Cli.Demos;

/// <summary>Section 4, "Downloading Images Using Threads", against the built-in image server.</summary>
internal sealed class DownloadDemo : IDemo
{
    public string Name => "download";

    public string Section => "4. Downloading Images Using Threads";

    public string Description => "the same images fetched sequentially, then with a thread pool, from the built-in server";

    public int Run(TextWriter output, DemoOptions options)
    {
        // Nothing needs the internet: the built-in server on 127.0.0.1 stands in for images.unsplash.com.
        var serverOptions = new ImageServerOptions { Files = 15, Size = 200_000, Latency = options.Scaled(0.3) };
        var server = ImageServer.StartAsync(serverOptions).GetAwaiter().GetResult();
        var folder = Directory.CreateTempSubdirectory("weft-demo-download-");
        try
        {
            using var http = new HttpClient();
            var imgUrls = server.ImageUris;
            output.WriteLine($"{imgUrls.Count} images on {server.BaseAddress}, each answered after {serverOptions.Latency.TotalMilliseconds:0} ms");

            void DownloadImage(Uri imgUrl)
            {
                // requests.get(img_url).content
                using var response = http.Send(new HttpRequestMessage(HttpMethod.Get, imgUrl));
                response.EnsureSuccessStatusCode();
                var imgName = Path.GetFileName(imgUrl.AbsolutePath);
                using (var imgFile = File.Create(Path.Combine(folder.FullName, imgName)))
                {
                    response.Content.ReadAsStream().CopyTo(imgFile);
                }

                output.WriteLine($"{imgName} was downloaded...");
            }

            output.WriteLine("Sequentially:");
            var start = Stopwatch.GetTimestamp();
            foreach (var url in imgUrls)
            {
                DownloadImage(url);
            }

            var sequential = Clock.Seconds(start);
            output.WriteLine($"Sequential: {sequential:F2} seconds");

            output.WriteLine("With a ThreadPoolExecutor:");
            start = Stopwatch.GetTimestamp();
            using (var executor = new ThreadPoolExecutor())
            {
                // The tutorial never reads map()'s results, so a failed download would pass unnoticed; reading
                // them re-raises any download's exception here.
                foreach (var _ in executor.Map(u => { DownloadImage(u); return u; }, imgUrls))
                {
                }
            }

            var pooled = Clock.Seconds(start);
            output.WriteLine(Clock.Finished(start));
            output.WriteLine(
                $"Sequential {sequential:F2} s -> thread pool {pooled:F2} s: {sequential / pooled:F1}x faster " +
                $"(the tutorial: 23 s -> 5 s, 4.6x; the server saw up to {server.MaxInFlight} requests at once).");
            return 0;
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            folder.Delete(recursive: true);
        }
    }
}
