using System.Globalization;
using Weft.Images;

namespace Weft.Cli.Serve;

/// <summary>Runs <c>weft serve</c> until Ctrl+C.</summary>
internal static class ServeRunner
{
    public static async Task<int> RunAsync(ImageServerOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var rates = new[] { options.FailRate, options.ResetRate, options.RateLimitRate, options.StallRate };
        if (options.Port is < 0 or > 65535 || options.Files < 1 || options.Size < 1 || options.Latency < TimeSpan.Zero
            || options.BytesPerSecond < 0 || rates.Any(r => r is < 0 or > 1 || double.IsNaN(r)) || rates.Sum() > 1)
        {
            await error.WriteLineAsync("weft serve: --port 0-65535, --files and --size at least 1, --latency and --bandwidth not negative, rates between 0 and 1 (sum at most 1)").ConfigureAwait(false);
            return 2;
        }

        ImageServer server;
        try
        {
            server = await ImageServer.StartAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await error.WriteLineAsync($"weft serve: cannot listen on 127.0.0.1:{options.Port}: {e.Message} (try --port 0)").ConfigureAwait(false);
            return 1;
        }

        await using (server.ConfigureAwait(false))
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Serving {options.Files} images of about {options.Size} bytes at {server.BaseAddress} (latency {options.Latency.TotalMilliseconds:0} ms)")).ConfigureAwait(false);
            await output.WriteLineAsync($"URL list: {server.ListUri}").ConfigureAwait(false);
            await output.WriteLineAsync($"Try: weft get -i {server.ListUri} -o imgs -j 16").ConfigureAwait(false);
            await output.WriteLineAsync("Press Ctrl+C to stop.").ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C.
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Stopped: {server.Requests} requests, at most {server.MaxInFlight} at once, {server.FaultsInjected} faults injected.")).ConfigureAwait(false);
        }

        return 0;
    }
}
