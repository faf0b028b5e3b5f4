using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;
using Weft.Orleans;

namespace Weft.Bench.Compare;

/// <summary>
/// ClusterExecutor on a 3-silo localhost cluster (three silo hosts and a client in this process, talking TCP over
/// loopback) beside a 2-worker ProcessPoolExecutor, two figures kept apart: the round trip of ONE task (submit, wait
/// for its result, one at a time: latency, median and 90th percentile), and the throughput of a Map of 10,000
/// trivial tasks at chunkSize 1 and with chunking (many in flight at once).
/// </summary>
public sealed class ClusterComparison : IComparison
{
    private const int Items = 10_000;
    private const int Chunk = 100;
    private const int RoundTrips = 300;

    public string Name => "cluster";

    public string Description => "ClusterExecutor (3 localhost silos) vs ProcessPoolExecutor(2): one task's round trip, and a Map of 10,000 trivial tasks";

    public void Run(string[] args)
    {
        Console.WriteLine($"{Environment.ProcessorCount} cores; silos, client and workers share them, and other processes may load the machine.");
        var rows = new List<(string Name, double Seconds)>();
        var latencies = new List<(string Name, double[] Micros)>();
        using (var cluster = LocalCluster.StartAsync(3).GetAwaiter().GetResult())
        using (var executor = new ClusterExecutor(cluster.Grains))
        {
            Console.WriteLine($"cluster up: {executor.MaxWorkers} workers on 3 silos");
            _ = executor.Map(Trivial, Enumerable.Range(0, 2000)).Count();                       // warm every silo
            latencies.Add(("ClusterExecutor", RoundTrip(executor)));
            _ = executor.Map(Trivial, Enumerable.Range(0, 2000), chunkSize: Chunk).Count();
            rows.Add(("ClusterExecutor, chunkSize 1", Time(() => executor.Map(Trivial, Enumerable.Range(0, Items)).Count())));
            rows.Add(($"ClusterExecutor, chunkSize {Chunk}", Time(() => executor.Map(Trivial, Enumerable.Range(0, Items), chunkSize: Chunk).Count())));
        }

        using (var pool = new ProcessPoolExecutor(2))
        {
            _ = pool.Map(Trivial, Enumerable.Range(0, 2000)).Count();
            latencies.Add(("ProcessPoolExecutor(2)", RoundTrip(pool)));
            _ = pool.Map(Trivial, Enumerable.Range(0, 2000), chunkSize: Chunk).Count();
            rows.Add(("ProcessPoolExecutor(2), chunkSize 1", Time(() => pool.Map(Trivial, Enumerable.Range(0, Items)).Count())));
            rows.Add(($"ProcessPoolExecutor(2), chunkSize {Chunk}", Time(() => pool.Map(Trivial, Enumerable.Range(0, Items), chunkSize: Chunk).Count())));
        }

        Console.WriteLine();
        Console.WriteLine($"{$"One task's round trip ({RoundTrips}, one at a time)",-40} {"median",10} {"p90",10}");
        foreach (var (name, micros) in latencies)
        {
            Console.WriteLine($"{name,-40} {Percentile(micros, 0.5),7:F0} µs {Percentile(micros, 0.9),7:F0} µs");
        }

        Console.WriteLine($"ratio cluster / process pool (median): {Percentile(latencies[0].Micros, 0.5) / Percentile(latencies[1].Micros, 0.5):F1}x");
        Console.WriteLine();
        Console.WriteLine($"{"Map of 10,000 trivial tasks (throughput)",-40} {"total",10} {"tasks/s",10} {"per task",10}");
        foreach (var (name, seconds) in rows)
        {
            Console.WriteLine($"{name,-40} {seconds * 1000,7:F0} ms {Items / seconds,10:F0} {seconds / Items * 1e6,7:F1} µs");
        }

        Console.WriteLine();
        Console.WriteLine("per task = wall time / items with many in flight: throughput, not latency (see the round trip above)");
    }

    private static int Trivial(int x) => x;

    /// <summary>Submits one trivial task at a time and waits for it: the latency a caller sees.</summary>
    private static double[] RoundTrip(Executor executor)
    {
        var micros = new double[RoundTrips];
        for (var i = 0; i < RoundTrips; i++)
        {
            var watch = Stopwatch.StartNew();
            _ = executor.Submit(Trivial, i).Result();
            micros[i] = watch.Elapsed.TotalMicroseconds;
        }

        return micros;
    }

    private static double Percentile(double[] values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
    }

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>Silo hosts with Weft's workers on free loopback ports (silo 0 the primary), and a client.</summary>
    private sealed class LocalCluster : IDisposable
    {
        private readonly List<IHost> _hosts = [];

        public IGrainFactory Grains => _hosts[^1].Services.GetRequiredService<IClusterClient>();

        public static async Task<LocalCluster> StartAsync(int silos)
        {
            var cluster = new LocalCluster();
            var siloPorts = Enumerable.Range(0, silos).Select(_ => FreePort()).ToArray();
            var gatewayPorts = Enumerable.Range(0, silos).Select(_ => FreePort()).ToArray();
            var primary = new IPEndPoint(IPAddress.Loopback, siloPorts[0]);
            for (var i = 0; i < silos; i++)
            {
                var (siloPort, gatewayPort) = (siloPorts[i], gatewayPorts[i]);
                var builder = Host.CreateApplicationBuilder();
                builder.Logging.SetMinimumLevel(LogLevel.Error);
                builder.UseOrleans(silo => silo.UseLocalhostClustering(siloPort, gatewayPort, primary).AddWeftWorkers(o => o.Allow(typeof(ClusterComparison))));
                await cluster.StartAsync(builder.Build());
            }

            var client = Host.CreateApplicationBuilder();
            client.Logging.SetMinimumLevel(LogLevel.Error);
            client.UseOrleansClient(c => c.UseLocalhostClustering(gatewayPorts));
            await cluster.StartAsync(client.Build());
            return cluster;
        }

        public void Dispose()
        {
            foreach (var host in Enumerable.Reverse(_hosts))
            {
                host.StopAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
                host.Dispose();
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        private async Task StartAsync(IHost host)
        {
            _hosts.Add(host);
            await host.StartAsync();
        }
    }
}
