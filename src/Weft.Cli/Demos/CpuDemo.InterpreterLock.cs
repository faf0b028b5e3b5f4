using System.Diagnostics;
using Weft.Lab;

namespace Weft.Cli.Demos;

internal sealed partial class CpuDemo
{
    /// <summary>The loop with the lock's checkpoints, in turn and then on threads: the speed-up compares the same
    /// loop both ways (optimised code runs the plain loop several times faster than the one with checkpoints).</summary>
    private static void UnderInterpreterLock(TextWriter output, long n)
    {
        var gil = new InterpreterLock();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < Tasks; i++)
        {
            CpuWork.CpuIntensiveTask(gil, n);
        }

        var inTurn = Clock.Seconds(start);
        start = Stopwatch.GetTimestamp();
        var threads = Enumerable.Range(0, Tasks).Select(_ => new Thread(() => CpuWork.CpuIntensiveTask(gil, n))).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var seconds = Clock.Seconds(start);
        output.WriteLine(
            $"Threads under a simulated GIL: {seconds:F2} s  ({inTurn / seconds:F2}x against the same loop in turn, {inTurn:F2} s; {gil.Switches:N0} lock switches): " +
            "this is what CPython does, one thread at a time.");
    }
}
