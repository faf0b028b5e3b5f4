using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;
using Weft.Tests.Futures;

namespace Weft.Orleans.Tests.Cluster;

/// <summary>A silo process SIGKILLed under an external client: Orleans never breaks the client's calls to it, so
/// failover must come from the executor's own lease, in seconds, not from ResponseTimeout.</summary>
public sealed class KilledSiloTests
{
    /// <summary>Long on purpose: were the executor to wait for it, the map could not end in time.</summary>
    private static readonly TimeSpan s_responseTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Map_SiloSigkilledUnderAnExternalClient_CostsSecondsNotTheResponseTimeout()
    {
        var ports = Enumerable.Range(0, 4).Select(_ => RedisServer.FreePort()).ToArray();
        await using var silos = new SiloProcesses();
        for (var i = 0; i < 2; i++)
        {
            await silos.StartAsync(i, "--silo-port", $"{ports[i]}", "--gateway-port", $"{ports[2 + i]}", "--primary-port", $"{ports[0]}");
        }

        using var client = await ConnectAsync(ports[2], ports[3]);
        using var executor = new ClusterExecutor(client.Services.GetRequiredService<IClusterClient>());
        ClusterExecutorTests.WaitUntil(() => executor.SiloCount == 2);

        var watch = Stopwatch.StartNew();
        var processes = new List<int>();
        foreach (var process in executor.Map(Work.NapWhere, Enumerable.Repeat(200, 40), timeout: TestFutures.Long))
        {
            processes.Add(process);
            if (processes.Count == 4)
            {
                silos.Processes[1].Kill();   // SIGKILL: the silo answers nothing more, and says nothing either
            }
        }

        watch.Stop();
        Assert.Equal(40, processes.Count);
        Assert.Equal(silos.Processes[0].Id, processes[^1]);
        Assert.True(executor.Resent > 0, "the killed silo's tasks were never resent");
        Assert.True(watch.Elapsed < s_responseTimeout / 2, $"the map took {watch.Elapsed.TotalSeconds:F1} s: failover waited for ResponseTimeout");
        await executor.DisposeAsync().AsTask().WaitAsync(TestFutures.Long);
        await client.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static async Task<IHost> ConnectAsync(params int[] gateways)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Critical);
        builder.UseOrleansClient(client =>
        {
            client.UseLocalhostClustering(gateways);
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = s_responseTimeout);
        });
        var host = builder.Build();
        await host.StartAsync().WaitAsync(TimeSpan.FromMinutes(1));
        return host;
    }
}
