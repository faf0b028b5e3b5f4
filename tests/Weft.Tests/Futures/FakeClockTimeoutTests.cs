using Microsoft.Extensions.Time.Testing;
using Weft.Tests.Threading;
using Weft.Threading;
using static Weft.Tests.Futures.TestFutures;

namespace Weft.Tests.Futures;

/// <summary>Timeouts on a fake clock: each wait ends exactly when the clock reaches its deadline, not a tick
/// before, whatever the machine's load.</summary>
public sealed class FakeClockTimeoutTests
{
    private static readonly TimeSpan Five = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void FutureResult_FakeClock_TimesOutExactlyAtTheDeadline()
    {
        using var executor = new ThreadPoolExecutor(1, null, null, _clock);
        using var gate = new ManualResetEventSlim();
        var blocked = executor.Submit(() =>
        {
            gate.WaitOrFail();
            return 1;
        });
        var waiter = TestThread<Exception?>.Start(() => Record.Exception(() => blocked.Result(Five)));
        Assert.True(SpinWait.SpinUntil(() => blocked.HasListeners, Long));

        _clock.Advance(Five - Tick);
        Assert.True(waiter.IsAlive);
        _clock.Advance(Tick);
        Assert.IsType<TimeoutException>(waiter.Join());
        Assert.False(blocked.IsDone);
        gate.Set();
        Assert.Equal(1, blocked.Result(Long));
    }

    [Fact]
    public void QueueGet_FakeClock_RaisesEmptyExactlyAtTheDeadline()
    {
        var queue = new JoinableQueue<int>(0, QueueOrder.Fifo, null, _clock);
        var getter = TestThread<Exception?>.Start(() => Record.Exception(() => queue.Get(Five)));
        Assert.True(SpinWait.SpinUntil(() => queue.WaitingGetters == 1, Long));

        _clock.Advance(Five - Tick);
        Assert.True(getter.IsAlive);
        _clock.Advance(Tick);
        Assert.IsType<QueueEmptyException>(getter.Join());
        Assert.Equal(0, queue.WaitingGetters);
    }

    [Fact]
    public void ConditionWait_FakeClock_ReturnsFalseExactlyAtTheDeadline()
    {
        var condition = new Condition(_clock);
        var waiter = TestThread<bool>.Start(() =>
        {
            using (condition.Acquire())
            {
                return condition.Wait(Five);
            }
        });
        Assert.True(SpinWait.SpinUntil(() => condition.WaiterCount == 1, Long));

        _clock.Advance(Five - Tick);
        Assert.True(waiter.IsAlive);
        _clock.Advance(Tick);
        Assert.False(waiter.Join());
        Assert.Equal(0, condition.WaiterCount);
    }

    [Fact]
    public void FuturesWait_FakeClock_ReturnsThePartitionAtTheDeadline()
    {
        var pending = Pending();
        var done = Succeeded(1);
        var waiter = TestThread<DoneAndNotDone<Future<int>>>.Start(() => Weft.Futures.Wait([pending, done], Five, ReturnWhen.AllCompleted, _clock));
        Assert.True(SpinWait.SpinUntil(() => pending.HasListeners, Long));

        _clock.Advance(Five);
        var result = waiter.Join();
        Assert.Equal([done], result.Done);
        Assert.Equal([pending], result.NotDone);
        Assert.False(pending.HasListeners);
    }

    [Fact]
    public void Map_FakeClock_TimesOutAtTheDeadlineAndCancelsTheRest()
    {
        using var executor = new ThreadPoolExecutor(1, null, null, _clock);
        using var gate = new ManualResetEventSlim();
        using var results = executor.Map(x => gate.Wait(Long) ? x : -1, new[] { 1, 2, 3 }, Five).GetEnumerator(); // deadline: this call
        var iterator = TestThread<Exception?>.Start(() => Record.Exception(() => results.MoveNext()));
        Assert.True(SpinWait.SpinUntil(() => executor.BusyWorkerCount == 1, Long));

        _clock.Advance(Five);
        Assert.IsType<TimeoutException>(iterator.Join());
        gate.Set();
    }
}
