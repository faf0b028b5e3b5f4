using System.Diagnostics;
using System.Reflection;

namespace Weft.Processes;

/// <summary>
/// The worker process: reads calls from its channel, runs them one at a time on its main thread, and posts each
/// result the moment it exists. Started by Weft.Worker.dll; any other entry point (an app's own Main, through
/// <c>FreezeSupport</c>) becomes a worker by calling <see cref="TryRunFromEnvironment"/> or <see cref="Run(Stream, int)"/>.
/// </summary>
/// <remarks>
/// A reader thread moves frames to the main thread and handles three things at once: <see cref="FrameKind.CancelAll"/>
/// (so a running task's token can fire), <see cref="FrameKind.Cancel"/> (a call not yet started is skipped), and
/// the end of the channel, which means the parent died: the worker then exits at once, even in the middle of a
/// task, so no orphan keeps computing. Stdout and stderr are the user's: the frames have their own channel.
/// </remarks>
internal sealed class WorkerHost
{
    private readonly WorkerOutbox _outbox;
    private readonly Dictionary<int, Invoker> _invokers = [];
    private readonly Dictionary<int, Exception> _unusable = [];
    private readonly WorkerInbox _inbox = new();
    private readonly CancellationTokenSource _cancelAll = new();
    private readonly HashSet<long> _cancelled = [];   // guarded by itself
    private readonly ManualResetEventSlim _firstCallDone = new();
    private volatile int _cancelledCount;
    private bool _reportStarts;   // flush each Started frame before running its call (InitFrame flag 2)

    /// <summary>The longest the parent watch waits for the first call before it starts anyway; the end of the channel
    /// reports a dead parent in the meantime.</summary>
    private static readonly TimeSpan WatchDelay = TimeSpan.FromMilliseconds(100);

    private WorkerHost(Stream channel) => _outbox = new WorkerOutbox(channel);

    /// <summary>The worker's main, called by reflection from Weft.Worker.dll.</summary>
    /// <returns>The process exit code (see <see cref="Run(Stream, int)"/>); 2 when not started by a pool.</returns>
    internal static int Run(string[] args)
    {
        _ = args;
        if (TryRunFromEnvironment(out var exitCode))
        {
            return exitCode;
        }

        Complain($"Weft.Worker runs tasks for a ProcessPoolExecutor, which starts it with {WorkerChannel.Variable} set.");
        return 2;
    }

    /// <summary>Runs this process as a pool worker if it was started as one (<see cref="WorkerChannel.Variable"/> is set).</summary>
    /// <returns>False at once when this process is not a worker; otherwise true after the worker's work is done.</returns>
    internal static bool TryRunFromEnvironment(out int exitCode)
    {
        exitCode = 0;
        if (!WorkerChannel.TryConnectFromEnvironment(out var channel, out var parent))
        {
            return false;
        }
        exitCode = Run(channel, parent);
        return true;
    }

    /// <summary>The worker's main loop over a connected channel.</summary>
    /// <param name="channel">The frames' channel to the pool.</param>
    /// <param name="parentProcessId">The pool's process, watched so the worker exits with it; 0 not to watch.</param>
    /// <returns>0 after an Exit frame, 1 when the initializer failed, 2 on a protocol error.</returns>
    internal static int Run(Stream channel, int parentProcessId)
    {
        var reader = new FrameReader(channel, FrameKinds.ToWorker);
        var host = new WorkerHost(channel);
        try
        {
            if (!reader.TryRead(out var kind, out var body) || kind != FrameKind.Init)
            {
                return 2;
            }

            var init = InitFrame.Read(body);
            host._reportStarts = init.ReportStarts;
            if (!host.Initialize(init))
            {
                host._outbox.Complete();
                return 1;
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            return 2;
        }
        if (parentProcessId > 0)
        {
            WatchParent(parentProcessId, host._firstCallDone);
        }

        var thread = new Thread(() => host.ReadLoop(reader)) { IsBackground = true, Name = "Weft worker reader" };
        thread.UnsafeStart();
        var code = host.RunLoop();
        host._outbox.Complete();
        return code;
    }

    /// <summary>A second guard beside the end of the channel: exit when the parent process is gone. Looked up on a
    /// thread of its own once the first call is done (or <see cref="WatchDelay"/> has passed), because loading the
    /// Process class and its thread-pool poller takes a core away from the first call on a small machine.</summary>
    private static void WatchParent(int parentId, ManualResetEventSlim firstCallDone) =>
        new Thread(() =>
        {
            firstCallDone.Wait(WatchDelay);
            try
            {
                using var parent = Process.GetProcessById(parentId);
                parent.WaitForExit();
            }
            catch (ArgumentException)
            {
                // Gone already.
            }

            Environment.Exit(0);
        })
        { IsBackground = true, Name = "Weft worker parent watch" }.UnsafeStart();

    private bool Initialize(InitFrame init)
    {
        try
        {
            if (init.HasInitializer)
            {
                var reader = new BodyReader(init.Definition.Span);
                TaskFunction.Bind(ref reader).Invoke([], CancellationToken.None);
            }
        }
#pragma warning disable CA1031 // The initializer's failure is reported to the parent, which breaks the pool.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _outbox.Post(new InitFailedFrame(e is TargetInvocationException { InnerException: { } inner } ? inner : e));
            return false;
        }

        _outbox.Post(new ReadyFrame(Environment.ProcessId));
        return true;
    }

    private void ReadLoop(FrameReader reader)
    {
        var exitCode = 0;
        try
        {
            while (reader.TryRead(out var kind, out var body))
            {
                switch (kind)
                {
                    case FrameKind.CancelAll:
                        _cancelAll.Cancel();
                        break;
                    case FrameKind.Cancel:
                        MarkCancelled(CancelFrame.Read(body).TaskId);
                        break;
                    default:
                        _inbox.Add(kind, body);
                        break;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentOutOfRangeException)
        {
            Complain($"Weft worker {Environment.ProcessId}: {e.Message}");
            exitCode = 2;
        }

        // The parent is gone (or closed the channel): nobody can use what we compute.
        Environment.Exit(exitCode);
    }

    /// <summary>Writes to stderr. A method of its own so that compiling the worker's start-up path does not load
    /// System.Console.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void Complain(string message) => Console.Error.WriteLine(message);

    private void MarkCancelled(long taskId)
    {
        lock (_cancelled)
        {
            _cancelled.Add(taskId);
            _cancelledCount = _cancelled.Count;
        }
    }

    private bool TakeCancelled(long taskId)
    {
        if (_cancelledCount == 0)
        {
            return false;
        }

        lock (_cancelled)
        {
            var removed = _cancelled.Remove(taskId);
            _cancelledCount = _cancelled.Count;
            return removed;
        }
    }

    private int RunLoop()
    {
        while (true)
        {
            if (!_inbox.TryTake(out var frame))
            {
                _outbox.Flush();   // nothing more to run: send every result now, on this thread
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
                    return 0;
                default:
                    return 2;
            }
        }
    }

    private void Define(byte[] body)
    {
        var define = DefineFrame.Read(body);
        var id = define.FunctionId;
        try
        {
            var reader = new BodyReader(define.Definition.Span);
            _invokers[id] = TaskFunction.Bind(ref reader, hasId: false);
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
        try
        {
            RunCall(body);
        }
        finally
        {
            if (!_firstCallDone.IsSet)
            {
                _firstCallDone.Set();
            }
        }
    }

    /// <summary>Runs a call under the submitter's trace context, so that inside it <c>Activity.Current.TraceId</c> is the
    /// submitter's. A method of its own: an untraced call never loads the activity types.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private byte[] InvokeTraced(Invoker invoker, CallFrame call)
    {
        var parent = Weft.Diagnostics.TaskTraceContext.ReadFrom(call.Trace.Span, out _);
        using var scope = Weft.Diagnostics.TaskActivity.RunUnder(parent, "ProcessPoolExecutor", invoker.Name ?? $"function {call.FunctionId}");
        try
        {
            return invoker.Invoke(call.Arguments.Span, _cancelAll.Token);
        }
        catch (Exception e)
        {
            scope.Fail(e);
            throw;
        }
    }

    private void RunCall(byte[] body)
    {
        var call = CallFrame.Read(body);
        var taskId = call.TaskId;
        var functionId = call.FunctionId;
        if (TakeCancelled(taskId))
        {
            _outbox.Post(new SkippedFrame(taskId));
            return;
        }

        _outbox.PostStarted(taskId);
        if (_reportStarts)
        {
            _outbox.Flush();   // the pool learns which call runs (and every earlier result) before it can kill us
        }
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

            result = call.Trace.IsEmpty ? invoker.Invoke(call.Arguments.Span, _cancelAll.Token) : InvokeTraced(invoker, call);
            if (result.Length > FrameReader.MaxValueLength)
            {
                throw new InvalidOperationException(
                    $"The result is {result.Length} bytes, over the {FrameReader.MaxValueLength}-byte limit for a value " +
                    $"(the frame cap {FrameReader.DefaultMaxLength} set by {FrameReader.MaxFrameLengthSetting}, less {FrameReader.HeaderAllowance} for the frame's own fields).");
            }
        }
#pragma warning disable CA1031 // The task's exception belongs to its future in the parent.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _outbox.Post(new ErrorFrame(taskId, Stopwatch.GetElapsedTime(started).Ticks, e));
            return;
        }

        _outbox.Post(new ResultFrame(taskId, Stopwatch.GetElapsedTime(started).Ticks, default), result);
    }
}
