using System.Diagnostics;
using System.Globalization;
using System.IO.Pipes;
using Microsoft.Win32.SafeHandles;

namespace Weft.Processes;

/// <summary>
/// The frames' own channel between a pool and one worker: two anonymous pipes whose worker ends the worker
/// inherits, so the worker's stdout and stderr stay the user's (a task's <c>Console.WriteLine</c>, a child
/// process's output or a native <c>printf</c> reach the console, never the frame stream).
/// </summary>
/// <remarks>
/// <para>Handshake: the worker is started with <see cref="Variable"/> = <c>2;&lt;parent pid&gt;;&lt;read handle&gt;;&lt;write handle&gt;</c>
/// (file descriptors on Unix). The worker removes the variable from its environment (so a process a task starts is
/// never taken for a worker), takes the two handles and, on Unix, opens them again close-on-exec and closes the
/// inherited ones, so processes a task starts do not hold the channel. Any entry point can be a worker: it calls
/// <see cref="TryConnectFromEnvironment"/> and hands the stream to <see cref="WorkerHost.Run(Stream, int)"/>.</para>
/// <para>Why pipes and not a Unix-domain socket: a socket's first use costs a cold worker 10-50 ms (loading and
/// initializing System.Net.Sockets), which is most of what a fresh pool's first result waits for; a pipe opened as
/// a <see cref="FileStream"/> costs nothing to load. Inherited handles leak into any process started at the same
/// moment, so workers start one at a time (<see cref="s_startLock"/>), and the pool notices a death from the
/// process handle, never only from the end of the channel.</para>
/// </remarks>
internal static class WorkerChannel
{
    /// <summary>The environment variable that makes a process a worker and names its channel.</summary>
    public const string Variable = "WEFT_WORKER_CHANNEL";

    private const string Version = "2";

    /// <summary>Held from creating a worker's inheritable pipe ends until the parent's copies are closed, so no
    /// other worker started by this process inherits them.</summary>
    private static readonly Lock s_startLock = new();

    /// <summary>Starts a worker with its channel.</summary>
    /// <param name="info">What to start (<see cref="WorkerLaunch.CreateStartInfo"/>); its environment gets <see cref="Variable"/>.</param>
    /// <returns>The process (its stdin already closed when redirected) and the parent's end of the channel.</returns>
    public static (Process Process, Stream Channel) Start(ProcessStartInfo info)
    {
        lock (s_startLock)
        {
            var toWorker = new AnonymousPipeServerStream(PipeDirection.Out, HandleInheritability.Inheritable);
            var fromWorker = new AnonymousPipeServerStream(PipeDirection.In, HandleInheritability.Inheritable);
            try
            {
                info.Environment[Variable] = string.Join(
                    ';', Version, Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
                    toWorker.GetClientHandleAsString(), fromWorker.GetClientHandleAsString());
                var process = Process.Start(info) ?? throw new InvalidOperationException("The worker process did not start.");
                if (info.RedirectStandardInput)
                {
                    process.StandardInput.Close();
                }

                return (process, new DuplexStream(fromWorker, toWorker));
            }
            catch
            {
                toWorker.Dispose();
                fromWorker.Dispose();
                throw;
            }
            finally
            {
                info.Environment.Remove(Variable);
                toWorker.DisposeLocalCopyOfClientHandle();
                fromWorker.DisposeLocalCopyOfClientHandle();
            }
        }
    }

    /// <summary>Takes the channel named by <see cref="Variable"/>, if this process was started as a worker.</summary>
    /// <returns>False when the variable is not set (this process is not a worker).</returns>
    /// <exception cref="InvalidDataException">The variable is set but malformed.</exception>
    public static bool TryConnectFromEnvironment(out Stream channel, out int parentProcessId)
    {
        channel = Stream.Null;
        parentProcessId = 0;
        var value = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        Environment.SetEnvironmentVariable(Variable, null);
        var parts = value.Split(';');
        if (parts.Length != 4 || parts[0] != Version
            || !TryParseNumber(parts[1], out var parent) || parent > int.MaxValue
            || !TryParseNumber(parts[2], out var read)
            || !TryParseNumber(parts[3], out var write))
        {
            throw new InvalidDataException($"{Variable} is malformed: '{value}'.");
        }

        parentProcessId = (int)parent;
        channel = new DuplexStream(Open(read, parts[2], FileAccess.Read), Open(write, parts[3], FileAccess.Write));
        return true;
    }

    /// <summary>An inherited pipe end as a stream; on Unix reopened close-on-exec (.NET opens files so) and the
    /// inherited descriptor closed, so a process a task starts does not inherit the channel.</summary>
    /// <param name="handle">The descriptor.</param>
    /// <param name="digits">The same number as it was written (<see cref="TryParseNumber"/>), so no number is formatted here.</param>
    /// <param name="access">Read or write.</param>
    private static FileStream Open(long handle, string digits, FileAccess access)
    {
        var inherited = new SafeFileHandle((nint)handle, ownsHandle: true);
        var path = OperatingSystem.IsLinux() ? "/proc/self/fd/" + digits : OperatingSystem.IsWindows() ? null : "/dev/fd/" + digits;
        if (path is not null)
        {
            try
            {
                var reopened = new FileStream(path, FileMode.Open, access, FileShare.ReadWrite, bufferSize: 0);
                inherited.Dispose();
                return reopened;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                // Keep the inherited descriptor: the channel works, a child process merely inherits it too.
            }
        }

        return new FileStream(inherited, access, bufferSize: 0);
    }

    /// <summary>A decimal number as the parent writes it: digits only, no sign, no leading zero, at most 18 digits.</summary>
    /// <remarks>Not <c>long.TryParse</c>: anything that touches <c>CultureInfo</c>, even the invariant culture, loads
    /// the ICU libraries, a few milliseconds of every worker's start that its first call may never need.</remarks>
    private static bool TryParseNumber(string text, out long value)
    {
        value = 0;
        if (text.Length is 0 or > 18 || (text[0] == '0' && text.Length > 1))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    /// <summary>One stream over a pipe to read and a pipe to write.</summary>
    private sealed class DuplexStream(Stream input, Stream output) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => input.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => input.Read(buffer);

        public override void Write(byte[] buffer, int offset, int count) => output.Write(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => output.Write(buffer);

        public override void Flush() => output.Flush();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                output.Dispose();
                input.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
