using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;
using Weft.Orleans;

/// <summary>A silo of this app: Weft's workers, localhost or Redis membership. Prints <c>ready</c> once it has
/// joined, and stops on Enter, at the end of its standard input (its parent died) or on Ctrl+C.</summary>
internal static class SiloProcess
{
    public static async Task RunAsync(ClusterOptionsFromArgs options)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo =>
        {
            if (options.Redis is { } redis)
            {
                silo.UseRedisClustering(redis);
                silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = ("weft-sample", "weft-sample"));
                silo.ConfigureEndpoints(IPAddress.Loopback, options.SiloPortOrDefault, options.GatewayPortOrDefault);
            }
            else
            {
                silo.UseLocalhostClustering(options.SiloPortOrDefault, options.GatewayPortOrDefault, options.Primary);
            }

            silo.AddWeftWorkers(o => o.Allow(typeof(Work)));
        });
        using var host = builder.Build();
        await host.StartAsync();
        Console.WriteLine($"ready: silo {options.Silo}, process {Environment.ProcessId}");
        var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var enterOrEnd = Task.Run(Console.In.ReadLine, CancellationToken.None);
        await Task.WhenAny(enterOrEnd, Task.Delay(Timeout.Infinite, stopping));
        await host.StopAsync(TimeSpan.FromSeconds(10));
    }
}
