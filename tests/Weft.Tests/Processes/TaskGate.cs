using System.Diagnostics;

namespace Weft.Tests.Processes;

/// <summary>A temp directory that tasks in worker processes use as a gate: <see cref="WorkerFunctions.BlockUntilReleased"/>
/// marks itself started there and blocks until <see cref="Release"/>. Disposing releases (so a failed test leaves no
/// worker blocked), kills the grandchildren tasks recorded there, and deletes the directory.</summary>
public sealed class TaskGate : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("weft-gate-").FullName;

    public void Release() => File.WriteAllText(System.IO.Path.Combine(Path, "release"), string.Empty);

    public bool WaitStarted(int count) => WorkerFunctions.WaitForFiles(Path, "started-", count);

    /// <summary>The pids that <see cref="WorkerFunctions.StartGrandchildThenBlock"/> recorded.</summary>
    public IReadOnlyList<int> Grandchildren() =>
        [.. Directory.GetFiles(Path, "grandchild-*").Select(f => int.Parse(System.IO.Path.GetFileName(f)["grandchild-".Length..], System.Globalization.CultureInfo.InvariantCulture))];

    public void Dispose()
    {
        Release();
        foreach (var pid in Grandchildren())
        {
            ProcessProbe.KillQuietly(pid);
        }

        Directory.Delete(Path, recursive: true);
    }
}

/// <summary>Looks at processes by pid.</summary>
public static class ProcessProbe
{
    public static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public static void KillQuietly(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }
}
