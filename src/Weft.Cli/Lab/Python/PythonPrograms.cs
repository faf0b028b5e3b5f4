namespace Weft.Cli.Lab.Python;

/// <summary>The tutorial's Python programs, shipped inside weft as embedded resources (src/Weft.Cli/Lab/Python/*.py)
/// and written to a temporary folder to run: a process pool's workers import the program's module by path.</summary>
internal sealed class PythonPrograms : IDisposable
{
    /// <summary>Sections 2 and 3 on sleeping tasks.</summary>
    public const string IoSleep = "io_sleep.py";

    /// <summary>Section 4, downloading images.</summary>
    public const string IoHttp = "io_http.py";

    /// <summary>The GIL example and its process-pool answer.</summary>
    public const string Cpu = "cpu_loop.py";

    /// <summary>Many concurrent waits: threads versus asyncio.</summary>
    public const string Waits = "waits.py";

    /// <summary>The shared timing and reporting module; run on its own, the probe.</summary>
    public const string Probe = "weft_lab.py";

    private const string ResourcePrefix = "Weft.Cli.Lab.Python.";

    /// <summary>Every program, with the modules they import.</summary>
    public static IReadOnlyList<string> All { get; } = [Probe, "the_tutorials_process_pool.py", IoSleep, IoHttp, Cpu, Waits];

    private PythonPrograms(DirectoryInfo directory) => Directory = directory;

    /// <summary>The folder the programs were written to.</summary>
    public DirectoryInfo Directory { get; }

    /// <summary>Writes every program to a new temporary folder.</summary>
    /// <returns>The programs; dispose to delete the folder.</returns>
    public static PythonPrograms Extract()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("weft-lab-python-");
        foreach (var name in All)
        {
            File.WriteAllText(Path.Combine(directory.FullName, name), Read(name));
        }

        return new PythonPrograms(directory);
    }

    /// <summary>A program's source.</summary>
    /// <param name="name">Its file name, e.g. <see cref="Cpu"/>.</param>
    /// <returns>The text.</returns>
    public static string Read(string name)
    {
        using var stream = typeof(PythonPrograms).Assembly.GetManifestResourceStream(ResourcePrefix + name)
            ?? throw new InvalidOperationException($"{name} is not embedded in {typeof(PythonPrograms).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The path to a program.</summary>
    /// <param name="name">Its file name.</param>
    /// <returns>The full path.</returns>
    public string PathOf(string name) => Path.Combine(Directory.FullName, name);

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            Directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A worker process still holding a file open; the folder is in the temp directory.
        }
    }
}
