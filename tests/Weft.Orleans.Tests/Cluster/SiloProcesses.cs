using System.Diagnostics;

namespace Weft.Orleans.Tests.Cluster;

/// <summary>Silo processes of the sample app (<c>Cluster silo N --redis ...</c>), each on free ports; stopped on dispose.</summary>
internal sealed class SiloProcesses : IAsyncDisposable
{
    private readonly List<Process> _processes = [];

    public IReadOnlyList<Process> Processes => _processes;

    /// <summary>Starts silo <paramref name="number"/> with Redis membership, on free ports.</summary>
    public Task StartAsync(int number, string redis) =>
        StartAsync(number, "--redis", redis, "--silo-port", $"{RedisServer.FreePort()}", "--gateway-port", $"{RedisServer.FreePort()}");

    /// <summary>Starts silo <paramref name="number"/> with the sample's command-line <paramref name="options"/>.</summary>
    public async Task StartAsync(int number, params string[] options)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var app = Path.Combine(AppContext.BaseDirectory, "Cluster.dll");
        foreach (var argument in new[] { "exec", app, "silo", $"{number}" }.Concat(options))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        _processes.Add(process);
        _ = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("ready", StringComparison.Ordinal))
            {
                _ = process.StandardOutput.ReadToEndAsync();
                return;
            }
        }

        throw new InvalidOperationException($"silo {number} exited before it was ready");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            try
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (InvalidOperationException)
            {
                // It already exited.
            }

            process.Dispose();
        }
    }
}
