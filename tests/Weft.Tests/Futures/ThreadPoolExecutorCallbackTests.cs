namespace Weft.Tests.Futures;

/// <summary>Done-callbacks run on the worker that completed the future; the pool must stay usable from them.</summary>
public sealed class ThreadPoolExecutorCallbackTests
{
    [Fact]
    public void DoneCallback_SubmitsAndWaitsOnTheSamePool_GetsAnotherWorker()
    {
        using var executor = new ThreadPoolExecutor(maxWorkers: 2);
        using var release = new ManualResetEventSlim();
        using var callbackDone = new ManualResetEventSlim();
        string? fromCallback = null;
        Exception? callbackError = null;

        var first = executor.Submit(() => release.Wait(TimeSpan.FromSeconds(10)));
        first.AddDoneCallback(_ =>
        {
            try
            {
                // The worker running this callback is busy, so the nested task needs the second worker.
                fromCallback = executor.Submit(static () => "nested").Result(TimeSpan.FromSeconds(10));
            }
            catch (Exception e)
            {
                callbackError = e;
            }
            finally
            {
                callbackDone.Set();
            }
        });
        release.Set();

        Assert.True(callbackDone.Wait(TimeSpan.FromSeconds(20)), "the callback never finished");
        Assert.Null(callbackError);
        Assert.Equal("nested", fromCallback);
    }

    [Fact]
    public void Submit_SequentialSubmitThenResult_ReusesTheOneWorker()
    {
        using var executor = new ThreadPoolExecutor(maxWorkers: 4);

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(i, executor.Submit(static (int x) => x, i).Result(TimeSpan.FromSeconds(10)));
        }

        Assert.Equal(1, executor.ThreadCount);
    }
}
