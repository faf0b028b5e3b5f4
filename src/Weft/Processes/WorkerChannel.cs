using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Weft.Processes;

/// <summary>
/// The frames' own channel between a pool and one worker: a Unix-domain socket, so the worker's stdin, stdout
/// and stderr stay the user's (a task's <c>Console.WriteLine</c>, a child process's output or a native
/// <c>printf</c> reach the console, never the frame stream).
/// </summary>
/// <remarks>
/// <para>Handshake: the parent listens on a socket in a fresh directory only its user can read, and starts the
/// worker with <see cref="Variable"/> = <c>1;&lt;parent pid&gt;;&lt;32 hex token&gt;;&lt;socket path&gt;</c>. The worker
/// removes the variable from its environment (so a process a task starts is never mistaken for a worker),
/// connects, and sends the 16 token bytes; the parent accepts one connection, checks the token and deletes the
/// socket file. Any entry point can be a worker: it only has to call <see cref="TryConnectFromEnvironment"/>
/// and hand the stream to <see cref="WorkerHost.Run(Stream, int)"/>.</para>
/// <para>Why a socket and not inherited anonymous pipes: .NET opens sockets close-on-exec, so no other process
/// ever holds an end (an inherited pipe end leaks into sibling workers started at the same moment, and into
/// every process a task starts, and then the end of the stream no longer means the peer died).</para>
/// </remarks>
internal sealed class WorkerChannel : IDisposable
{
    /// <summary>The environment variable that makes a process a worker and names its channel.</summary>
    public const string Variable = "WEFT_WORKER_CHANNEL";

    private const int TokenLength = 16;

    private readonly string _directory;
    private readonly string _path;
    private readonly byte[] _token = RandomNumberGenerator.GetBytes(TokenLength);
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);

    private WorkerChannel()
    {
        // CreateTempSubdirectory makes the directory readable by this user only (0700 on Unix).
        _directory = Directory.CreateTempSubdirectory("weft-").FullName;
        _path = Path.Combine(_directory, "w");
        try
        {
            _listener.Bind(new UnixDomainSocketEndPoint(_path));
            _listener.Listen(1);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The value of <see cref="Variable"/> for the worker to start.</summary>
    public string EnvironmentValue => string.Create(
        CultureInfo.InvariantCulture, $"1;{Environment.ProcessId};{Convert.ToHexString(_token)};{_path}");

    /// <summary>Listens for one worker; call <see cref="Accept"/> after starting it.</summary>
    public static WorkerChannel Listen() => new();

    /// <summary>Connects to the parent named by <see cref="Variable"/>, if this process was started as a worker.</summary>
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
        var parts = value.Split(';', 4);
        if (parts.Length != 4 || parts[0] != "1" || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out parentProcessId))
        {
            throw new InvalidDataException($"{Variable} is malformed: '{value}'.");
        }

        var token = Convert.FromHexString(parts[2]);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(parts[3]));
            socket.Send(token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        channel = new NetworkStream(socket, ownsSocket: true);
        return true;
    }

    /// <summary>Waits for <paramref name="worker"/> to connect and prove it is the one started with our token.</summary>
    /// <exception cref="IOException">The worker exited first, or sent a wrong token.</exception>
    public Stream Accept(Process worker)
    {
        using var exited = new CancellationTokenSource();
        var exitWatch = worker.WaitForExitAsync(exited.Token);
        var accept = _listener.AcceptAsync(exited.Token).AsTask();
        if (Task.WaitAny(accept, exitWatch) == 1)
        {
            throw new IOException($"The worker process {worker.Id} exited (exit code {worker.ExitCode}) before it connected.");
        }

        exited.Cancel();
        var socket = accept.GetAwaiter().GetResult();
        var stream = new NetworkStream(socket, ownsSocket: true);
        var token = new byte[TokenLength];
        if (stream.ReadAtLeast(token, TokenLength, throwOnEndOfStream: false) != TokenLength || !token.AsSpan().SequenceEqual(_token))
        {
            stream.Dispose();
            throw new IOException("A process that was not the worker connected to its channel.");
        }

        return stream;
    }

    /// <summary>Stops listening and removes the socket file and its directory.</summary>
    public void Dispose()
    {
        _listener.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A temp directory left behind is harmless.
        }
    }
}
