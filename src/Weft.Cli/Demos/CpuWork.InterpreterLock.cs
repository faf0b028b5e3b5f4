using System.Runtime.CompilerServices;
using Weft.Lab;

namespace Weft.Cli.Demos;

internal static partial class CpuWork
{
    /// <summary>The same loop as Python runs it: holding the interpreter lock, offering it to other
    /// threads every 1,024 iterations (CPython checks every few bytecodes).</summary>
    /// <param name="gil">The simulated interpreter lock.</param>
    /// <param name="n">The loop length.</param>
    /// <returns>The sum 0 + 1 + ... + (n - 1).</returns>
    /// <remarks>Compiled optimised at once, as the plain loop is, so the two compare.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static long CpuIntensiveTask(InterpreterLock gil, long n)
    {
        using (gil.Enter())
        {
            long total = 0;
            for (long i = 0; i < n; i++)
            {
                total += i;
                if ((i & 1023) == 0)
                {
                    gil.Checkpoint();
                }
            }

            return total;
        }
    }
}
