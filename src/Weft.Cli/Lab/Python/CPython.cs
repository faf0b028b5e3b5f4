using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;

namespace Weft.Cli.Lab.Python;

/// <summary>A CPython interpreter that runs the lab's programs, each printing one JSON line of timings.</summary>
/// <param name="executable">The interpreter: a path, or a name looked up on PATH by the OS.</param>
internal sealed class CPython(string executable)
{
    /// <summary>The interpreter looked for on PATH when no <c>--python</c> is given.</summary>
    public const string DefaultName = "python3";

    /// <summary>The interpreter.</summary>
    public string Executable => executable;

    /// <summary>Looks for an executable file on PATH.</summary>
    /// <param name="name">The file name, e.g. <see cref="DefaultName"/>.</param>
    /// <returns>Its full path, or null when it is not on PATH.</returns>
    public static string? FindOnPath(string name = DefaultName)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        string[] extensions = OperatingSystem.IsWindows() ? [".exe", string.Empty] : [string.Empty];
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var extension in extensions)
            {
                var candidate = Path.Combine(dir, name + extension);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>Starts the interpreter on the shared module alone: it must start, be CPython, and say its version.</summary>
    /// <param name="programs">The extracted programs.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="cancellationToken">Kills the interpreter.</param>
    /// <returns>Its report, and how long start-up took.</returns>
    /// <exception cref="CPythonException">It did not start, failed, or is not CPython.</exception>
    public (PythonReport Report, double StartupSeconds) Probe(PythonPrograms programs, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var report = Run(programs, PythonPrograms.Probe, [], timeout, cancellationToken);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (report.Implementation != "CPython")
        {
            throw new CPythonException($"{executable} is {report.Implementation} {report.Python}, not CPython; the lab measures CPython's GIL");
        }

        return (report, seconds);
    }

    /// <summary>Runs one program and reads its last line of output.</summary>
    /// <param name="programs">The extracted programs.</param>
    /// <param name="program">The program's file name.</param>
    /// <param name="arguments">Its command-line arguments.</param>
    /// <param name="timeout">How long to wait before killing it.</param>
    /// <param name="cancellationToken">Kills the interpreter.</param>
    /// <returns>The program's report.</returns>
    /// <exception cref="CPythonException">It did not start, exited with an error, timed out, or printed no valid result line.</exception>
    public PythonReport Run(PythonPrograms programs, string program, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(programs);
        var (code, stdout, stderr) = Execute(programs, program, arguments, timeout, cancellationToken);
        if (code != 0)
        {
            throw new CPythonException($"{executable} {program} exited with code {code}: {LastLine(stderr) ?? "no error output"}");
        }

        var line = LastLine(stdout)
            ?? throw new CPythonException($"{executable} {program} printed no result line{Stderr(stderr)}");
        try
        {
            var report = JsonSerializer.Deserialize(line, PythonJson.Default.PythonReport)
                ?? throw new CPythonException($"{executable} {program} printed null as its result line");
            return report;
        }
        catch (JsonException e)
        {
            throw new CPythonException($"{executable} {program} printed a malformed result line ({e.Message.Split('.')[0]}): {Shorten(line)}", e);
        }
    }

    private (int Code, string Stdout, string Stderr) Execute(
        PythonPrograms programs, string program, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = programs.Directory.FullName,
        };
        info.ArgumentList.Add(programs.PathOf(program));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new CPythonException($"{executable} could not be started");
        }
        catch (Win32Exception e)
        {
            throw new CPythonException($"{executable} could not be started: {e.Message}", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            using (cancellationToken.Register(() => Kill(process)))
            {
                if (!process.WaitForExit(timeout))
                {
                    Kill(process);
                    throw new CPythonException($"{executable} {program} did not finish within {timeout.TotalSeconds:0} s");
                }
            }

            process.WaitForExit(); // the output pipes are drained
            cancellationToken.ThrowIfCancellationRequested();
            return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited already.
        }
    }

    private static string? LastLine(string text) =>
        text.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0);

    private static string Stderr(string stderr) => LastLine(stderr) is { } line ? $" (stderr: {Shorten(line)})" : string.Empty;

    private static string Shorten(string line) => line.Length <= 120 ? line : line[..117] + "...";
}
