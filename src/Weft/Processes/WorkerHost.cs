using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;

namespace Weft.Processes;

/// <summary>
/// The worker process: reads calls from stdin, runs them one at a time on its main thread, writes results
/// to stdout. Started by Weft.Worker.dll (which calls <see cref="Run"/>); never used in the parent.
/// </summary>
/// <remarks>
/// A reader thread moves frames to the main thread and handles two things at once: <see cref="FrameKind.CancelAll"/>
/// (so a running task's token can fire) and the end of stdin, which means the parent died: the worker then
/// exits at once, even in the middle of a task, so no orphan keeps computing. Console output of tasks goes
/// to stderr, because stdout carries the frames.
/// </remarks>
internal sealed class WorkerHost
{
    private readonly FrameWriter _writer;
    private readonly Dictionary<int, Invoker> _invokers = [];
    private readonly Dictionary<int, Exception> _unusable = [];
    private readonly BlockingCollection<(FrameKind Kind, byte[] Body)> _inbox = new();
    private readonly CancellationTokenSource _cancelAll = new();
    private readonly BodyWriter _header = new();

    private WorkerHost(FrameWriter writer) => _writer = writer;

    /// <summary>The worker's main; called by reflection from Weft.Worker.dll with the parent's process id.</summary>
    /// <returns>The process exit code: 0 after an Exit frame, 1 when the initializer failed, 2 on a protocol error.</returns>
    internal static int Run(string[] args)
    {
        if (args.Length > 0 && int.TryParse(args[0], System.Globalization.CultureInfo.InvariantCulture, out var parent))
        {
            WatchParent(parent);
        }

        var input = Console.OpenStandardInput();
        var output = Console.OpenStandardOutput();
        Console.SetOut(Console.Error);
        var reader = new FrameReader(input);
        var host = new WorkerHost(new FrameWriter(output));
        if (!reader.TryRead(out var kind, out var body) || kind != FrameKind.Init)
        {
            return 2;
        }

        if (!host.Initialize(body))
        {
            return 1;
        }

        var thread = new Thread(() => host.ReadLoop(reader)) { IsBackground = true, Name = "Weft worker reader" };
        thread.Start();
        return host.RunLoop();
    }

    /// <summary>A second guard beside the end of stdin (which another process could keep open by inheriting the
    /// pipe): exit when the parent process is gone.</summary>
    private static void WatchParent(int parentId)
    {
        Process parent;
        try
        {
            parent = Process.GetProcessById(parentId);
        }
        catch (ArgumentException)
        {
            Environment.Exit(0);
            return;
        }

        new Thread(() =>
        {
            parent.WaitForExit();
            Environment.Exit(0);
        })
        { IsBackground = true, Name = "Weft worker parent watch" }.Start();
    }

    private bool Initialize(byte[] body)
    {
        var reader = new BodyReader(body);
        try
        {
            if (reader.ReadByte() == 1)
            {
                var (method, target, _) = Resolve(ref reader);
                method.Invoke(target, null);
            }
        }
#pragma warning disable CA1031 // The initializer's failure is reported to the parent, which breaks the pool.
        catch (Exception e)
#pragma warning restore CA1031
        {
            var error = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
            _header.Clear();
            RemoteError.Write(_header, error);
            _writer.Write(FrameKind.InitFailed, _header.WrittenSpan);
            _writer.Flush();
            return false;
        }

        _header.Clear();
        _header.WriteInt32(Environment.ProcessId);
        _writer.Write(FrameKind.Ready, _header.WrittenSpan);
        _writer.Flush();
        return true;
    }

    private void ReadLoop(FrameReader reader)
    {
        try
        {
            while (reader.TryRead(out var kind, out var body))
            {
                if (kind == FrameKind.CancelAll)
                {
                    _cancelAll.Cancel();
                }
                else
                {
                    _inbox.Add((kind, body));
                }
            }
        }
        catch (IOException)
        {
        }

        // The parent is gone (or closed our stdin): nobody can use what we compute.
        Environment.Exit(0);
    }

    private int RunLoop()
    {
        while (true)
        {
            if (!_inbox.TryTake(out var frame))
            {
                _writer.Flush();   // idle: let the parent see every result so far
                frame = _inbox.Take();
            }

            switch (frame.Kind)
            {
                case FrameKind.Define:
                    Define(frame.Body);
                    break;
                case FrameKind.Call:
                    Call(frame.Body);
                    break;
                case FrameKind.Exit:
                    _writer.Flush();
                    return 0;
                default:
                    return 2;
            }
        }
    }

    private void Define(byte[] body)
    {
        var reader = new BodyReader(body);
        var id = reader.ReadInt32();
        try
        {
            var (method, target, shape) = Resolve(ref reader, hasId: false);
            _invokers[id] = Invoker.Create(method, target, shape);
        }
#pragma warning disable CA1031 // A function that cannot be bound fails the calls that use it, not the worker.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _unusable[id] = e;
        }
    }

    private void Call(byte[] body)
    {
        var reader = new BodyReader(body);
        var taskId = reader.ReadInt64();
        var functionId = reader.ReadInt32();
        var started = Stopwatch.GetTimestamp();
        byte[] result;
        try
        {
            if (!_invokers.TryGetValue(functionId, out var invoker))
            {
                throw _unusable.TryGetValue(functionId, out var why)
                    ? new InvalidOperationException($"The worker cannot run this function: {why.Message}", why)
                    : new InvalidOperationException($"Unknown function {functionId}.");
            }

            result = invoker.Invoke(reader.Rest, _cancelAll.Token);
        }
#pragma warning disable CA1031 // The task's exception belongs to its future in the parent.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _header.Clear();
            _header.WriteInt64(taskId);
            _header.WriteInt64(Stopwatch.GetElapsedTime(started).Ticks);
            RemoteError.Write(_header, e);
            _writer.Write(FrameKind.Error, _header.WrittenSpan);
            return;
        }

        _header.Clear();
        _header.WriteInt64(taskId);
        _header.WriteInt64(Stopwatch.GetElapsedTime(started).Ticks);
        _writer.Write(FrameKind.Result, _header.WrittenSpan, result);
    }

    /// <summary>Finds a function the parent defined; the assembly must be the very build the parent loaded.</summary>
    private static (MethodInfo Method, object? Target, TaskShape Shape) Resolve(ref BodyReader reader, bool hasId = true)
    {
        if (hasId)
        {
            reader.ReadInt32();
        }

        var shape = (TaskShape)reader.ReadByte();
        var onSingleton = reader.ReadByte() == 1;
        var assemblyName = reader.ReadString() ?? throw new InvalidDataException("No assembly name.");
        var moduleVersion = reader.ReadGuid();
        var token = reader.ReadInt32();
        var name = reader.ReadString();

        // Assembly.Load only resolves through the application's own dependency graph (its deps.json).
        var assembly = Assembly.Load(new AssemblyName(assemblyName));
        var module = assembly.ManifestModule;
        if (module.ModuleVersionId != moduleVersion)
        {
            throw new InvalidOperationException(
                $"The worker loaded a different build of {assembly.GetName().Name} than the parent; cannot run {name}.");
        }

        var method = module.ResolveMethod(token) as MethodInfo
            ?? throw new InvalidOperationException($"{name} is not a method.");
        object? target = null;
        if (onSingleton)
        {
            target = method.DeclaringType?.GetField(TaskFunction.LambdaSingletonField, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                ?.GetValue(null) ?? throw new InvalidOperationException($"{name}: the lambda's cached instance is missing.");
        }

        return (method, target, shape);
    }
}
