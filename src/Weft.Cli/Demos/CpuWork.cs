using System.Runtime.CompilerServices;

namespace Weft.Cli.Demos;

/// <summary>The tutorial's CPU-bound task. Static, so a process pool can run it too.</summary>
internal static partial class CpuWork
{
    /// <summary>The tutorial's loop length, <c>10**7</c>.</summary>
    public const long TutorialIterations = 10_000_000;

    /// <summary><c>def cpu_intensive_task(): total = 0; for i in range(n): total += i; return total</c>.</summary>
    /// <param name="n">The loop length.</param>
    /// <returns>The sum 0 + 1 + ... + (n - 1).</returns>
    /// <remarks>Compiled optimised at once: with tiering, the first calls of a loop method run on-stack-replaced
    /// code of varying speed, so the first strategy timed would pay for the JIT's warm-up.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static long CpuIntensiveTask(long n)
    {
        long total = 0;
        for (long i = 0; i < n; i++)
        {
            total += i;
        }

        return total;
    }
}
