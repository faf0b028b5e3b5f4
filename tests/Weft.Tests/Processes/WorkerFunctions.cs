using System.Diagnostics;

namespace Weft.Tests.Processes;

/// <summary>Functions that tests run in worker processes; static, so they can cross the process boundary.</summary>
internal static class WorkerFunctions
{
    private static int s_initialized;

    public static int Square(int x) => x * x;

    public static string Identity(object value) => value.ToString()!;

    public static int Pid() => Environment.ProcessId;

    public static int Add(int a, int b) => a + b;

    public static string Concat(string a, int b) => a + b;

    public static byte[] Reverse(byte[] data)
    {
        Array.Reverse(data);
        return data;
    }

    public static int ThrowArgument(int x) => throw new ArgumentException($"bad value {x}", nameof(x));

    public static int ThrowCustom(int x) => throw new CustomWorkerException($"custom {x}");

    public static void Initialize() => Interlocked.Increment(ref s_initialized);

    public static int InitializedCount() => Volatile.Read(ref s_initialized);

    public static void FailingInitializer() => throw new InvalidOperationException("initializer says no");

    public static int ExitWith(int code)
    {
        Environment.Exit(code);
        return 0;
    }

    public static int FailFast(int x)
    {
        Environment.FailFast($"deliberate crash {x}");
        return 0;
    }

    /// <summary>Marks itself started with a file, then blocks until the release file appears (at most 30 s).</summary>
    public static int BlockUntilReleased(string directory)
    {
        File.WriteAllText(Path.Combine(directory, $"started-{Environment.ProcessId}-{Guid.NewGuid():N}"), string.Empty);
        WaitForFile(Path.Combine(directory, "release"));
        return Environment.ProcessId;
    }

    /// <summary>Records that it ran with a marker file.</summary>
    public static int Touch(string path)
    {
        File.WriteAllText(path, string.Empty);
        return 1;
    }

    /// <summary>Runs until its token fires (at most 30 s): 1 if it was cancelled.</summary>
    public static int SpinUntilCancelled(CancellationToken token) => token.WaitHandle.WaitOne(TimeSpan.FromSeconds(30)) ? 1 : 0;

    public static bool WaitForFile(string path)
    {
        var watch = Stopwatch.StartNew();
        while (!File.Exists(path))
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(30))
            {
                return false;
            }

            Thread.Sleep(5);
        }

        return true;
    }

    public static bool WaitForFiles(string directory, string prefix, int count)
    {
        var watch = Stopwatch.StartNew();
        while (Directory.GetFiles(directory, prefix + "*").Length < count)
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(30))
            {
                return false;
            }

            Thread.Sleep(5);
        }

        return true;
    }
}

public sealed class CustomWorkerException(string message) : Exception(message);
