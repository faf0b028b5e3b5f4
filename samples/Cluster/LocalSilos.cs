using System.Diagnostics;

/// <summary>Silo processes of this same app, started for the demo and stopped after it.</summary>
internal sealed class LocalSilos : IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromMinutes(1);

    private readonly List<Process> _processes = [];

    public static async Task<LocalSilos> StartAsync(int count, ClusterOptionsFromArgs options)
    {
        var silos = new LocalSilos();
        try
        {
            // Silo 0 is the primary of localhost clustering: the others join through it.
            for (var i = 0; i < count; i++)
            {
                await silos.StartOneAsync(options.SiloArguments(i));
            }
        }
        catch
        {
            await silos.DisposeAsync();
            throw;
        }

        return silos;
    }

    /// <summary>Closes every silo's standard input (its signal to stop), then kills any still running after 10 s.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            process.StandardInput.Close();
        }

        foreach (var process in _processes)
        {
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
        }
    }

    private async Task StartOneAsync(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(LocalSilos).Assembly.Location);   // run as `dotnet Cluster.dll`
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        _processes.Add(process);
        using var timeout = new CancellationTokenSource(s_startTimeout);
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("ready", StringComparison.Ordinal))
            {
                Console.WriteLine($"  {line}");
                _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);   // keep draining its output
                return;
            }
        }

        throw new InvalidOperationException($"A silo process exited before it was ready (exit code {process.ExitCode}).");
    }
}
