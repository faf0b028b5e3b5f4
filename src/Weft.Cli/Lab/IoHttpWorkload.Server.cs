using Weft.Images;
using Weft.Lab;

namespace Weft.Cli.Lab;

internal sealed partial class IoHttpWorkload
{
    private ImageServer? _server;
    private HttpClient? _http;

    /// <summary>Starts the built-in image server with one image per task.</summary>
    /// <param name="settings">The sizes.</param>
    /// <param name="cancellationToken">Stops the start.</param>
    /// <returns>The workload; dispose it to stop the server.</returns>
    public static async Task<IoHttpWorkload> StartAsync(LabSettings settings, CancellationToken cancellationToken)
    {
        var server = await ImageServer.StartAsync(
            new ImageServerOptions { Files = settings.IoTasks, Size = settings.ImageBytes, Latency = settings.IoLatency },
            cancellationToken).ConfigureAwait(false);
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 });
        return new IoHttpWorkload { _server = server, _http = http, Images = server.ImageUris, Experiments = Build(settings, server, http) };
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static List<Experiment> Build(LabSettings settings, ImageServer server, HttpClient http)
    {
        var uris = server.ImageUris;
        var n = uris.Count;
        var poolWorkers = Math.Min(32, Environment.ProcessorCount + 4);
        var processes = Environment.ProcessorCount;
        const string w = Strategies.IoHttp;

        void Fetch(Uri uri)
        {
            using var response = http.Send(new HttpRequestMessage(HttpMethod.Get, uri));
            response.EnsureSuccessStatusCode();
            response.Content.ReadAsStream().CopyTo(Stream.Null);
        }

        async Task FetchAsync(Uri uri)
        {
            var bytes = await http.GetByteArrayAsync(uri).ConfigureAwait(false);
            GC.KeepAlive(bytes);
        }

        return
        [
            new(w, Strategies.Sequential, n, 1, 1, () => new Trial(() =>
            {
                foreach (var uri in uris)
                {
                    Fetch(uri);
                }
            }, note: () => $"{n} images of {settings.ImageBytes / 1000} kB, {settings.IoLatency.TotalMilliseconds:0} ms latency")),
            new(w, Strategies.Threads, n, n, n, () => new Trial(() =>
            {
                var threads = uris.Select(u => new Thread(() => Fetch(u))).ToList();
                threads.ForEach(t => t.Start());
                threads.ForEach(t => t.Join());
            })),
            new(w, Strategies.ThreadPool, n, poolWorkers, Experiment.IdealSpeedup(n, poolWorkers), () => LabTasks.ThreadPoolTrial(
                executor => executor.Map(u => { Fetch(u); return 0; }, uris).Consume())),
            new(w, Strategies.ProcessPool, n, processes, Experiment.IdealSpeedup(n, processes), () =>
            {
                var urls = uris.Select(u => u.ToString()).ToList();
                return LabTasks.ProcessPoolTrial(processes, pool => pool.Map(LabTasks.Fetch, urls).Consume());
            }, InProcess: false),
            new(w, Strategies.Async, n, n, n, () => new Trial(() => Task.WaitAll(uris.Select(FetchAsync)))),
            new(w, Strategies.GilThreads, n, n, n, () =>
            {
                var gil = new InterpreterLock();
                return new Trial(() =>
                {
                    var threads = uris.Select(u => new Thread(() =>
                    {
                        using (gil.Enter())
                        {
                            gil.Blocking(() => { Fetch(u); return 0; });
                        }
                    })).ToList();
                    threads.ForEach(t => t.Start());
                    threads.ForEach(t => t.Join());
                }, note: () => $"{gil.Switches / settings.Repeats:N0} lock switches per run");
            }),
        ];
    }
}
