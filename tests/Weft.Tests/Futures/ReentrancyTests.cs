using static Weft.Tests.Futures.TestFutures;

namespace Weft.Tests.Futures;

/// <summary>
/// User code never runs under an internal lock (STYLE.md item 8): a done-callback blocks on another thread
/// that uses the same future or executor, which would deadlock if the callback held a lock they need.
/// </summary>
public sealed class ReentrancyTests
{
    [Fact]
    public void AddDoneCallback_CallbackWaitsForAnotherThreadUsingTheSameFuture_NoDeadlock()
    {
        var future = Running();
        var other = Task.CompletedTask;
        future.AddDoneCallback(f => other = Task.Run(() =>
        {
            var calledAtOnce = false;
            f.AddDoneCallback(_ => calledAtOnce = true);
            Assert.True(calledAtOnce);
            Assert.Equal(1, ((Future<int>)f).Result(Long));
            Assert.False(f.Cancel());
            Assert.True(f.AsTask().IsCompletedSuccessfully);
            Assert.Single(Weft.Futures.Wait([f], Long).Done);
            Assert.Single(Weft.Futures.AsCompleted([f], Long));
        }));
        future.AddDoneCallback(_ => Finish(other));

        var completing = Task.Run(() => future.TrySetResult(1));

        Finish(completing);
        Finish(other);
    }

    [Fact]
    public void AddDoneCallback_CallbackOnWorkerWaitsForAnotherThreadUsingTheExecutor_NoDeadlock()
    {
        var executor = new ThreadPoolExecutor(1);
        using var checkedFromOutside = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        Exception? failure = null;

        // Held until the callback is added, so that the callback runs on the worker: were the task done first, it
        // would run here at once, the worker would be idle, and the next task could start before it is cancelled.
        var future = executor.Submit(() =>
        {
            release.WaitOrFail();
            return 1;
        });
        future.AddDoneCallback(_ =>
        {
            var outside = new Thread(() =>
            {
                try
                {
                    // The only worker is running this callback, so the new task stays queued and cancellable.
                    var queued = executor.Submit(static () => 2);
                    Assert.True(queued.Cancel());
                }
                catch (Exception e)
                {
                    failure = e;
                }
                finally
                {
                    checkedFromOutside.Set();
                }
            });
            outside.Start();
            checkedFromOutside.WaitOrFail();
        });
        release.Set();

        checkedFromOutside.WaitOrFail();
        Assert.Null(failure);
        Assert.Equal(1, future.Result(Long));
        Finish(Task.Run(executor.Dispose));
    }

    [Fact]
    public void AddDoneCallback_InsideACallback_RunsAtOnce()
    {
        var future = Running();
        var order = new List<string>();
        future.AddDoneCallback(f =>
        {
            order.Add("outer start");
            f.AddDoneCallback(_ => order.Add("inner"));
            order.Add("outer end");
        });

        future.TrySetResult(1);

        Assert.Equal(["outer start", "inner", "outer end"], order);
    }

    [Fact]
    public void Cancel_CallbackCancelsAnotherPendingFuture_BothCancelled()
    {
        var first = Pending();
        var second = Pending();
        first.AddDoneCallback(_ => second.Cancel());

        Assert.True(first.Cancel());

        Assert.True(second.IsCancelled);
    }

    [Fact]
    public void Submit_RacingShutdown_EveryAcceptedTaskCompletes()
    {
        for (var round = 0; round < 50; round++)
        {
            var executor = new ThreadPoolExecutor(2);
            using var start = new Barrier(3);
            var submitters = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
            {
                var accepted = new List<Future<int>>();
                start.SignalAndWait(Long);
                try
                {
                    for (var i = 0; i < 2_000; i++)
                    {
                        accepted.Add(executor.Submit(static () => 1));
                    }
                }
                catch (InvalidOperationException)
                {
                    // Shut down: this is where accepting stops.
                }

                return accepted;
            })).ToArray();

            start.SignalAndWait(Long);
            executor.Shutdown(wait: true);

            foreach (var future in Finish(Task.WhenAll(submitters)).SelectMany(a => a))
            {
                Assert.Equal(1, future.Result(TimeSpan.Zero));
            }
        }
    }
}
