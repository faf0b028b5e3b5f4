using System.Collections.Concurrent;
using Weft.Threading;

namespace Weft.Tests.Threading;

/// <summary>The process-wide hooks are global, so these tests run alone, never beside other executor tests.</summary>
[CollectionDefinition(nameof(ThreadsCollection), DisableParallelization = true)]
public sealed class ThreadsCollection;

[Collection(nameof(ThreadsCollection))]
public sealed class ThreadsTests
{
    private static readonly TimeSpan Long = TestThread<bool>.Timeout;

    [Fact]
    public void Start_NamedThread_ListedWhileAliveThenGone()
    {
        using var release = new ManualResetEventSlim();
        var thread = Threads.Start(() => release.Wait(Long), name: "weft-test-worker", daemon: true);

        var info = Assert.Single(Threads.Enumerate(), t => t.Name == "weft-test-worker");
        Assert.Equal(thread.ManagedThreadId, info.ManagedThreadId);
        Assert.True(info.IsDaemon);
        Assert.True(info.IsAlive);
        Assert.True(thread.IsBackground);
        Assert.True(Threads.ActiveCount >= 2);

        release.Set();
        Assert.True(thread.Join(Long));
        Assert.DoesNotContain(Threads.Enumerate(), t => t.ManagedThreadId == thread.ManagedThreadId);
    }

    [Fact]
    public void Start_NonDaemon_IsForegroundThread()
    {
        using var release = new ManualResetEventSlim();
        var thread = Threads.Start(() => release.Wait(Long), name: "weft-foreground");
        Assert.False(thread.IsBackground);
        Assert.False(Assert.Single(Threads.Enumerate(), t => t.ManagedThreadId == thread.ManagedThreadId).IsDaemon);
        release.Set();
        Assert.True(thread.Join(Long));
    }

    [Fact]
    public void Start_NoName_GetsPythonStyleName()
    {
        using var release = new ManualResetEventSlim();
        var thread = Threads.Start(() => release.Wait(Long));
        Assert.Matches(@"^Thread-\d+ \(Start_NoName_GetsPythonStyleName\)$", thread.Name);
        release.Set();
        Assert.True(thread.Join(Long));
    }

    [Fact]
    public void Enumerate_AlwaysListsMainThreadFirst()
    {
        var main = Threads.Enumerate()[0];
        Assert.Equal("MainThread", main.Name);
        Assert.True(main.IsMain);
        Assert.False(main.IsDaemon);
    }

    [Fact]
    public void Enumerate_IncludesLiveThreadPoolExecutorWorkers()
    {
        using var release = new ManualResetEventSlim();
        using var started = new CountdownEvent(2);
        var executor = new ThreadPoolExecutor(2, threadNamePrefix: "EnumPool");
        try
        {
            executor.Submit(() => { started.Signal(); release.Wait(Long); });
            executor.Submit(() => { started.Signal(); release.Wait(Long); });
            Assert.True(started.Wait(Long));

            var workers = Threads.Enumerate().Where(t => t.Name.StartsWith("EnumPool_", StringComparison.Ordinal)).ToList();
            Assert.Equal(2, workers.Count);
            Assert.All(workers, w => Assert.True(w.IsDaemon));
        }
        finally
        {
            release.Set();
            executor.Shutdown(wait: true);
        }

        Assert.DoesNotContain(Threads.Enumerate(), t => t.Name.StartsWith("EnumPool_", StringComparison.Ordinal));
    }

    [Fact]
    public void SetTrace_ThreadAndExecutorTask_DeliversEventsInOrder()
    {
        var events = new ConcurrentQueue<TraceEvent>();
        Threads.SetTrace(e =>
        {
            if (e.ThreadName?.StartsWith("Traced", StringComparison.Ordinal) == true)
            {
                events.Enqueue(e);
            }
        });
        try
        {
            var thread = Threads.Start(() => { }, name: "TracedThread");
            Assert.True(thread.Join(Long));

            Future<int> ok, failed;
            using (var executor = new ThreadPoolExecutor(1, threadNamePrefix: "TracedPool"))
            {
                ok = executor.Submit(() => 42);
                failed = executor.Submit<int>(() => throw new InvalidOperationException("boom"));
                Assert.Equal(42, ok.Result(Long));
                Assert.Throws<InvalidOperationException>(() => failed.Result(Long));
            }

            var threadEvents = events.Where(e => e.ThreadName == "TracedThread").Select(e => e.Kind);
            Assert.Equal(new[] { TraceEventKind.ThreadStarted, TraceEventKind.ThreadFinished }, threadEvents);

            var poolEvents = events.Where(e => e.ThreadName == "TracedPool_0").ToList();
            Assert.Equal(
                new[] { TraceEventKind.ThreadStarted, TraceEventKind.TaskStarted, TraceEventKind.TaskFinished, TraceEventKind.TaskStarted, TraceEventKind.TaskFailed, TraceEventKind.ThreadFinished },
                poolEvents.Select(e => e.Kind));
            Assert.Same(ok, poolEvents[1].Task);
            Assert.Same(failed, poolEvents[4].Task);
            Assert.IsType<InvalidOperationException>(poolEvents[4].Exception);
        }
        finally
        {
            Threads.SetTrace(null);
        }
    }

    [Fact]
    public void SetTrace_HookThrows_WorkerKeepsRunning()
    {
        Threads.SetTrace(_ => throw new InvalidOperationException("bad hook"));
        var originalError = Console.Error;
        Console.SetError(TextWriter.Null);
        try
        {
            using var executor = new ThreadPoolExecutor(1);
            Assert.Equal(3, executor.Submit(() => 3).Result(Long));
            Assert.Equal(4, executor.Submit(() => 4).Result(Long));
        }
        finally
        {
            Threads.SetTrace(null);
            Console.SetError(originalError);
        }
    }

    [Fact]
    public void ExceptHook_TargetThrows_ReceivesExceptionAndProcessSurvives()
    {
        ThreadExceptionInfo? received = null;
        var previous = Threads.ExceptHook;
        Threads.ExceptHook = info => received = info;
        try
        {
            var thread = Threads.Start(() => throw new InvalidOperationException("boom"), name: "failing-thread");
            Assert.True(thread.Join(Long));
            var info = Assert.IsType<ThreadExceptionInfo>(received); // the hook ran on the thread before it ended
            Assert.Equal("failing-thread", info.ThreadName);
            Assert.Same(thread, info.Thread);
            Assert.Equal("boom", info.Exception.Message);
        }
        finally
        {
            Threads.ExceptHook = previous;
        }
    }

    [Fact]
    public void ExceptHook_Default_PrintsThreadNameAndExceptionToStderr()
    {
        Threads.ExceptHook = null; // restores the default
        var originalError = Console.Error;
        using var captured = new StringWriter();
        Console.SetError(captured);
        try
        {
            var thread = Threads.Start(() => throw new InvalidOperationException("printed boom"), name: "printing-thread");
            Assert.True(thread.Join(Long));
        }
        finally
        {
            Console.SetError(originalError);
        }

        var text = captured.ToString();
        Assert.Contains("Exception in thread printing-thread:", text, StringComparison.Ordinal);
        Assert.Contains("printed boom", text, StringComparison.Ordinal);
    }

    [Fact]
    public void SetTrace_InitializerAndCallbackFail_DeliversFailureEvents()
    {
        var events = new ConcurrentQueue<TraceEvent>();
        Threads.SetTrace(e =>
        {
            if (e.Kind is TraceEventKind.InitializerFailed or TraceEventKind.CallbackFailed)
            {
                events.Enqueue(e);
            }
        });
        var originalError = Console.Error;
        Console.SetError(TextWriter.Null);
        try
        {
            using (var broken = new ThreadPoolExecutor(1, threadNamePrefix: "TracedInit", initializer: () => throw new InvalidOperationException("init")))
            {
                var future = broken.Submit(() => 1);
                Assert.Throws<BrokenThreadPoolException>(() => future.Result(Long));
            }

            using (var executor = new ThreadPoolExecutor(1))
            {
                var done = executor.Submit(() => 2);
                done.Wait(Long);
                done.AddDoneCallback(_ => throw new FormatException("callback"));
            }
        }
        finally
        {
            Threads.SetTrace(null);
            Console.SetError(originalError);
        }

        var init = Assert.Single(events, e => e.Kind == TraceEventKind.InitializerFailed && e.ThreadName == "TracedInit_0");
        Assert.Equal("init", init.Exception?.Message);
        var callback = Assert.Single(events, e => e.Kind == TraceEventKind.CallbackFailed && e.Exception is FormatException);
        Assert.NotNull(callback.Task);
    }
}
