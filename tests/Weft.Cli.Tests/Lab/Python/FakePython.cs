namespace Weft.Cli.Tests.Lab.Python;

/// <summary>Shell scripts that stand in for python3: one that passes the probe and then fails, one that prints garbage.</summary>
internal sealed class FakePython : IDisposable
{
    /// <summary>What weft_lab.py prints as the probe.</summary>
    public const string ProbeLine = """{"workload": "probe", "python": "3.99.0", "implementation": "CPython", "gilEnabled": true, "seconds": {}}""";

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("weft-fake-python-");

    /// <summary>Passes the probe, then every program fails with a Python traceback.</summary>
    public string FailsAfterProbe() => Script("fails", $$$"""
        case "$1" in *weft_lab.py) echo '{{{ProbeLine}}}'; exit 0;; esac
        echo 'Traceback (most recent call last):' >&2
        echo '  File "x.py", line 1, in <module>' >&2
        echo 'RuntimeError: boom' >&2
        exit 1
        """);

    /// <summary>Exits 0 having printed a line that is not JSON.</summary>
    public string PrintsGarbage() => Script("garbage", "echo 'Python is great'");

    /// <summary>Prints a valid JSON line that lacks the times.</summary>
    public string PrintsNoTimes() => Script("notimes", $$$"""
        case "$1" in *weft_lab.py) echo '{{{ProbeLine}}}'; exit 0;; esac
        echo '{"workload": "cpu", "python": "3.99.0", "implementation": "CPython", "seconds": {"sequential": [1.0]}}'
        """);

    /// <summary>Is PyPy.</summary>
    public string IsPyPy() => Script("pypy", """echo '{"workload": "probe", "python": "3.10.14", "implementation": "PyPy", "seconds": {}}'""");

    /// <summary>The real interpreter with its virtual memory limited, so that it cannot start many threads
    /// (each reserves a stack of several MB).</summary>
    /// <param name="python">The real interpreter.</param>
    /// <param name="kilobytes">The limit.</param>
    public string WithMemoryLimit(string python, int kilobytes) => Script("limited", $"""
        ulimit -v {kilobytes}
        exec '{python}' "$@"
        """);

    private string Script(string name, string body)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body.Replace("\r", string.Empty, StringComparison.Ordinal) + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
