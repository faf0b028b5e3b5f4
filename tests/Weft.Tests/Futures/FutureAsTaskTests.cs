using static Weft.Tests.Futures.TestFutures;

namespace Weft.Tests.Futures;

/// <summary><c>AsTask</c> and <c>await future</c>: no thread blocked, outcome carried over.</summary>
public sealed class FutureAsTaskTests
{
    [Fact]
    public async Task Await_Succeeded_ReturnsResult()
    {
        Assert.Equal(42, await Succeeded(42));
    }

    [Fact]
    public async Task Await_Failed_ThrowsTheTasksOwnException()
    {
        var error = new IOException("disk");

        var thrown = await Assert.ThrowsAsync<IOException>(async () => await Failed(error));

        Assert.Same(error, thrown);
    }

    [Fact]
    public async Task Await_Cancelled_ThrowsTaskCanceled()
    {
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Cancelled());
        Assert.True(Cancelled().AsTask().IsCanceled);
    }

    [Fact]
    public void AsTask_Pending_ReturnsAtOnceAndCompletesWhenFutureDoes()
    {
        var future = Running();

        var task = future.AsTask();

        Assert.False(task.IsCompleted);
        future.TrySetResult(9);
        Assert.Equal(9, Finish(task));
    }

    [Fact]
    public void AsTask_CancelledWhileAwaited_TaskIsCanceled()
    {
        var future = Pending();
        var task = future.AsTask();

        future.Cancel();

        Assert.IsType<TaskCanceledException>(FinishFaulted(task));
        Assert.True(task.IsCanceled);
    }

    [Fact]
    public void AsTask_CalledTwice_ReturnsTheSameTask()
    {
        var future = Pending();

        Assert.Same(future.AsTask(), future.AsTask());
        Assert.Same(((Future)future).AsTask(), future.AsTask());
    }

    [Fact]
    public async Task AsTask_ResultlessView_CompletesWithoutValue()
    {
        Future future = Running();
        var task = future.AsTask();
        Assert.False(task.IsCompleted);

        ((Future<int>)future).TrySetResult(1);

        await task.WaitAsync(Long);
        Assert.True(task.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Await_ManyPendingFutures_NoThreadBlockedWhileWaiting()
    {
        // 200 awaits on pending futures at once: if awaiting blocked a thread each, the thread pool
        // would need 200 threads before any of them could finish; here they all complete promptly.
        var futures = Enumerable.Range(0, 200).Select(_ => Running()).ToArray();
        var waiters = futures.Select(async f => await f).ToArray();
        Assert.DoesNotContain(waiters, w => w.IsCompleted);
        var threadsBefore = ThreadPool.ThreadCount;

        for (var i = 0; i < futures.Length; i++)
        {
            futures[i].TrySetResult(i);
        }

        var results = await Task.WhenAll(waiters).WaitAsync(Long);
        Assert.Equal(Enumerable.Range(0, 200), results);
        Assert.True(ThreadPool.ThreadCount < threadsBefore + 100, "awaiting futures must not block thread-pool threads");
    }

    [Fact]
    public async Task Await_OnExecutorFuture_ContinuationDoesNotRunOnTheWorker()
    {
        await using var executor = new ThreadPoolExecutor(1, threadNamePrefix: "AwaitPool");
        using var gate = new ManualResetEventSlim();
        var future = executor.Submit(() =>
        {
            gate.WaitOrFail();
            return Thread.CurrentThread.Name;
        });
        var awaiting = AwaitAndReportThread(future);
        Assert.False(awaiting.IsCompleted);

        gate.Set();
        var (workerName, continuationName) = await awaiting.WaitAsync(Long);

        Assert.Equal("AwaitPool_0", workerName);
        Assert.NotEqual("AwaitPool_0", continuationName);
    }

    private static async Task<(string? Worker, string? Continuation)> AwaitAndReportThread(Future<string?> future)
    {
        var worker = await future.AsTask().ConfigureAwait(false);
        return (worker, Thread.CurrentThread.Name);
    }
}
