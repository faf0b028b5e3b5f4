using System.Diagnostics;
using Weft.Lab;

namespace Weft.Cli.Demos;

internal sealed partial class CpuDemo
{
    static partial void UnderInterpreterLock(TextWriter output, long n, double sequential)
    {
        var gil = new InterpreterLock();
        var start = Stopwatch.GetTimestamp();
        var threads = Enumerable.Range(0, Tasks).Select(_ => new Thread(() => CpuWork.CpuIntensiveTask(gil, n))).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var seconds = Clock.Seconds(start);
        output.WriteLine(
            $"Threads under a simulated GIL: {seconds:F2} s  ({sequential / seconds:F2}x; {gil.Switches:N0} lock switches): " +
            "this is what CPython does, one thread at a time.");
    }
}
