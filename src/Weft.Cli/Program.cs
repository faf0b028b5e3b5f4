using Weft;
using Weft.Cli;

// First, before anything else runs: the Native AOT weft is its own process-pool worker (demo cpu, demo processes, lab).
ProcessPoolExecutor.FreezeSupport();
return await WeftApp.RunAsync(args, Console.Error).ConfigureAwait(false);
