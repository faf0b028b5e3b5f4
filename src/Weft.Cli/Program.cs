using Weft.Cli;

return await WeftApp.RunAsync(args, Console.Error).ConfigureAwait(false);
