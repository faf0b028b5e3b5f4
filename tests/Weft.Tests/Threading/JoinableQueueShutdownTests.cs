using Weft.Threading;

namespace Weft.Tests.Threading;

/// <summary>CPython 3.13 Lib/test/test_queue.py shutdown tests (rows Q16-Q21 of the reference), made deterministic.</summary>
public sealed class JoinableQueueShutdownTests
{
    private static readonly TimeSpan Long = TestThread<bool>.Timeout;

    [Fact]
    public void Put_AfterShutdown_Throws()
    {
        var queue = new JoinableQueue<string>();
        queue.Shutdown();
        Assert.True(queue.IsShutDown);
        Assert.Throws<QueueShutDownException>(() => queue.Put("data"));
        Assert.Throws<QueueShutDownException>(() => queue.TryPut("data"));
        Assert.Throws<QueueShutDownException>(() => queue.PutAsync("data").AsTask().GetAwaiter().GetResult());
    }

    [Fact]
    public void Get_AfterShutdown_DrainsThenThrows()
    {
        var queue = new JoinableQueue<string>();
        queue.Put("data");
        queue.Put("more");
        queue.Shutdown();
        Assert.Equal("data", queue.Get());
        Assert.True(queue.TryGet(out var more));
        Assert.Equal("more", more);
        Assert.Throws<QueueShutDownException>(() => queue.Get());
        Assert.Throws<QueueShutDownException>(() => queue.Get(TimeSpan.FromSeconds(1)));
        Assert.Throws<QueueShutDownException>(() => queue.TryGet(out _));
    }

    [Fact]
    public void Shutdown_Immediate_EmptiesQueueAndSettlesDroppedItems()
    {
        var queue = new JoinableQueue<string>();
        queue.Put("a");
        queue.Put("b");
        queue.Shutdown(immediate: true);
        Assert.Equal(0, queue.Count);
        Assert.Equal(0, queue.UnfinishedTasks);
        Assert.Throws<QueueShutDownException>(() => queue.Get());
        Assert.Throws<InvalidOperationException>(queue.TaskDone);
        Assert.True(queue.Join(TimeSpan.Zero));
    }

    [Fact]
    public void Shutdown_BlockedGetterOnEmpty_WakesWithShutDown()
    {
        var queue = new JoinableQueue<int>();
        var getter = TestThread<int>.Start(() => queue.Get(Long));
        var asyncGetter = queue.GetAsync().AsTask();
        ConditionTests.SpinUntil(() => queue.WaitingGetters == 2);
        queue.Shutdown();
        Assert.Throws<QueueShutDownException>(() => getter.Join());
        Assert.Throws<QueueShutDownException>(() => asyncGetter.WaitAsync(Long).GetAwaiter().GetResult());
    }

    [Fact]
    public void Shutdown_ThreeGettersTwoItems_TwoGetItemsOneGetsShutDown()
    {
        var queue = new JoinableQueue<int>();
        var getters = Enumerable.Range(0, 3).Select(_ => TestThread<int?>.Start(() =>
        {
            try
            {
                return queue.Get(Long);
            }
            catch (QueueShutDownException)
            {
                return null;
            }
        })).ToArray();
        ConditionTests.SpinUntil(() => queue.WaitingGetters == 3);
        queue.Put(1);
        queue.Put(2);
        queue.Shutdown();
        var results = getters.Select(g => g.Join()).ToList();
        Assert.Equal(1, results.Count(r => r is null));
        Assert.Equal(new int?[] { 1, 2 }, results.Where(r => r is not null).Order());
    }

    [Fact]
    public void Shutdown_BlockedPutterOnFull_WakesWithShutDownAndItemsStay()
    {
        var queue = new JoinableQueue<int>(1);
        queue.Put(1);
        var putter = TestThread.Start(() => queue.Put(2, Long));
        var asyncPutter = queue.PutAsync(3).AsTask();
        ConditionTests.SpinUntil(() => queue.WaitingPutters == 2);
        queue.Shutdown();
        Assert.Throws<QueueShutDownException>(() => putter.Join());
        Assert.Throws<QueueShutDownException>(() => asyncPutter.WaitAsync(Long).GetAwaiter().GetResult());
        Assert.Equal(1, queue.Count);
        Assert.Equal(1, queue.Get());
    }

    [Fact]
    public async Task Shutdown_NotImmediate_DoesNotReleaseJoin()
    {
        var queue = new JoinableQueue<int>();
        queue.Put(1);
        var join = queue.JoinAsync();
        queue.Shutdown();
        Assert.False(join.IsCompleted);
        Assert.False(queue.Join(TimeSpan.FromMilliseconds(20)));
        queue.Get();
        queue.TaskDone();
        Assert.True(queue.Join(Long));
        await join.WaitAsync(Long);
    }

    [Fact]
    public async Task Shutdown_Immediate_ReleasesJoiners()
    {
        var queue = new JoinableQueue<int>();
        queue.Put(1);
        queue.Put(2);
        var joiner = TestThread<bool>.Start(() => queue.Join(Long));
        var join = queue.JoinAsync();
        Assert.False(join.IsCompleted);
        queue.Shutdown(immediate: true);
        Assert.True(joiner.Join());
        await join.WaitAsync(Long);
    }

    [Fact]
    public void Shutdown_ImmediateWithItemInProgress_JoinWaitsForItsTaskDone()
    {
        var queue = new JoinableQueue<int>();
        queue.Put(1);
        queue.Put(2);
        queue.Get(); // a consumer is working on item 1
        queue.Shutdown(immediate: true);
        Assert.Equal(1, queue.UnfinishedTasks);
        Assert.False(queue.Join(TimeSpan.FromMilliseconds(20)));
        queue.TaskDone();
        Assert.True(queue.Join(TimeSpan.Zero));
    }

    [Fact]
    public void Shutdown_AllTransitions_Allowed()
    {
        var queue = new JoinableQueue<int>();
        Assert.False(queue.IsShutDown);
        queue.Shutdown();
        Assert.True(queue.IsShutDown);
        queue.Shutdown(immediate: true);
        queue.Shutdown(immediate: false);
        Assert.True(queue.IsShutDown);
    }

    [Fact]
    public void Shutdown_ManyReadersAndWriters_EveryReaderEndsWithShutDown()
    {
        var queue = new JoinableQueue<int>(16);
        var writersRunning = new CountdownEvent(4);
        var writers = Enumerable.Range(0, 4).Select(_ => TestThread.Start(() =>
        {
            try
            {
                writersRunning.Signal();
                for (var i = 0; ; i++)
                {
                    queue.Put(i, Long);
                }
            }
            catch (QueueShutDownException)
            {
            }
        })).ToArray();
        var readers = Enumerable.Range(0, 6).Select(_ => TestThread<bool>.Start(() =>
        {
            try
            {
                while (true)
                {
                    queue.Get(Long);
                    queue.TaskDone();
                }
            }
            catch (QueueShutDownException)
            {
                return true;
            }
        })).ToArray();

        Assert.True(writersRunning.Wait(Long));
        queue.Shutdown();
        foreach (var writer in writers)
        {
            writer.Join();
        }

        Assert.All(readers, reader => Assert.True(reader.Join()));
        Assert.Equal(0, queue.Count);
        Assert.True(queue.Join(Long));
    }
}
