using Weft.Threading;

namespace Weft.Tests.Threading;

/// <summary>CPython Lib/test/test_queue.py BaseQueueTestMixin (rows Q1-Q15 of the reference), made deterministic.</summary>
public sealed class JoinableQueueTests
{
    private static readonly TimeSpan Long = TestThread<bool>.Timeout;

    [Theory]
    [InlineData(QueueOrder.Fifo, new[] { 111, 333, 222 })]
    [InlineData(QueueOrder.Lifo, new[] { 222, 333, 111 })]
    [InlineData(QueueOrder.Priority, new[] { 111, 222, 333 })]
    public void Get_EachOrder_ReturnsItemsInThatOrder(QueueOrder order, int[] expected)
    {
        var queue = new JoinableQueue<int>(order: order);
        queue.Put(111);
        queue.Put(333);
        queue.Put(222);
        Assert.Equal(expected, new[] { queue.Get(), queue.Get(), queue.Get() });
    }

    [Fact]
    public void Get_PriorityWithEqualKeys_KeepsInsertionOrder()
    {
        var queue = new JoinableQueue<(int Priority, string Name)>(order: QueueOrder.Priority, comparer: Comparer<(int Priority, string Name)>.Create((a, b) => a.Priority.CompareTo(b.Priority)));
        foreach (var item in new[] { (2, "a"), (1, "b"), (2, "c"), (1, "d"), (2, "e") })
        {
            queue.Put(item);
        }

        var names = Enumerable.Range(0, 5).Select(_ => queue.Get().Name);
        Assert.Equal(new[] { "b", "d", "a", "c", "e" }, names);
    }

    [Fact]
    public void Constructor_PriorityOfIncomparableType_ThrowsArgumentException()
    {
        var error = Assert.Throws<ArgumentException>(() => new JoinableQueue<object>(order: QueueOrder.Priority));
        Assert.Contains("comparer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NegativeMaxSize_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new JoinableQueue<int>(-1));

    [Fact]
    public void Count_TracksContents_UnboundedNeverFull()
    {
        var queue = new JoinableQueue<int>();
        Assert.Equal(0, queue.Count);
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(queue.TryPut(i));
        }

        Assert.Equal(1000, queue.Count);
        Assert.Equal(0, queue.MaxSize);
    }

    [Fact]
    public void PutAndTryPut_FullQueue_FailImmediately()
    {
        var queue = new JoinableQueue<int>(2);
        queue.Put(1);
        queue.Put(2);
        Assert.False(queue.TryPut(3));
        Assert.Throws<QueueFullException>(() => queue.Put(3, TimeSpan.Zero));
        Assert.Equal(2, queue.Count);
    }

    [Fact]
    public void Put_FullQueueWithTimeout_ThrowsQueueFullException()
    {
        var queue = new JoinableQueue<int>(1);
        queue.Put(1);
        Assert.Throws<QueueFullException>(() => queue.Put(2, TimeSpan.FromMilliseconds(20)));
    }

    [Fact]
    public void GetAndTryGet_EmptyQueue_FailImmediately()
    {
        var queue = new JoinableQueue<int>();
        Assert.False(queue.TryGet(out _));
        Assert.Throws<QueueEmptyException>(() => queue.Get(TimeSpan.Zero));
        Assert.Throws<QueueEmptyException>(() => queue.Get(TimeSpan.FromMilliseconds(20)));
    }

    [Fact]
    public void PutAndGet_NegativeTimeout_ThrowArgumentOutOfRange()
    {
        var queue = new JoinableQueue<int>(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => queue.Put(1, TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => queue.Get(TimeSpan.FromSeconds(-1)));
    }

    [Fact]
    public void Put_Full_ProceedsWhenConsumerGets()
    {
        var queue = new JoinableQueue<string>(1);
        queue.Put("first");
        var putter = TestThread.Start(() => queue.Put("second", Long));
        ConditionTests.SpinUntil(() => queue.WaitingPutters == 1);
        Assert.Equal(1, queue.Count);
        Assert.Equal("first", queue.Get(Long));
        putter.Join();
        Assert.Equal("second", queue.Get(TimeSpan.Zero));
    }

    [Fact]
    public void Get_Empty_ProceedsWhenProducerPuts()
    {
        var queue = new JoinableQueue<string>();
        var getter = TestThread<string>.Start(() => queue.Get(Long));
        ConditionTests.SpinUntil(() => queue.WaitingGetters == 1);
        queue.Put("empty");
        Assert.Equal("empty", getter.Join());
    }

    [Fact]
    public void TaskDone_MoreThanPut_ThrowsInvalidOperation()
    {
        var queue = new JoinableQueue<int>();
        queue.Put(1);
        queue.Get();
        queue.TaskDone();
        var error = Assert.Throws<InvalidOperationException>(queue.TaskDone);
        Assert.Contains("too many times", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnfinishedTasks_CountsPutsNotGets()
    {
        var queue = new JoinableQueue<int>();
        queue.Put(1);
        Assert.Equal(1, queue.UnfinishedTasks);
        queue.Get();
        Assert.Equal(1, queue.UnfinishedTasks);
        queue.TaskDone();
        Assert.Equal(0, queue.UnfinishedTasks);
    }

    [Fact]
    public void Join_ReturnsAfterEveryItemIsDone_AndCanJoinTwice()
    {
        var queue = new JoinableQueue<int>();
        var total = 0;
        var workers = Enumerable.Range(0, 2).Select(_ => TestThread.Start(() =>
        {
            while (true)
            {
                var item = queue.Get(Long);
                if (item < 0)
                {
                    queue.TaskDone();
                    return;
                }

                Interlocked.Add(ref total, item);
                queue.TaskDone();
            }
        })).ToArray();

        for (var i = 0; i < 100; i++)
        {
            queue.Put(i);
        }

        Assert.True(queue.Join(Long));
        Assert.Equal(Enumerable.Range(0, 100).Sum(), Volatile.Read(ref total));

        queue.Put(-1);
        queue.Put(-1);
        Assert.True(queue.Join(Long));
        foreach (var worker in workers)
        {
            worker.Join();
        }
    }

    [Fact]
    public void Join_NothingPut_ReturnsAtOnce()
    {
        var queue = new JoinableQueue<int>();
        queue.Join();
        Assert.True(queue.JoinAsync().IsCompletedSuccessfully);
    }

    [Fact]
    public async Task JoinAsync_CompletesOnLastTaskDone()
    {
        var queue = new JoinableQueue<int>();
        queue.Put(1);
        var join = queue.JoinAsync();
        Assert.False(join.IsCompleted);
        queue.Get();
        queue.TaskDone();
        await join.WaitAsync(Long);
    }

    [Fact]
    public async Task GetAsync_Empty_CompletesWhenItemPut()
    {
        var queue = new JoinableQueue<int>();
        var get = queue.GetAsync().AsTask();
        Assert.False(get.IsCompleted);
        Assert.Equal(1, queue.WaitingGetters);
        queue.Put(7);
        Assert.Equal(7, await get.WaitAsync(Long));
    }

    [Fact]
    public async Task PutAsync_Full_CompletesWhenSlotFrees()
    {
        var queue = new JoinableQueue<int>(1);
        await queue.PutAsync(1);
        var put = queue.PutAsync(2).AsTask();
        Assert.False(put.IsCompleted);
        Assert.Equal(1, await queue.GetAsync());
        await put.WaitAsync(Long);
        Assert.Equal(2, queue.Get(TimeSpan.Zero));
    }

    [Fact]
    public async Task GetAsync_Cancelled_ThrowsAndLosesNoItem()
    {
        var queue = new JoinableQueue<int>();
        using var cts = new CancellationTokenSource();
        var get = queue.GetAsync(cts.Token).AsTask();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => get.WaitAsync(Long));
        Assert.Equal(0, queue.WaitingGetters);

        queue.Put(5);
        Assert.Equal(5, await queue.GetAsync().AsTask().WaitAsync(Long));
    }

    [Fact]
    public async Task GetAsync_ManyAwaitersAndProducers_EveryItemDeliveredOnce()
    {
        var queue = new JoinableQueue<int>(8);
        var consumers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var seen = new List<int>();
            while (true)
            {
                var item = await queue.GetAsync();
                if (item < 0)
                {
                    return seen;
                }

                seen.Add(item);
            }
        })).ToArray();
        var producers = Enumerable.Range(0, 4).Select(p => Task.Run(async () =>
        {
            for (var i = 0; i < 1000; i++)
            {
                await queue.PutAsync((p * 1000) + i);
            }
        })).ToArray();

        await Task.WhenAll(producers).WaitAsync(Long);
        for (var i = 0; i < 4; i++)
        {
            await queue.PutAsync(-1);
        }

        var all = (await Task.WhenAll(consumers).WaitAsync(Long)).SelectMany(s => s).Order();
        Assert.Equal(Enumerable.Range(0, 4000), all);
    }

    [Fact]
    public void PutAndGet_ManyThreadsBounded_EveryItemDeliveredOnce()
    {
        var queue = new JoinableQueue<int>(4);
        var seen = new int[8000];
        var consumers = Enumerable.Range(0, 4).Select(_ => TestThread.Start(() =>
        {
            while (queue.Get(Long) is var item && item >= 0)
            {
                Interlocked.Increment(ref seen[item]);
            }
        })).ToArray();
        var producers = Enumerable.Range(0, 4).Select(p => TestThread.Start(() =>
        {
            for (var i = 0; i < 2000; i++)
            {
                queue.Put((p * 2000) + i, Long);
            }
        })).ToArray();
        foreach (var producer in producers)
        {
            producer.Join();
        }

        for (var i = 0; i < 4; i++)
        {
            queue.Put(-1, Long);
        }

        foreach (var consumer in consumers)
        {
            consumer.Join();
        }

        Assert.All(seen, count => Assert.Equal(1, count));
    }

    [Fact]
    public async Task Put_WakingAnAwaiter_NeverRunsItsContinuationInline()
    {
        var queue = new JoinableQueue<int>();
        using var gate = new ManualResetEventSlim();
        var putterThread = 0;
        var consumer = Task.Run(async () =>
        {
            var item = await queue.GetAsync();
            var continuationThread = Environment.CurrentManagedThreadId;

            // Blocks until the putter returned: if Put ran this continuation inline, Put would never
            // return and the gate would never open.
            Assert.True(gate.Wait(Long));
            queue.Put(item + 1); // re-enters the queue from the continuation
            return continuationThread;
        });

        ConditionTests.SpinUntil(() => queue.WaitingGetters == 1);
        var putter = TestThread.Start(() =>
        {
            putterThread = Environment.CurrentManagedThreadId;
            queue.Put(1);
        });
        putter.Join();
        gate.Set();

        Assert.NotEqual(putterThread, await consumer.WaitAsync(Long));
        Assert.Equal(2, queue.Get(Long));
    }

    [Fact]
    public void Get_PriorityManyRandomItems_ComeOutSorted()
    {
        var random = new Random(1234);
        var queue = new JoinableQueue<int>(order: QueueOrder.Priority);
        var items = Enumerable.Range(0, 500).Select(_ => random.Next(100)).ToList();
        items.ForEach(i => queue.Put(i));
        var output = Enumerable.Range(0, 500).Select(_ => queue.Get()).ToList();
        Assert.Equal(items.Order(), output);
    }

    [Fact]
    public void Put_ComparerThrows_QueueStaysConsistent()
    {
        var failing = false;
        var comparer = Comparer<int>.Create((a, b) => failing ? throw new InvalidOperationException("compare failed") : a.CompareTo(b));
        var queue = new JoinableQueue<int>(3, QueueOrder.Priority, comparer);
        queue.Put(3);
        queue.Put(7);

        failing = true;
        Assert.Throws<InvalidOperationException>(() => queue.Put(1));
        Assert.Equal(2, queue.Count);
        Assert.Equal(2, queue.UnfinishedTasks);

        failing = false;
        queue.Put(1);
        Assert.False(queue.TryPut(2)); // full at 3 items: the failed put left nothing behind

        failing = true;
        Assert.Throws<InvalidOperationException>(() => queue.Get(TimeSpan.Zero));
        Assert.Equal(3, queue.Count);

        failing = false;
        Assert.Equal(new[] { 1, 3, 7 }, new[] { queue.Get(TimeSpan.Zero), queue.Get(TimeSpan.Zero), queue.Get(TimeSpan.Zero) });
        Assert.Equal(0, queue.Count);
    }
}
