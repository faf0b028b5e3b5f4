using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Weft;
using Weft.Orleans;

// The tutorial's CPU-bound loop, mapped over a cluster. The app is its own silo and its own client:
//   Cluster                        starts 3 local silo processes of itself, maps over them, stops them
//   Cluster silo N [--redis H:P]   runs silo N until Enter or Ctrl+C (ports 11111+N and 30000+N)
//   Cluster client [--redis H:P]   maps over the silos that are running
// Without --redis the silos find each other on localhost (silo 0 is the primary); with it, through Redis.
var options = ClusterOptionsFromArgs.Parse(args);
switch (options.Mode)
{
    case "silo":
        await SiloProcess.RunAsync(options);
        return 0;
    case "client":
        await Demo.RunAsync(options);
        return 0;
    default:
        await using (var silos = await LocalSilos.StartAsync(3, options))
        {
            await Demo.RunAsync(options);
        }

        return 0;
}

/// <summary>The map itself: the tutorial's loop, each result with the process id of the silo that ran it.</summary>
internal static class Demo
{
    private const long N = 100_000_000;

    public static async Task RunAsync(ClusterOptionsFromArgs options)
    {
        using var host = await ClientHost.ConnectAsync(options);
        try
        {
            await MapAsync(ClientHost.Grains(host));
        }
        finally
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await host.StopAsync(stop.Token);   // a disconnected client, not a vanished one
        }
    }

    private static async Task MapAsync(IGrainFactory grains)
    {
        using var executor = new ClusterExecutor(grains);
        var inputs = Enumerable.Repeat(N, 12).ToArray();
        Console.WriteLine($"{executor.MaxWorkers} workers on the cluster; mapping SumRange({N:N0}) x {inputs.Length}");

        var watch = Stopwatch.StartNew();
        var index = 0;
        foreach (var (sum, silo) in executor.Map(Work.SumRangeWhere, inputs))
        {
            Console.WriteLine($"  task {index++,2}: {sum} on silo process {silo}");
        }

        Console.WriteLine($"ClusterExecutor: {watch.Elapsed.TotalSeconds:F2} s");
        watch.Restart();
        _ = inputs.Select(Work.SumRange).ToList();
        Console.WriteLine($"sequential:      {watch.Elapsed.TotalSeconds:F2} s");
        await executor.DisposeAsync();
    }
}

/// <summary>The work: public static, so every silo (this same app) finds it by assembly, type and method.</summary>
public static class Work
{
    /// <summary>The tutorial's CPU-bound loop.</summary>
    public static long SumRange(long n)
    {
        long sum = 0;
        for (long i = 0; i < n; i++)
        {
            sum += i;
        }

        return sum;
    }

    /// <summary>The loop, and the process that ran it.</summary>
    public static (long Sum, int Process) SumRangeWhere(long n) => (SumRange(n), Environment.ProcessId);

    /// <summary>A trivial task (for tests and the benchmark).</summary>
    public static int Square(int x) => x * x;

    /// <summary>Sleeps, then says which process it ran in (for the tests' failover).</summary>
    public static int NapWhere(int milliseconds)
    {
        Thread.Sleep(milliseconds);
        return Environment.ProcessId;
    }
}
