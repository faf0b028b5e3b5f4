using Weft.Threading;

namespace Weft.Tests.Threading;

/// <summary>
/// The scenario Coyote reported as a potential hang (issue 10), run on real threads: a cancellation racing a put
/// that wakes the same async getter, then an immediate shutdown. Every round must finish within a bounded wait with
/// no item lost and no waiter left queued; a lost wake-up would leave a task pending and fail the round's wait.
/// </summary>
public sealed class JoinableQueueCancellationRaceTests
{
    private static readonly TimeSpan Long = TestThread<bool>.Timeout;

    [Fact]
    public async Task GetAsync_CancelRacesPutThenImmediateShutdown_NoItemLostNoWaiterLeft()
    {
        for (var round = 0; round < 2000; round++)
        {
            var queue = new JoinableQueue<int>(maxSize: 1);
            using var cancel = new CancellationTokenSource();
            var got = 0;
            var put = 0;
            var cancelledGetter = Get(queue, cancel.Token, () => Interlocked.Increment(ref got));
            var getter = Get(queue, CancellationToken.None, () => Interlocked.Increment(ref got));
            Assert.Equal(2, queue.WaitingGetters);

            // Both getters are queued; the put wakes the oldest (the cancellable one) while the cancel fires.
            using var start = new Barrier(2);
            var putter = Task.Run(async () =>
            {
                start.SignalAndWait(Long);
                await queue.PutAsync(1);
                Interlocked.Increment(ref put);
            });
            var canceller = Task.Run(() =>
            {
                start.SignalAndWait(Long);
                cancel.Cancel();
            });
            await Task.WhenAll(putter, canceller).WaitAsync(Long);

            // A getter is still waiting, so the item must reach one of them: whichever the put woke either takes it
            // or, cancelled first, passes the wake-up on. A lost wake-up leaves it in the queue and times out here.
            await WaitUntil(() => Volatile.Read(ref got) == 1);
            queue.Shutdown(immediate: true);
            await Task.WhenAll(cancelledGetter, getter).WaitAsync(Long);

            Assert.Equal(0, queue.WaitingGetters);
            Assert.Equal(0, queue.WaitingPutters);
            Assert.Equal(1, put);
            Assert.Equal(1, got);
            Assert.Equal(0, queue.UnfinishedTasks);
            Assert.True(queue.Join(TimeSpan.Zero));
        }
    }

    private static async Task Get(JoinableQueue<int> queue, CancellationToken token, Action onGot)
    {
        try
        {
            await queue.GetAsync(token);
            onGot();
            queue.TaskDone();
        }
        catch (OperationCanceledException)
        {
        }
        catch (QueueShutDownException)
        {
        }
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Long);
        while (!condition())
        {
            await Task.Delay(1, timeout.Token);
        }
    }
}
