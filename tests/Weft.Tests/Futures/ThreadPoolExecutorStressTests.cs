using System.Diagnostics;
using static Weft.Tests.Futures.TestFutures;

namespace Weft.Tests.Futures;

/// <summary>Many tasks at once: every future ends in the right state and every callback runs exactly once.</summary>
public sealed class ThreadPoolExecutorStressTests
{
    [Fact]
    public void Submit_200000TasksWithResultsExceptionsAndCancellations_EveryOutcomeRightAndEveryCallbackOnce()
    {
        const int Count = 200_000;
        var ran = new int[Count];
        var callbacks = new int[Count];
        var futures = new Future<int>[Count];
        var cancelled = new bool[Count];
        using var allCalledBack = new CountdownEvent(Count);
        var error = new InvalidOperationException("planned failure");
        var stopwatch = Stopwatch.StartNew();

        using (var executor = new ThreadPoolExecutor(4))
        {
            // Two submitters race the workers, and each cancels every third of its own tasks right away.
            var submitters = Enumerable.Range(0, 2).Select(s => Task.Run(() =>
            {
                for (var i = s; i < Count; i += 2)
                {
                    var index = i;
                    var future = executor.Submit(() =>
                    {
                        Interlocked.Increment(ref ran[index]);
                        return index % 3 == 1 ? throw error : index;
                    });
                    future.AddDoneCallback(_ =>
                    {
                        Interlocked.Increment(ref callbacks[index]);
                        allCalledBack.Signal();
                    });
                    futures[index] = future;
                    if (index % 3 == 2)
                    {
                        cancelled[index] = future.Cancel();
                    }
                }
            })).ToArray();
            Finish(Task.WhenAll(submitters));
            allCalledBack.WaitOrFail();
        }

        for (var i = 0; i < Count; i++)
        {
            var future = futures[i];
            Assert.True(future.IsDone, $"future {i} is not done");
            Assert.Equal(1, callbacks[i]);
            if (cancelled[i])
            {
                Assert.Equal(FutureState.Cancelled, future.State);
                Assert.Equal(0, ran[i]);
                continue;
            }

            Assert.Equal(FutureState.Finished, future.State);
            Assert.Equal(1, ran[i]);
            if (i % 3 == 1)
            {
                Assert.Same(error, future.GetException(TimeSpan.Zero));
            }
            else
            {
                Assert.Equal(i, future.Result(TimeSpan.Zero));
            }
        }

        Assert.Contains(true, cancelled);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(60), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public void Map_100000ItemsWithBufferSize_AllResultsInOrder()
    {
        using var executor = new ThreadPoolExecutor(4);

        var index = 0;
        foreach (var result in executor.Map(static x => x ^ 0x5555, Enumerable.Range(0, 100_000), bufferSize: 64))
        {
            Assert.Equal(index ^ 0x5555, result);
            index++;
        }

        Assert.Equal(100_000, index);
    }

    [Fact]
    public void Submit_TaskWaitingForTheNextOne_PoolBelowMaxStartsASecondThread()
    {
        // Regression: a worker taking a task briefly counted as both idle and not queued, and a Submit
        // landing in that moment started no thread, so the second task waited behind the first for ever
        // (about 8 rounds in 20,000 hung before the fix).
        for (var round = 0; round < 2500; round++)
        {
            using var gate = new ManualResetEventSlim();
            var executor = new ThreadPoolExecutor(2);
            executor.Submit(static () => 0).Result(Long);

            // One idle worker; the first task blocks it until the second task runs on another thread.
            var waiter = executor.Submit(() => gate.Wait(Long));
            var releaser = executor.Submit(gate.Set);

            Assert.True(waiter.Result(Long), $"round {round}: the second task never ran while the first one waited for it");
            releaser.Wait(Long);
            executor.Dispose();
        }
    }
}
