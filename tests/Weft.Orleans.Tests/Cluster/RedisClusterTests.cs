using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Weft.Orleans.Tests.Cluster;

/// <summary>The real thing: redis-server for membership, two silo processes of the sample app, and a client here.</summary>
public sealed class RedisClusterTests
{
    [RedisFact]
    public async Task Map_TwoSiloProcessesOverRedis_EveryResultInOrderFromBothSilosEvenWhenOneIsKilled()
    {
        using var redis = RedisServer.Start(RedisServer.Find()!);
        await using var silos = new SiloProcesses();
        await silos.StartAsync(0, redis.ConnectionString);
        await silos.StartAsync(1, redis.ConnectionString);
        using var client = await ConnectAsync(redis.ConnectionString);
        using var executor = new ClusterExecutor(client.Services.GetRequiredService<IClusterClient>());

        var squares = executor.Map(Work.Square, Enumerable.Range(0, 200), timeout: TimeSpan.FromMinutes(1)).ToList();

        Assert.Equal(Enumerable.Range(0, 200).Select(x => x * x), squares);
        Assert.Equal(2, executor.TasksBySilo.Count);

        // SIGKILL one silo process in the middle of a map of slow tasks: nothing is lost, nothing hangs.
        var results = new List<(long Sum, int Process)>();
        foreach (var result in executor.Map(Work.SumRangeWhere, Enumerable.Repeat(2_000_000L, 60), timeout: TimeSpan.FromMinutes(2)))
        {
            results.Add(result);
            if (results.Count == 10)
            {
                silos.Processes[1].Kill();
            }
        }

        Assert.All(results, r => Assert.Equal(Work.SumRange(2_000_000L), r.Sum));
        Assert.Equal(60, results.Count);
        Assert.Equal(silos.Processes[0].Id, results[^1].Process);
        Assert.True(executor.Resent > 0, "the killed silo's tasks were never resent");
        await executor.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(1));
        await client.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static async Task<IHost> ConnectAsync(string redis)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Critical);
        builder.UseOrleansClient(client =>
        {
            client.UseRedisClustering(redis);
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = ("weft-sample", "weft-sample"));
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TestClusters.ResponseTimeout);
        });
        var host = builder.Build();
        await host.StartAsync().WaitAsync(TimeSpan.FromMinutes(1));
        return host;
    }
}

/// <summary>A fact that is skipped, saying why, where redis-server is not installed (xunit 2 cannot skip from inside a test).</summary>
internal sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute()
    {
        if (RedisServer.Find() is null)
        {
            Skip = "redis-server is not installed (apt-get install redis-server; .ci/run does it where apt works): the Redis membership test cannot run";
        }
    }
}
