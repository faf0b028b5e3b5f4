using System.Diagnostics;

namespace Weft.Tests.Processes;

/// <summary>Functions that tests run in worker processes; static, so they can cross the process boundary.</summary>
internal static class WorkerFunctions
{
    private static int s_initialized;

    public static int Square(int x) => x * x;

    public static string Identity(object value) => value.ToString()!;

    public static int Pid() => Environment.ProcessId;

    /// <summary>The variables that made this process a worker, as a task (and any process it starts) sees them.</summary>
    public static string WorkerVariables() =>
        $"channel={Environment.GetEnvironmentVariable("WEFT_WORKER_CHANNEL")};entry={Environment.GetEnvironmentVariable("WEFT_WORKER_ENTRY")}";

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

    /// <summary>Writes to the worker's stdout the ways a task can: a child process, the raw stream, Console.</summary>
    public static int WriteToStdoutEveryWay(int x)
    {
        using (var echo = Process.Start(new ProcessStartInfo("/bin/echo", "hi from a child process") { UseShellExecute = false })!)
        {
            echo.WaitForExit();
        }

        using (var raw = Console.OpenStandardOutput())
        {
            raw.Write("\u0001\u0002garbage that looks like a frame length\n"u8);
            raw.Flush();
        }

        Console.WriteLine("a task's Console.WriteLine");
        return x * 2;
    }

    /// <summary>Starts <c>sleep 20</c> (which inherits the worker's handles), records its pid, then blocks.</summary>
    public static int StartGrandchildThenBlock(string directory)
    {
        using var sleep = Process.Start(new ProcessStartInfo("sleep", "20") { UseShellExecute = false })!;
        File.WriteAllText(Path.Combine(directory, $"grandchild-{sleep.Id}"), string.Empty);
        return BlockUntilReleased(directory);
    }

    /// <summary>Writes a frame of an unknown kind straight into every pipe the worker can write (as a native
    /// library that writes to a stray descriptor might), then waits to be stopped.</summary>
    public static int CorruptTheChannel(int kind)
    {
        byte[] garbage = [1, 0, 0, 0, (byte)kind];
        WriteToEveryPipe(garbage);

        Thread.Sleep(TimeSpan.FromSeconds(30));
        return 0;
    }

    /// <summary>Writes an Error frame for call <paramref name="taskId"/> whose error record is cut short (its type name
    /// announces 1,000 characters that never come) into every pipe the worker can write, then returns.</summary>
    public static int WriteMalformedErrorFrame(long taskId)
    {
        var frame = new byte[5 + 8 + 8 + 4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(frame, frame.Length - 4);
        frame[4] = 13;   // FrameKind.Error, as a stray writer would put it: no frame type writes a broken record
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(frame.AsSpan(5), taskId);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(21), 1000);
        WriteToEveryPipe(frame);

        return 0;
    }

    /// <summary>Ends its own worker with SIGKILL, as the OOM killer would.</summary>
    public static int KillSelf(int x)
    {
        Process.GetCurrentProcess().Kill();
        return x;
    }

    /// <summary>Recurses until the stack overflows (the runtime aborts the worker).</summary>
    public static int OverflowStack(int x) => x < 0 ? x : OverflowStack(x + 1) + 1;

    /// <summary>Doubles <paramref name="x"/>, except that one in a hundred ends its worker: FailFast, exit, SIGKILL or a
    /// stack overflow, in turn.</summary>
    public static Answer CrashOnePercent(int x)
    {
        if (x % 100 == 37)
        {
            switch (x / 100 % 4)
            {
                case 0: FailFast(x); break;
                case 1: ExitWith(3); break;
                case 2: KillSelf(x); break;
                default: OverflowStack(1); break;
            }
        }

        return new Answer(x * 2, Environment.ProcessId);
    }

    /// <summary>The trace id of <see cref="Activity.Current"/> inside the task, or "none".</summary>
    public static string CurrentTraceId(int x) => Activity.Current?.TraceId.ToHexString() ?? "none";

    /// <summary>An initializer: the worker listens to Weft's activities, as a worker exporting traces would.</summary>
    public static void ListenToWeft() => ActivitySource.AddActivityListener(new ActivityListener
    {
        ShouldListenTo = source => source.Name == "Weft",
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    });

    /// <summary>The display name of the activity the task runs under, in the worker.</summary>
    public static string CurrentActivityName(int x) => Activity.Current?.DisplayName ?? "none";

    /// <summary>Throws with a message holding lone surrogates (a string cut in the middle of a pair).</summary>
    public static int ThrowLoneSurrogates(int x) => throw new InvalidOperationException($"cut \uD83D here, and \uDE00 there {x}");

    /// <summary>Starts <c>sleep 20</c> through a shell that opens every pipe of this worker for writing (as a
    /// process started at the wrong moment would inherit them), records its pid, then blocks: the channel then
    /// stays open after the worker dies, and only its process handle tells.</summary>
    public static int StartGrandchildHoldingChannelThenBlock(string directory)
    {
        var pid = Environment.ProcessId;
        var redirections = Directory.GetFiles("/proc/self/fd")
            .Select(link => (Fd: int.Parse(Path.GetFileName(link), System.Globalization.CultureInfo.InvariantCulture), Target: new FileInfo(link).LinkTarget))
            .Where(f => f.Fd > 2 && f.Target is not null && f.Target.StartsWith("pipe:", StringComparison.Ordinal) && IsWriteOnly(f.Fd))
            .Take(7)
            .Select((f, i) => $"{3 + i}>/proc/{pid}/fd/{f.Fd}")   // sh takes single-digit descriptors only
            .ToList();
        Assert.NotEmpty(redirections);
        var info = new ProcessStartInfo("sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        // The shell says when it holds the pipes (a file named after its pid, which exec keeps for sleep), and only
        // then is the grandchild recorded, so the test cannot kill this worker before the pipes are held.
        info.ArgumentList.Add($"exec {string.Join(' ', redirections)}; : > '{directory}/pipes-held-'$$; exec sleep 20");
        using var sleep = Process.Start(info)!;
        Assert.True(WaitForFile(Path.Combine(directory, $"pipes-held-{sleep.Id}")), "the shell never opened the pipes");
        File.WriteAllText(Path.Combine(directory, $"grandchild-{sleep.Id}"), string.Empty);
        return BlockUntilReleased(directory);
    }

    /// <summary>Whether descriptor <paramref name="fd"/> is open write-only (the "flags:" of /proc/self/fdinfo, octal).</summary>
    private static bool IsWriteOnly(int fd) =>
        File.ReadLines($"/proc/self/fdinfo/{fd}").FirstOrDefault(l => l.StartsWith("flags:", StringComparison.Ordinal)) is { } flags
        && (Convert.ToInt32(flags["flags:".Length..].Trim(), 8) & 3) == 1;

    public static int ThrowUnreadable(int x) => throw new UnreadableException();

    public static int ThrowAggregate(int x) =>
        throw new AggregateException("two failed", new InvalidOperationException($"first {x}"), new KeyNotFoundException($"second {x}"));

    public static async Task<int> AddAfterDelayAsync(int x)
    {
        await Task.Delay(5);
        return x + 1;
    }

    public static async Task<int> FailAfterDelayAsync(int x)
    {
        await Task.Delay(5);
        throw new InvalidOperationException($"async failure {x}");
    }

    public static int Sleep(int milliseconds)
    {
        Thread.Sleep(milliseconds);
        return milliseconds;
    }

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

    /// <summary>Writes <paramref name="bytes"/> into every pipe this process can write (as a native library that
    /// writes to a stray descriptor might); read ends refuse and are skipped.</summary>
    private static void WriteToEveryPipe(byte[] bytes)
    {
        foreach (var link in Directory.GetFiles("/proc/self/fd"))
        {
            var fd = int.Parse(Path.GetFileName(link), System.Globalization.CultureInfo.InvariantCulture);
            if (fd > 2 && new FileInfo(link).LinkTarget is { } target && target.StartsWith("pipe:", StringComparison.Ordinal))
            {
                try
                {
                    using var handle = new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: false);
                    using var stream = new FileStream(handle, FileAccess.Write, bufferSize: 0);
                    stream.Write(bytes);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
                {
                    // A read end.
                }
            }
        }
    }
}

public sealed class CustomWorkerException(string message) : Exception(message);

/// <summary>An exception that cannot describe itself: its Message and StackTrace getters throw.</summary>
public sealed class UnreadableException : Exception
{
    public override string Message => throw new InvalidOperationException("Message getter throws");

    public override string? StackTrace => throw new InvalidOperationException("StackTrace getter throws");

    public override string ToString() => throw new InvalidOperationException("ToString throws");
}

/// <summary>What <see cref="WorkerFunctions.CrashOnePercent"/> returns: the value and the worker that computed it.</summary>
public sealed record Answer(int Value, int Pid);
