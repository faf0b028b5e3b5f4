using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Weft.Orleans.Tests.Cluster;

/// <summary>In-process Orleans clusters for the tests: silos with Weft's workers, and timeouts short enough
/// that a dead silo is noticed in seconds, not the production 30 s.</summary>
internal static class TestClusters
{
    /// <summary>Tasks each test silo runs at once.</summary>
    public const int WorkersPerSilo = 2;

    /// <summary>How long a call may go unanswered before it counts as lost.</summary>
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Builds and starts a cluster of <paramref name="silos"/> silos with a connected client; the silos
    /// named in <paramref name="withoutWorkers"/> (e.g. "Secondary_2") do not call AddWeftWorkers.</summary>
    public static async Task<InProcessTestCluster> StartAsync(short silos, TimeSpan? responseTimeout = null, Action<WeftWorkerOptions>? configure = null, params string[] withoutWorkers)
    {
        var timeout = responseTimeout ?? ResponseTimeout;
        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((options, silo) =>
        {
            if (!withoutWorkers.Contains(options.SiloName))
            {
                silo.AddWeftWorkers(o =>
                {
                    o.MaxLocalWorkers = WorkersPerSilo;
                    o.Allow(typeof(TestClusters).Assembly);
                    configure?.Invoke(o);
                });
            }

            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = timeout);
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(1);
            });
        });
        builder.ConfigureClient(client =>
            client.Services.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = timeout));
        var cluster = builder.Build();
        await cluster.DeployAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return cluster;
    }
}

/// <summary>One 3-silo cluster shared by a test class.</summary>
public sealed class ThreeSiloCluster : IAsyncLifetime
{
    private InProcessTestCluster? _cluster;

    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _cluster = await TestClusters.StartAsync(3);

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(1));
        }
    }
}
