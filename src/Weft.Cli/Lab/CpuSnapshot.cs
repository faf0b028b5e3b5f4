namespace Weft.Cli.Lab;

/// <summary>CPU clock ticks so far: all of the machine's (busy or idle), its busy ones, and this process's with its
/// ended children's.</summary>
/// <param name="AllTicks">Every core's ticks, idle included.</param>
/// <param name="BusyTicks">Every core's busy ticks.</param>
/// <param name="OwnTicks">This process's user and system ticks, with those of its children that have ended.</param>
internal readonly record struct CpuSnapshot(long AllTicks, long BusyTicks, long OwnTicks);
