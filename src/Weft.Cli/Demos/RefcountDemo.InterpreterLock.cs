using Weft.Lab;

namespace Weft.Cli.Demos;

internal sealed partial class RefcountDemo
{
    /// <summary>The unsynchronised update again, each thread holding the simulated GIL and offering it every
    /// 1,024 updates: only one thread runs between checkpoints, so no update is lost.</summary>
    /// <returns>How far the count rose.</returns>
    public static long CountUnderInterpreterLock()
    {
        var gil = new InterpreterLock();
        var x = new PyObject();
        using var ready = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(_ => new Thread(() =>
        {
            ready.SignalAndWait();
            using (gil.Enter())
            {
                for (var i = 0; i < IncrementsPerThread; i++)
                {
                    var count = Volatile.Read(ref x.RefCount);
                    Volatile.Write(ref x.RefCount, count + 1);
                    if ((i & 1023) == 0)
                    {
                        gil.Checkpoint();
                    }
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return x.RefCount;
    }

    private static void RunUnderInterpreterLock(TextWriter output, long expected)
    {
        var underGil = CountUnderInterpreterLock();
        output.WriteLine($"Under a simulated GIL: {underGil,12:N0}  ({expected - underGil:N0} lost): what the GIL buys CPython");
    }
}
