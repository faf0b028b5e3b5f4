namespace Weft.Cli.Demos;

/// <summary>Every demo, in the tutorial's order.</summary>
internal static class DemoCatalog
{
    /// <summary>The demos, in the tutorial's order.</summary>
    public static IReadOnlyList<IDemo> All { get; } =
    [
        new SyncDemo(),
        new ThreadsDemo(),
        new ArgsDemo(),
        new SubmitDemo(),
        new AsCompletedDemo(),
        new MapDemo(),
        new UnavailableDemo("download", "4. Downloading Images Using Threads", "the same images fetched sequentially, then with a thread pool, from the built-in server", "Weft.Download.ImageServer"),
        new CpuDemo(),
        new UnavailableDemo("gil", "The GIL explained", "the simulated interpreter lock: CPU-bound threads take turns, IO-bound threads still overlap", "Weft.Lab.InterpreterLock"),
        new RefcountDemo(),
        new LocksDemo(),
        new UnavailableDemo("queue", "Thread Safety: queue.Queue", "producer/consumer over JoinableQueue with TaskDone/Join", "Weft.Threading.JoinableQueue"),
        new ThreadLocalDemo(),
        new DaemonDemo(),
        new UnavailableDemo("processes", "4. Thread Pools vs Process Pools", "the same heavy computation on a ThreadPoolExecutor and a ProcessPoolExecutor", "ProcessPoolExecutor"),
        new AsyncDemo(),
        new UnavailableDemo("debug", "6. Debugging Threads", "Threads.Enumerate(), a trace hook printing events, Stopwatch timing", "Weft.Threading.Threads"),
    ];

    /// <summary>Finds a demo by name, ignoring case.</summary>
    /// <param name="name">The demo's name.</param>
    /// <returns>The demo, or <see langword="null"/> when there is none by that name.</returns>
    public static IDemo? Find(string name) =>
        All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Runs a demo with a writer that several threads may print to at once.</summary>
    /// <param name="demo">The demo.</param>
    /// <param name="output">Where it prints.</param>
    /// <param name="options">How it runs.</param>
    /// <returns>Its exit code.</returns>
    public static int Run(IDemo demo, TextWriter output, DemoOptions options)
    {
        ArgumentNullException.ThrowIfNull(demo);
        var synchronized = TextWriter.Synchronized(output);
        if (options.Fast)
        {
            synchronized.WriteLine("(--fast: every sleep is ten times shorter; the times printed are real)");
        }

        var code = demo.Run(synchronized, options);
        synchronized.Flush();
        return code;
    }
}
