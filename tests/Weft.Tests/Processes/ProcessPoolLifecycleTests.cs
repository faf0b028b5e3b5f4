using System.Diagnostics;
using Weft.Processes;

namespace Weft.Tests.Processes;

/// <summary>Tests that break, retire or shut down their own pool.</summary>
public sealed class ProcessPoolLifecycleTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly TaskGate _gate = new();

    public void Dispose() => _gate.Dispose();

    [Fact]
    public void Map_WorkerKilledByPid_PoolBrokenWithinASecondNoHang()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 2);
        var futures = Enumerable.Range(0, 6).Select(_ => pool.Submit(WorkerFunctions.BlockUntilReleased, _gate.Path)).ToList();
        Assert.True(_gate.WaitStarted(2), "two tasks never started");
        var victim = pool.WorkerProcessIds[0];

        var watch = Stopwatch.StartNew();
        Process.GetProcessById(victim).Kill();
        Assert.True(futures.All(f => WaitDone(f)), "a future hung after the worker died");
        watch.Stop();

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        foreach (var future in futures)
        {
            var broken = Assert.IsType<BrokenProcessPoolException>(future.GetException());
            Assert.Contains($"pid {victim}", broken.Message, StringComparison.Ordinal);
        }

        Assert.Equal(137, Assert.IsType<BrokenProcessPoolException>(futures[0].GetException()).ExitCode);
        Assert.Throws<BrokenProcessPoolException>(() => pool.Submit(WorkerFunctions.Square, 1));
    }

    [Fact]
    public void Map_WorkerExitsDuringMap_MapThrowsBrokenWithExitCode()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 2);

        var error = Assert.Throws<BrokenProcessPoolException>(
            () => pool.Map(static (int x) => x == 3 ? WorkerFunctions.ExitWith(3) : x, Enumerable.Range(0, 10), Timeout).ToList());

        Assert.Equal(3, error.ExitCode);
        Assert.Contains("exit code 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_WorkerDiesWhileLargeArgumentsInPipe_BrokenNoDeadlock()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        var big = new byte[4 * 1024 * 1024];

        var error = Assert.Throws<BrokenProcessPoolException>(
            () => pool.Map(static (byte[] data) => WorkerFunctions.ExitWith(data.Length % 7 + 1), Enumerable.Repeat(big, 6), Timeout).ToList());

        Assert.Equal(big.Length % 7 + 1, error.ExitCode);
    }

    [Fact]
    public void Submit_WorkerFailFast_PoolBroken()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);

        var error = pool.Submit(WorkerFunctions.FailFast, 1).GetException(Timeout);

        Assert.IsType<BrokenProcessPoolException>(error);
    }

    [Fact]
    public void Initializer_Throws_PoolBrokenWithInitializerError()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 2, initializer: WorkerFunctions.FailingInitializer);

        var error = pool.Submit(WorkerFunctions.Square, 2).GetException(Timeout);

        var broken = Assert.IsType<BrokenProcessPoolException>(error);
        var cause = Assert.IsType<InvalidOperationException>(broken.InnerException);
        Assert.Equal("initializer says no", cause.Message);
        Assert.Throws<BrokenProcessPoolException>(() => pool.Submit(WorkerFunctions.Square, 2));
    }

    [Fact]
    public void Initializer_RunsOnceInEachWorker()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1, initializer: WorkerFunctions.Initialize);

        var counts = Enumerable.Range(0, 3).Select(_ => pool.Submit(WorkerFunctions.InitializedCount).Result(Timeout)).ToList();

        Assert.Equal([1, 1, 1], counts);
    }

    [Fact]
    public void MaxTasksPerChild_WorkersReplacedWithNewPids()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1, maxTasksPerChild: 2);

        var pids = Enumerable.Range(0, 6).Select(_ => pool.Submit(WorkerFunctions.Pid).Result(Timeout)).ToList();

        Assert.Equal(3, pids.Distinct().Count());
        Assert.Equal(pids[0], pids[1]);
        Assert.NotEqual(pids[1], pids[2]);
    }

    [Fact]
    public void Dispose_NoWorkerProcessLeft()
    {
        int[] pids;
        using (var pool = new ProcessPoolExecutor(maxWorkers: 2))
        {
            var futures = Enumerable.Range(0, 2).Select(_ => pool.Submit(WorkerFunctions.BlockUntilReleased, _gate.Path)).ToList();
            Assert.True(_gate.WaitStarted(2), "two tasks never started");
            pids = [.. pool.WorkerProcessIds];
            _gate.Release();
        }

        Assert.Equal(2, pids.Length);
        Assert.All(pids, pid => Assert.False(ProcessProbe.IsAlive(pid), $"worker {pid} outlived the pool"));
    }

    [Fact]
    public void Cancel_PendingItem_NeverSent()
    {
        var marker = Path.Combine(_gate.Path, "cancelled-ran");
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        var blockers = Enumerable.Range(0, 2).Select(_ => pool.Submit(WorkerFunctions.BlockUntilReleased, _gate.Path)).ToList();
        var pending = pool.Submit(WorkerFunctions.Touch, marker);
        Assert.True(_gate.WaitStarted(1), "the first task never started");

        Assert.True(pending.Cancel());
        _gate.Release();
        pool.Shutdown(wait: true);

        Assert.True(pending.IsCancelled);
        Assert.All(blockers, b => Assert.True(b.Result(Timeout) > 0));
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void Cancel_CallsSentAheadBehindABlockedTask_AtMostTwoRunningAllCancelledNoneRuns()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        _ = pool.Map(WorkerFunctions.Square, Enumerable.Range(0, 3000), Timeout).Count();   // tiny tasks: the worker's window widens
        var blocker = pool.Submit(WorkerFunctions.BlockUntilReleased, _gate.Path);
        var queued = Enumerable.Range(0, 300).Select(i => pool.Submit(WorkerFunctions.Touch, Path.Combine(_gate.Path, $"ran-{i}"))).ToList();
        Assert.True(_gate.WaitStarted(1), "the blocking task never started");
        Assert.True(SpinWait.SpinUntil(() => blocker.IsRunning, Timeout), "the blocking task was never marked Running");

        var running = queued.Count(f => f.IsRunning) + 1;
        var cancelled = queued.Count(f => f.Cancel());
        _gate.Release();
        Assert.True(blocker.Result(Timeout) > 0);
        pool.Shutdown(wait: true);

        Assert.True(running <= pool.MaxWorkers + 1, $"{running} futures were Running at once");
        Assert.Equal(300, cancelled);
        Assert.Empty(Directory.GetFiles(_gate.Path, "ran-*"));
        Assert.All(queued, f => Assert.True(f.IsCancelled));
    }

    [Fact]
    public void Shutdown_CancelFutures_CancelsPendingAndFiresRunningTokens()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        var running = pool.Submit(WorkerFunctions.SpinUntilCancelled);
        Assert.True(SpinWait.SpinUntil(() => running.IsRunning, Timeout), "the task was never sent");
        var queued = Enumerable.Range(0, 5).Select(i => pool.Submit(WorkerFunctions.Square, i)).ToList();

        pool.Shutdown(wait: true, cancelFutures: true);

        Assert.Equal(1, running.Result(Timeout));
        Assert.All(queued, q => Assert.True(q.IsDone));
        Assert.True(queued.Count(q => q.IsCancelled) >= 4, "queued tasks were not cancelled");
    }

    [Fact]
    public void Shutdown_Wait_LetsQueuedWorkFinish()
    {
        var pool = new ProcessPoolExecutor(maxWorkers: 2);
        var futures = Enumerable.Range(0, 20).Select(i => pool.Submit(WorkerFunctions.Square, i)).ToList();
        var pids = pool.WorkerProcessIds;

        pool.Shutdown(wait: true);

        Assert.Equal(Enumerable.Range(0, 20).Select(i => i * i), futures.Select(f => f.Result(TimeSpan.Zero)));
        Assert.Throws<InvalidOperationException>(() => pool.Submit(WorkerFunctions.Square, 1));
        Assert.Empty(pool.WorkerProcessIds);
        Assert.All(pids, pid => Assert.False(ProcessProbe.IsAlive(pid)));
    }

    [Fact]
    public void Worker_ChannelFromParentClosedDuringTask_ExitsAtOnce()
    {
        // What the OS does when the parent dies: the worker's channel reaches its end while a task runs.
        var (process, channel) = WorkerChannel.Start(WorkerLaunch.CreateStartInfo());
        using var worker = process;
        var writer = new FrameWriter(channel);
        var function = TaskFunction.From(new Func<string, int>(WorkerFunctions.BlockUntilReleased), TaskShape.Func1, "fn");
        writer.Write(new InitFrame(null, default));
        writer.Write(new DefineFrame(function, function.Id, default));
        writer.Write(new CallFrame(1, function.Id, default, default), Wire.Serialize(_gate.Path));
        writer.Flush();
        Assert.True(_gate.WaitStarted(1), "the task never started");

        channel.Dispose();

        Assert.True(worker.WaitForExit(TimeSpan.FromSeconds(10)), "the worker outlived its parent's channel");
    }

    [Fact]
    public async Task Shutdown_NoWait_ReturnsAtOnceAndQueuedWorkCompletes()
    {
        var pool = new ProcessPoolExecutor(maxWorkers: 2);
        var blocker = pool.Submit(WorkerFunctions.BlockUntilReleased, _gate.Path);
        var queued = Enumerable.Range(0, 10).Select(i => pool.Submit(WorkerFunctions.Square, i)).ToList();

        pool.Shutdown(wait: false);
        Assert.False(blocker.IsDone);
        _gate.Release();
        await pool.DisposeAsync().AsTask().WaitAsync(Timeout);

        Assert.True(blocker.Result(TimeSpan.Zero) > 0);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i * i), queued.Select(f => f.Result(TimeSpan.Zero)));
        Assert.Empty(pool.WorkerProcessIds);
    }

    private static bool WaitDone(Future future)
    {
        try
        {
            future.Wait(Timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
