using System.Diagnostics;

namespace Weft.Tests.Processes;

/// <summary>Issue 22: ending a task, timing it out, surviving a crash, saying how a worker died.</summary>
public sealed class ProcessPoolSupervisionTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly TaskGate _gate = new();

    public void Dispose() => _gate.Dispose();

    [Fact]
    public void Terminate_RunningTask_FailsWithTaskTerminatedCallSentAheadStillRuns()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        var blocked = pool.Submit(WorkerFunctions.BlockUntilReleased, _gate.Path);
        var ahead = pool.Submit(WorkerFunctions.Square, 3);   // sent ahead to the same worker
        Assert.True(_gate.WaitStarted(1), "the task never started");
        Assert.True(SpinWait.SpinUntil(() => blocked.State == FutureState.Running, Timeout), "the task never reported Running");
        var worker = pool.WorkerProcessIds.Single();

        Assert.True(pool.Terminate(blocked));

        Assert.IsType<TaskTerminatedException>(blocked.GetException(Timeout));
        Assert.Equal(9, ahead.Result(Timeout));
        Assert.DoesNotContain(worker, pool.WorkerProcessIds);
        Assert.True(WaitGone(worker), "the ended worker still runs");
        Assert.Equal(16, pool.Submit(WorkerFunctions.Square, 4).Result(Timeout));
    }

    [Fact]
    public void Terminate_FutureNotRunningHere_False()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        using var other = new ThreadPoolExecutor(1);
        var done = pool.Submit(WorkerFunctions.Square, 2);
        done.Wait(Timeout);

        Assert.False(pool.Terminate(done));
        Assert.False(pool.Terminate(other.Submit(static () => 1)));
        Assert.Throws<ArgumentNullException>(() => pool.Terminate(null!));
    }

    [Fact]
    public void TaskTimeout_TaskRunsPastIt_TimeoutExceptionOthersGoOn()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1, options: new ProcessPoolOptions { TaskTimeout = TimeSpan.FromMilliseconds(300) });
        var blocked = pool.Submit(WorkerFunctions.BlockUntilReleased, _gate.Path);
        var next = pool.Submit(WorkerFunctions.Square, 5);

        Assert.IsType<TimeoutException>(blocked.GetException(Timeout));
        Assert.Equal(25, next.Result(Timeout));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Options_TimeoutOrMemoryNotAboveZero_Refused(int value)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessPoolExecutor(options: new ProcessPoolOptions { TaskTimeout = TimeSpan.FromSeconds(value) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessPoolExecutor(options: new ProcessPoolOptions { MaxWorkerMemoryBytes = value }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessPoolExecutor(options: new ProcessPoolOptions { OnWorkerCrash = (WorkerCrashPolicy)7 }));
    }

    [Fact]
    public void FailTask_WorkerFailsFast_OnlyThatTaskFailsSayingHowPoolGoesOn()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1, options: new ProcessPoolOptions { OnWorkerCrash = WorkerCrashPolicy.FailTask });

        var crash = Assert.IsType<WorkerCrashedException>(pool.Submit(WorkerFunctions.FailFast, 7).GetException(Timeout));
        var exit = Assert.IsType<WorkerCrashedException>(pool.Submit(WorkerFunctions.ExitWith, 3).GetException(Timeout));

        Assert.Equal(6, crash.Signal);
        Assert.Equal(134, crash.ExitCode);
        Assert.Contains("deliberate crash 7", crash.StandardErrorTail, StringComparison.Ordinal);
        Assert.Equal(3, exit.ExitCode);
        Assert.Null(exit.Signal);
        Assert.Equal(25, pool.Submit(WorkerFunctions.Square, 5).Result(Timeout));
    }

    [Fact]
    public void BreakPool_WorkerKilled_BrokenWithWorkerCrashedInside()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);

        var broken = Assert.IsType<BrokenProcessPoolException>(pool.Submit(WorkerFunctions.KillSelf, 1).GetException(Timeout));

        var crash = Assert.IsType<WorkerCrashedException>(broken.InnerException);
        Assert.Equal(9, crash.Signal);
        Assert.Equal(137, crash.ExitCode);
    }

    /// <summary>The figure of issue 22 on a CI-sized map (the bench runs 2,000 items): 1% of tasks end their worker
    /// in four ways; every other result comes back right, nothing hangs, no worker outlives the pool.</summary>
    [Fact]
    public async Task FailTask_MapWhereOnePercentKillTheirWorker_EveryOtherResultRightNoOrphan()
    {
        var pool = new ProcessPoolExecutor(maxWorkers: 2, options: new ProcessPoolOptions { OnWorkerCrash = WorkerCrashPolicy.FailTask });
        var futures = Enumerable.Range(0, 400).Select(i => pool.Submit(WorkerFunctions.CrashOnePercent, i)).ToList();

        var pids = new HashSet<int>();
        for (var i = 0; i < futures.Count; i++)
        {
            if (i % 100 == 37)
            {
                Assert.IsType<WorkerCrashedException>(futures[i].GetException(Timeout));
            }
            else
            {
                var answer = futures[i].Result(Timeout);
                Assert.Equal(i * 2, answer.Value);
                pids.Add(answer.Pid);
            }
        }

        await Task.Run(pool.Dispose).WaitAsync(Timeout);   // a TimeoutException if Dispose hangs
        Assert.All(pids, pid => Assert.True(WaitGone(pid), $"worker {pid} outlived its pool"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TerminateOrKillWorkers_RunningAndPendingFailBrokenPoolShutDownWorkersGone(bool kill)
    {
        var pool = new ProcessPoolExecutor(maxWorkers: 1);
        var running = pool.Submit(WorkerFunctions.BlockUntilReleased, _gate.Path);
        var pending = Enumerable.Range(0, 3).Select(i => pool.Submit(WorkerFunctions.Square, i)).ToList();
        Assert.True(_gate.WaitStarted(1), "the task never started");
        var worker = pool.WorkerProcessIds.Single();

        if (kill)
        {
            pool.KillWorkers();
        }
        else
        {
            pool.TerminateWorkers();
        }

        Assert.IsType<BrokenProcessPoolException>(running.GetException(Timeout));
        Assert.All(pending, f => Assert.True(f.GetException(Timeout) is BrokenProcessPoolException || f.IsCancelled));
        Assert.ThrowsAny<Exception>(() => pool.Submit(WorkerFunctions.Square, 1));
        Assert.True(WaitGone(worker), "the worker still runs");
        await Task.Run(pool.Dispose).WaitAsync(Timeout);   // a TimeoutException if Dispose hangs
    }

    [Fact]
    public void MaxWorkerMemoryBytes_Passed_WorkerReplacedAfterEachTask()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1, options: new ProcessPoolOptions { MaxWorkerMemoryBytes = 1 });

        var pids = Enumerable.Range(0, 3).Select(_ => pool.Submit(WorkerFunctions.Pid).Result(Timeout)).ToList();

        Assert.Equal(3, pids.Distinct().Count());
    }

    private static bool WaitGone(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.WaitForExit(Timeout);
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}
