using System.CommandLine;
using Weft.Cli.Serve;
using Weft.Images;

namespace Weft.Cli.Commands;

/// <summary>The <c>weft serve</c> verb (see shared/design/CLI.md).</summary>
internal static class ServeCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var port = new Option<int>("--port", "-p") { Description = "Port on 127.0.0.1 (0: a free port).", DefaultValueFactory = _ => 8000 };
        var files = new Option<int>("--files", "-n") { Description = "Number of images.", DefaultValueFactory = _ => 20 };
        var size = new Option<int>("--size") { Description = "Bytes per image (about; real PNGs).", DefaultValueFactory = _ => 100_000 };
        var latency = new Option<int>("--latency") { Description = "Milliseconds before each response.", DefaultValueFactory = _ => 0 };
        var failRate = new Option<double>("--fail-rate") { Description = "Share of images answered 500 on their first request." };
        var resetRate = new Option<double>("--reset-rate") { Description = "Share of images reset mid-body on their first request." };
        var rateLimitRate = new Option<double>("--rate-limit-rate") { Description = "Share of images answered 429 with Retry-After on their first request." };
        var stallRate = new Option<double>("--stall-rate") { Description = "Share of images whose first body stalls halfway." };
        var stallMs = new Option<int>("--stall-ms") { Description = "How long a stalled body stays silent.", DefaultValueFactory = _ => 20_000 };
        var bandwidth = new Option<long>("--bandwidth") { Description = "Bytes per second per response (0: no cap)." };

        var command = new Command("serve", "Serve generated images on 127.0.0.1 (latency, bandwidth cap, faults, Range, ETag) for weft get, the demo and the lab.")
        {
            port, files, size, latency, failRate, resetRate, rateLimitRate, stallRate, stallMs, bandwidth,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var options = new ImageServerOptions
            {
                Port = result.GetValue(port),
                Files = result.GetValue(files),
                Size = result.GetValue(size),
                Latency = TimeSpan.FromMilliseconds(result.GetValue(latency)),
                FailRate = result.GetValue(failRate),
                ResetRate = result.GetValue(resetRate),
                RateLimitRate = result.GetValue(rateLimitRate),
                StallRate = result.GetValue(stallRate),
                StallTime = TimeSpan.FromMilliseconds(Math.Max(0, result.GetValue(stallMs))),
                BytesPerSecond = result.GetValue(bandwidth),
            };
            return await ServeRunner.RunAsync(options, Console.Out, Console.Error, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
