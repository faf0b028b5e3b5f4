using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;

/// <summary>An Orleans client of the sample's cluster, as a started host.</summary>
internal static class ClientHost
{
    public static async Task<IHost> ConnectAsync(ClusterOptionsFromArgs options)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client =>
        {
            if (options.Redis is { } redis)
            {
                client.UseRedisClustering(redis);
                client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = ("weft-sample", "weft-sample"));
            }
            else
            {
                var gateways = Enumerable.Range(0, options.Silos).Select(i => ClusterOptionsFromArgs.FirstGatewayPort + i).ToArray();
                client.UseLocalhostClustering(gateways);
            }
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    public static IGrainFactory Grains(IHost host) => host.Services.GetRequiredService<IClusterClient>();
}
