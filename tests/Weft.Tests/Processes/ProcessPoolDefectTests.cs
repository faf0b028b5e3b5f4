using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Weft.Tests.Processes;

/// <summary>One regression test per defect of issue 18 that is the process pool's (1-6), and issue 19's lone
/// surrogates in exception messages. Each failed on the pool before its rebuild.</summary>
public sealed class ProcessPoolDefectTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>How long a done-callback keeps the pool's reader busy after the worker exited: longer than any
    /// grace period a timer could give it.</summary>
    private static readonly TimeSpan BusyReader = TimeSpan.FromSeconds(1.2);

    private readonly TaskGate _gate = new();

    public void Dispose() => _gate.Dispose();

    /// <summary>Defect 1: a worker retiring under maxTasksPerChild while the reader is busy in a callback is not a
    /// crash; the result still in the channel arrives, and the pool stays usable.</summary>
    [Fact]
    public void MaxTasksPerChild_ReaderBusyInCallbackWhenWorkerExits_LaterResultArrivesPoolNotBroken()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1, maxTasksPerChild: 2);
        var first = pool.Submit(WorkerFunctions.BlockUntilReleased, _gate.Path);
        var second = pool.Submit(WorkerFunctions.Square, 3);   // sent with the first, then Exit: the worker retires
        first.AddDoneCallback(BusyUntilWorkerExited);

        _gate.Release();

        Assert.Equal(9, second.Result(Timeout));
        Assert.Equal(16, pool.Submit(WorkerFunctions.Square, 4).Result(Timeout));
    }

    /// <summary>Defect 2: Shutdown(wait: true) returns only when every accepted future is done, with its result,
    /// even while the reader is still busy after the worker exited.</summary>
    [Fact]
    public async Task Shutdown_Wait_ReaderBusyAfterWorkerExit_EveryFutureDoneWithItsResult()
    {
        var pool = new ProcessPoolExecutor(maxWorkers: 1);
        var first = pool.Submit(WorkerFunctions.BlockUntilReleased, _gate.Path);
        var second = pool.Submit(WorkerFunctions.Square, 5);
        first.AddDoneCallback(BusyUntilWorkerExited);
        var shutdown = Task.Run(() => pool.Shutdown(wait: true));   // the worker gets Exit once the queue is empty

        _gate.Release();

        await shutdown.WaitAsync(Timeout);   // a TimeoutException if Shutdown(wait: true) never returns
        Assert.True(second.IsDone, "Shutdown(wait: true) returned while a future was not done");
        Assert.Equal(25, second.Result(TimeSpan.Zero));
    }

    /// <summary>Defect 3: a done-callback that disposes the pool, run where the pool learns of a dead worker, may be
    /// refused but never hangs, and the pool can still be disposed afterwards.</summary>
    [Fact]
    public async Task DoneCallback_DisposesPoolWhenWorkerDiesWithChannelHeldElsewhere_NoHangPoolStillDisposable()
    {
        var pool = new ProcessPoolExecutor(maxWorkers: 1);
        var future = pool.Submit(WorkerFunctions.StartGrandchildHoldingChannelThenBlock, _gate.Path);
        Assert.True(_gate.WaitStarted(1), "the task never started");
        var callback = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        future.AddDoneCallback(_ =>
        {
            try
            {
                pool.Dispose();
                callback.TrySetResult(null);
            }
            catch (InvalidOperationException e)
            {
                callback.TrySetResult(e);
            }
        });

        ProcessProbe.KillQuietly(pool.WorkerProcessIds.Single());

        await callback.Task.WaitAsync(Timeout);       // a TimeoutException if the callback's Dispose hangs
        await Task.Run(pool.Dispose).WaitAsync(Timeout);   // ... or if Dispose hangs after a callback tried it
        Assert.IsType<BrokenProcessPoolException>(future.GetException(TimeSpan.Zero));
    }

    /// <summary>Defect 4: a worker that dies as it starts fails the pool's futures; no exception escapes a pool
    /// thread (one that did would end this test process). Rounds, because workers dying together race: when two
    /// ends broke the pool at once, the loser's calls used to stay pending for ever (about one round in 15).</summary>
    [Fact]
    public void Submit_WorkersDieAsTheyStart_EveryFutureBrokenNamingExitCodeProcessSurvives()
    {
        for (var round = 0; round < 40; round++)
        {
            using var pool = new ProcessPoolExecutor(maxWorkers: 2);
            pool.Dispatcher.StartInfo = static () => new ProcessStartInfo("/bin/sh", ["-c", "exit 3"]) { RedirectStandardInput = true, UseShellExecute = false };

            var futures = new List<Future<int>>();
            var refused = 0;
            for (var i = 0; i < 6; i++)
            {
                try
                {
                    futures.Add(pool.Submit(WorkerFunctions.Square, i));
                }
                catch (BrokenProcessPoolException)
                {
                    refused++;   // the pool broke already
                }
            }

            var errors = futures.Select(f => f.GetException(Timeout)).ToList();
            Assert.NotEmpty(errors);
            Assert.All(errors, e => Assert.Equal(3, Assert.IsType<BrokenProcessPoolException>(e).ExitCode));
            Assert.Equal(6, futures.Count + refused);
        }
    }

    /// <summary>Defect 5: an Error frame whose record cannot be parsed breaks the pool and fails the future it names,
    /// instead of leaving it unfinished for ever.</summary>
    [Fact]
    public void Submit_WorkerSendsMalformedErrorFrameForItsCall_FutureFailsWithBrokenPool()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);

        var error = pool.Submit(WorkerFunctions.WriteMalformedErrorFrame, 1L).GetException(Timeout);   // a fresh pool's first call is 1

        Assert.IsType<BrokenProcessPoolException>(error);
    }

    /// <summary>Defect 6: a pool dropped without Shutdown is collected, and its workers exit.</summary>
    [Fact]
    public void DroppedPool_IsCollectedAndItsWorkersExit()
    {
        var (pool, pids) = UseAndDrop();

        for (var i = 0; i < 5 && IsAlive(pool); i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.False(IsAlive(pool), "the dropped pool is still reachable");
        foreach (var pid in pids)
        {
            Assert.True(WaitForExit(pid), $"worker {pid} still runs after its pool was collected");
        }
    }

    /// <summary>Issue 19: an exception message with lone surrogates comes back exactly, not with U+FFFD.</summary>
    [Fact]
    public void Submit_ExceptionMessageWithLoneSurrogates_MessageArrivesUnchanged()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);

        var error = pool.Submit(WorkerFunctions.ThrowLoneSurrogates, 7).GetException(Timeout);

        Assert.Equal("cut \uD83D here, and \uDE00 there 7", Assert.IsType<InvalidOperationException>(error).Message);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference<ProcessPoolExecutor> Pool, List<int> Pids) UseAndDrop()
    {
        var pool = new ProcessPoolExecutor(maxWorkers: 2);
        Assert.Equal([1, 4, 9, 16], pool.Map(WorkerFunctions.Square, [1, 2, 3, 4], Timeout).ToList());
        return (new WeakReference<ProcessPoolExecutor>(pool), [.. pool.WorkerProcessIds]);
    }

    /// <summary>Not inlined: a Debug build keeps the target that <c>TryGetTarget</c> returned alive in the caller's frame.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool IsAlive(WeakReference<ProcessPoolExecutor> pool) => pool.TryGetTarget(out var target) && target is not null;

    private static bool WaitForExit(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.WaitForExit(Timeout);
        }
        catch (ArgumentException)
        {
            return true;   // gone already
        }
    }

    /// <summary>A done-callback that holds the pool's reader until the worker process has exited, and then a while longer.</summary>
    private static void BusyUntilWorkerExited(Future future)
    {
        var pid = ((Future<int>)future).Result(TimeSpan.Zero);
        WaitForExit(pid);
        using var busy = new ManualResetEventSlim();
        busy.Wait(BusyReader);   // nothing sets it: the reader is busy for this long, as a slow callback would keep it
    }
}
