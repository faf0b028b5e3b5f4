using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Weft.Tests.Futures;
using static Weft.Tests.Futures.TestFutures;

namespace Weft.Tests.Diagnostics;

/// <summary>The <c>Weft</c> meter, observed with a <see cref="MeterListener"/>. Each test gives its executor a
/// unique name and only counts measurements tagged with it, so tests running in parallel do not interfere.</summary>
public sealed class ExecutorMetricsTests
{
    [Fact]
    public void Counters_SubmittedCompletedFailedCancelled_CountedPerExecutor()
    {
        var name = UniqueName();
        using var recorder = new MetricsRecorder(name);
        using var gate = new ManualResetEventSlim();
        var executor = new ThreadPoolExecutor(1, threadNamePrefix: name);

        executor.Occupy(gate);
        var succeeded = Enumerable.Range(0, 3).Select(i => executor.Submit(static x => x, i)).ToList();
        var failed = Enumerable.Range(0, 2).Select(_ => executor.Submit(static () => Fail())).ToList();
        var toCancel = Enumerable.Range(0, 4).Select(_ => executor.Submit(static () => 0)).ToList();
        Assert.All(toCancel, f => Assert.True(f.Cancel()));
        gate.Set();
        executor.Dispose();

        Assert.Equal(10, recorder.Sum("weft.tasks.submitted"));
        Assert.Equal(4, recorder.Sum("weft.tasks.completed"));
        Assert.Equal(2, recorder.Sum("weft.tasks.failed"));
        Assert.Equal(4, recorder.Sum("weft.tasks.cancelled"));
    }

    [Fact]
    public void Counters_ShutdownCancelFutures_CountsTheCancelledTasks()
    {
        var name = UniqueName();
        using var recorder = new MetricsRecorder(name);
        using var gate = new ManualResetEventSlim();
        var executor = new ThreadPoolExecutor(1, threadNamePrefix: name);
        executor.Occupy(gate);
        for (var i = 0; i < 5; i++)
        {
            executor.Submit(static () => 1);
        }

        executor.Shutdown(wait: false, cancelFutures: true);
        gate.Set();
        executor.Shutdown(wait: true);

        Assert.Equal(6, recorder.Sum("weft.tasks.submitted"));
        Assert.Equal(5, recorder.Sum("weft.tasks.cancelled"));
        Assert.Equal(1, recorder.Sum("weft.tasks.completed"));
    }

    [Fact]
    public void Gauges_QueueDepthAndBusyWorkers_ReflectBlockedAndQueuedTasks()
    {
        var name = UniqueName();
        using var recorder = new MetricsRecorder(name);
        using var gate = new ManualResetEventSlim();
        using var started = new CountdownEvent(2);
        var executor = new ThreadPoolExecutor(2, threadNamePrefix: name);
        for (var i = 0; i < 2; i++)
        {
            executor.Submit(() =>
            {
                started.Signal();
                gate.WaitOrFail();
            });
        }

        started.WaitOrFail();
        for (var i = 0; i < 3; i++)
        {
            executor.Submit(static () => { });
        }

        Assert.Equal(3, recorder.Observe("weft.queue.depth"));
        Assert.Equal(2, recorder.Observe("weft.workers.busy"));

        gate.Set();
        executor.Dispose();
        Assert.Null(recorder.Observe("weft.queue.depth"));
        Assert.Null(recorder.Observe("weft.workers.busy"));
    }

    [Fact]
    public void Gauges_NewExecutorWithNoTasks_ReportsZero()
    {
        var name = UniqueName();
        using var recorder = new MetricsRecorder(name);
        using var executor = new ThreadPoolExecutor(2, threadNamePrefix: name);

        Assert.Equal(0, recorder.Observe("weft.queue.depth"));
        Assert.Equal(0, recorder.Observe("weft.workers.busy"));
    }

    [Fact]
    public void Histogram_TaskDuration_OneNonNegativeMeasurementPerTaskRun()
    {
        var name = UniqueName();
        using var recorder = new MetricsRecorder(name);
        using var executor = new ThreadPoolExecutor(2, threadNamePrefix: name);

        var futures = Enumerable.Range(0, 20).Select(i => executor.Submit(static x => x, i)).ToList();
        futures.Add(executor.Submit(static () => Fail()));
        futures.ForEach(f => f.Wait(Long));
        executor.Shutdown(wait: true);

        var durations = recorder.Values("weft.task.duration");
        Assert.Equal(21, durations.Count);
        Assert.All(durations, d => Assert.True(d >= 0));
    }

    [Fact]
    public void Histogram_TaskDuration_CoversTheTimeTheTaskRan()
    {
        var name = UniqueName();
        using var recorder = new MetricsRecorder(name);
        using var executor = new ThreadPoolExecutor(1, threadNamePrefix: name);

        executor.Submit(static () => Thread.Sleep(50)).Wait(Long);
        executor.Shutdown(wait: true);

        Assert.True(Assert.Single(recorder.Values("weft.task.duration")) >= 0.045);
    }

    [Fact]
    public void Instruments_PublishedOnTheWeftMeter()
    {
        var name = UniqueName();
        using var recorder = new MetricsRecorder(name);
        using var executor = new ThreadPoolExecutor(1, threadNamePrefix: name);
        executor.Submit(static () => 1).Wait(Long);

        Assert.Superset(
            new HashSet<string> { "weft.tasks.submitted", "weft.tasks.completed", "weft.tasks.failed", "weft.tasks.cancelled", "weft.task.duration", "weft.queue.depth", "weft.workers.busy" },
            recorder.Published.ToHashSet());
    }

    private static int Fail() => throw new InvalidOperationException("planned");

    private static string UniqueName() => $"Metrics-{Guid.NewGuid():N}";

    /// <summary>Listens to the Weft meter and keeps the measurements tagged with one executor's name.</summary>
    private sealed class MetricsRecorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly string _executor;
        private readonly ConcurrentQueue<(string Instrument, double Value)> _measurements = new();

        public MetricsRecorder(string executor)
        {
            _executor = executor;
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Weft")
                {
                    Published.Add(instrument.Name);
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
            _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
            _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
            _listener.Start();
        }

        public ConcurrentBag<string> Published { get; } = [];

        public long Sum(string instrument) => (long)_measurements.Where(m => m.Instrument == instrument).Sum(m => m.Value);

        public List<double> Values(string instrument) => [.. _measurements.Where(m => m.Instrument == instrument).Select(m => m.Value)];

        /// <summary>Collects the observable gauges now; returns this executor's value, or null if it was not reported.</summary>
        public double? Observe(string instrument)
        {
            _measurements.Clear();
            _listener.RecordObservableInstruments();
            var values = Values(instrument);
            return values.Count == 0 ? null : Assert.Single(values);
        }

        public void Dispose() => _listener.Dispose();

        private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "weft.executor" && Equals(tag.Value, _executor))
                {
                    _measurements.Enqueue((instrument.Name, value));
                    return;
                }
            }
        }
    }
}
