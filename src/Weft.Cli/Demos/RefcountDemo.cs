using System.Diagnostics;

namespace Weft.Cli.Demos;

/// <summary>The "Ease of Memory Management" answer: what the GIL protects reference counts from.</summary>
internal sealed partial class RefcountDemo : IDemo
{
    /// <summary>Threads that share one object.</summary>
    public const int Threads = 4;

    /// <summary>New references each thread takes (<c>y = x</c>).</summary>
    public const int IncrementsPerThread = 1_000_000;

    public string Name => "refcount";

    public string Section => "GIL: Ease of Memory Management";

    public string Description => "a shared reference count updated by threads without a lock loses updates; with a lock it is exact";

    public int Run(TextWriter output, DemoOptions options)
    {
        var start = Stopwatch.GetTimestamp();
        const long expected = (long)Threads * IncrementsPerThread;
        output.WriteLine($"{Threads} threads each take {IncrementsPerThread:N0} new references to one object (y = x).");
        output.WriteLine($"The reference count should rise by {expected:N0}.");

        var (unsynchronised, attempt) = CountWithoutLock();
        var runs = attempt > 1 ? $"; run {attempt} of {Attempts}, the threads of the runs before did not overlap" : string.Empty;
        output.WriteLine($"Without a lock:        {unsynchronised,12:N0}  ({expected - unsynchronised:N0} updates lost{runs})");
        var locked = CountWithLock();
        output.WriteLine($"With a lock:           {locked,12:N0}  ({expected - locked:N0} lost)");
        var interlocked = CountWithInterlocked();
        output.WriteLine($"With Interlocked:      {interlocked,12:N0}  ({expected - interlocked:N0} lost)");
        RunUnderInterpreterLock(output, expected);

        output.WriteLine(unsynchronised < expected
            ? "Lost updates are what the tutorial warns of: an object freed while still in use, or never freed."
            : $"No update was lost in {Attempts} runs: the threads did not run at the same moment (busy or single core); run it again.");
        output.WriteLine(Clock.Finished(start));
        return 0;
    }

    /// <summary>A Python object's header: just the count.</summary>
    private sealed class PyObject
    {
        public long RefCount;
    }

    /// <summary>Runs of <see cref="CountWithoutLock"/> at most.</summary>
    public const int Attempts = 5;

    /// <summary>Py_INCREF without the GIL: read, add one, write back; another thread's write in between is lost.
    /// A busy machine can run the threads one after another, and then nothing is lost: so it runs up to
    /// <see cref="Attempts"/> times and returns the first run that lost updates, and which run that was.</summary>
    /// <returns>How far the count rose, and the run it was.</returns>
    public static (long Count, int Attempt) CountWithoutLock()
    {
        const long expected = (long)Threads * IncrementsPerThread;
        long count = 0;
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            count = RunThreads(x =>
            {
                var count = Volatile.Read(ref x.RefCount);
                Volatile.Write(ref x.RefCount, count + 1);
            });
            if (count < expected)
            {
                return (count, attempt);
            }
        }

        return (count, Attempts);
    }

    /// <summary>The same, each update under a lock.</summary>
    /// <returns>How far the count rose.</returns>
    public static long CountWithLock()
    {
        var gate = new Lock();
        return RunThreads(x =>
        {
            lock (gate)
            {
                x.RefCount++;
            }
        });
    }

    /// <summary>The same with one atomic instruction per update.</summary>
    /// <returns>How far the count rose.</returns>
    public static long CountWithInterlocked() => RunThreads(x => Interlocked.Increment(ref x.RefCount));

    private static long RunThreads(Action<PyObject> incRef)
    {
        var x = new PyObject();
        using var ready = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(_ => new Thread(() =>
        {
            // Start together so the threads really overlap.
            ready.SignalAndWait();
            for (var i = 0; i < IncrementsPerThread; i++)
            {
                incRef(x);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return x.RefCount;
    }
}
