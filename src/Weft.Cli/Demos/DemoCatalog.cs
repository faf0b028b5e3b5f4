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
        new DownloadDemo(),
        new CpuDemo(),
        new GilDemo(),
        new RefcountDemo(),
        new LocksDemo(),
        new QueueDemo(),
        new ThreadLocalDemo(),
        new DaemonDemo(),
        new ProcessesDemo(),
        new AsyncDemo(),
        new DebugDemo(),
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
