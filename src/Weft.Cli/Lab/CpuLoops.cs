namespace Weft.Cli.Lab;

/// <summary>The CPU loop's lengths, each calibrated to the same time per task on this machine.</summary>
/// <param name="Plain">The plain loop's length.</param>
/// <param name="Gil">The length of the loop with the simulated lock's checkpoints (slower per iteration).</param>
internal readonly record struct CpuLoops(long Plain, long Gil);
