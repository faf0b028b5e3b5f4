using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Weft.Diagnostics;
using Weft.Tests.Futures;
using static Weft.Tests.Futures.TestFutures;

namespace Weft.Tests.Diagnostics;

/// <summary>Issue 23: the <c>Weft</c> ActivitySource, seen through an in-memory <see cref="ActivityListener"/>. Every
/// test here runs in this one class (xUnit runs a class's tests one at a time) because a listener is process-wide;
/// each test gives its executor a unique name and keeps only the activities tagged with it.</summary>
public sealed class TaskActivityTests
{
    private static readonly ActivitySource s_app = new("Weft.Tests.App");

    [Fact]
    public void Submit_UnderAParent_TaskRunsUnderAChildActivityOfTheSubmitters()
    {
        var name = UniqueName();
        using var recorder = new ActivityRecorder(name);
        using var executor = new ThreadPoolExecutor(2, threadNamePrefix: name);
        using var parent = s_app.StartActivity("request")!;

        var seen = executor.Submit(static () => Snapshot.Of(Activity.Current)).Result(Long);
        executor.Shutdown();   // the task's activity stops when its future is done, before Result returns

        var task = Assert.Single(recorder.Stopped);
        Assert.Equal(parent.TraceId, seen.TraceId);
        Assert.Equal(task.SpanId, seen.SpanId);
        Assert.Equal(parent.SpanId, task.ParentSpanId);
        Assert.Equal("weft.task", task.OperationName);
        Assert.Equal(name, task.GetTagItem("weft.executor"));
        Assert.Contains(nameof(TaskActivityTests), (string)task.GetTagItem("weft.function")!, StringComparison.Ordinal);
        Assert.Equal(ActivityStatusCode.Unset, task.Status);
        Assert.Same(parent, Activity.Current);   // the submitter's current activity is put back
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Map_UnderAParent_EveryChunkIsAChildAndEveryItemSeesTheSubmittersTraceId(int chunkSize)
    {
        var name = UniqueName();
        using var recorder = new ActivityRecorder(name);
        using var executor = new ThreadPoolExecutor(3, threadNamePrefix: name);
        using var parent = s_app.StartActivity("request")!;

        var seen = executor.Map(static (int _) => Snapshot.Of(Activity.Current), Enumerable.Range(0, 10), chunkSize: chunkSize).ToList();
        executor.Shutdown();

        var chunks = (10 + chunkSize - 1) / chunkSize;
        Assert.Equal(chunks, recorder.Stopped.Count);
        Assert.All(recorder.Stopped, a => Assert.Equal(parent.SpanId, a.ParentSpanId));
        Assert.All(seen, s => Assert.Equal(parent.TraceId, s.TraceId));
        Assert.Equal(chunks, seen.Select(s => s.SpanId).Distinct().Count());
        Assert.Subset(recorder.Stopped.Select(a => a.SpanId).ToHashSet(), seen.Select(s => s.SpanId).ToHashSet());
    }

    [Fact]
    public void Submit_TaskThrows_RecordsTheExceptionAsOpenTelemetrySays()
    {
        var name = UniqueName();
        using var recorder = new ActivityRecorder(name);
        using var executor = new ThreadPoolExecutor(1, threadNamePrefix: name);

        var future = executor.Submit(static () => Throw(new InvalidOperationException("planned failure")));
        Assert.IsType<InvalidOperationException>(future.GetException(Long));
        executor.Shutdown();

        var task = Assert.Single(recorder.Stopped);
        Assert.Equal(ActivityStatusCode.Error, task.Status);
        Assert.Equal("planned failure", task.StatusDescription);
        var exception = Assert.Single(task.Events, e => e.Name == "exception");
        var tags = exception.Tags.ToDictionary(t => t.Key, t => t.Value);
        Assert.Equal(typeof(InvalidOperationException).FullName, tags["exception.type"]);
        Assert.Equal("planned failure", tags["exception.message"]);
        Assert.Contains(nameof(Throw), (string)tags["exception.stacktrace"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void Submit_ExceptionWhoseMessageThrows_FutureFailsAndTheActivityStillStops()
    {
        var name = UniqueName();
        using var recorder = new ActivityRecorder(name);
        using var executor = new ThreadPoolExecutor(1, threadNamePrefix: name);

        var future = executor.Submit(static () => Throw(new HostileException()));

        Assert.IsType<HostileException>(future.GetException(Long));
        executor.Shutdown();
        var task = Assert.Single(recorder.Stopped);
        Assert.Equal(ActivityStatusCode.Error, task.Status);
        Assert.Single(task.Events, e => e.Name == "exception");
    }

    [Fact]
    public void Cancel_PendingTask_StopsItsActivityTaggedCancelled()
    {
        var name = UniqueName();
        using var recorder = new ActivityRecorder(name);
        using var gate = new ManualResetEventSlim();
        using var executor = new ThreadPoolExecutor(1, threadNamePrefix: name);
        executor.Occupy(gate);

        var pending = executor.Submit(static () => 1);
        Assert.True(pending.Cancel());
        gate.Set();
        executor.Shutdown();

        Assert.Contains(recorder.Stopped, a => Equals(a.GetTagItem("weft.task.outcome"), "cancelled"));
    }

    [Fact]
    public void Submit_AfterShutdown_StopsTheActivityWithTheError()
    {
        var name = UniqueName();
        using var recorder = new ActivityRecorder(name);
        var executor = new ThreadPoolExecutor(1, threadNamePrefix: name);
        executor.Shutdown();
        using var parent = s_app.StartActivity("request")!;

        Assert.Throws<InvalidOperationException>(() => executor.Submit(static () => 1));

        var task = Assert.Single(recorder.Stopped);
        Assert.Equal(ActivityStatusCode.Error, task.Status);
        Assert.Same(parent, Activity.Current);
    }

    [Fact]
    public void Submit_NoListenerOnWeft_NoActivityAndTheTaskSeesTheSubmittersOwn()
    {
        var name = UniqueName();
        using var appOnly = new ActivityListener
        {
            ShouldListenTo = s => s.Name == s_app.Name,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(appOnly);
        using var gate = new ManualResetEventSlim();
        using var executor = new ThreadPoolExecutor(1, threadNamePrefix: name);
        using var parent = s_app.StartActivity("request")!;
        Assert.False(TaskActivity.Source.HasListeners());

        var blocked = executor.Occupy(gate);
        var queued = executor.Submit(static () => Activity.Current);
        var nothingAttached = !queued.HasListeners;
        gate.Set();

        Assert.True(nothingAttached, "a future got a listener although nobody listens to Weft");
        Assert.Same(parent, queued.Result(Long));
        blocked.Wait(Long);
    }

    [Fact]
    public void RunUnder_ReceivedContext_ActivityCurrentHasTheSubmittersTraceIdWithOrWithoutAListener()
    {
        using var parent = new Activity("submitter").SetIdFormat(ActivityIdFormat.W3C).Start();
        var wire = TaskTraceContext.Capture(null).ToBytes();
        parent.Stop();
        var received = TaskTraceContext.ReadFrom(wire, out var read);
        Assert.Equal(wire.Length, read);

        Snapshot unheard;
        using (var scope = TaskActivity.RunUnder(received, "exec", "Fn"))
        {
            unheard = Snapshot.Of(Activity.Current);
            Assert.NotNull(scope.RunActivity);
        }

        Assert.Null(Activity.Current);
        Assert.Equal(parent.TraceId, unheard.TraceId);

        using var recorder = new ActivityRecorder("exec");
        using (var scope = TaskActivity.RunUnder(received, "exec", "Fn"))
        {
            Assert.Equal(parent.TraceId, Activity.Current!.TraceId);
            Assert.Equal(parent.SpanId, Activity.Current.ParentSpanId);
            scope.Fail(new TimeoutException("late"));
        }

        var run = Assert.Single(recorder.Stopped);
        Assert.Equal("weft.task.run", run.OperationName);
        Assert.Equal(ActivityStatusCode.Error, run.Status);
    }

    [Fact]
    public void TraceContext_StringAndBinaryForms_RoundTripAndRejectGarbage()
    {
        using var parent = new Activity("submitter").SetIdFormat(ActivityIdFormat.W3C).Start();
        parent.TraceStateString = "vendor=é1,other=2";
        var captured = TaskTraceContext.Capture(null);
        parent.Stop();

        Assert.Equal(parent.Id, captured.TraceParent);
        var fromStrings = TaskTraceContext.Parse(captured.TraceParent, captured.TraceState);
        var fromBytes = TaskTraceContext.ReadFrom([.. captured.ToBytes(), 42], out var read);
        Assert.Equal(captured.EncodedLength, read);
        foreach (var copy in new[] { fromStrings, fromBytes })
        {
            Assert.Equal(parent.TraceId, copy.Context.TraceId);
            Assert.Equal(parent.SpanId, copy.Context.SpanId);
            Assert.Equal("vendor=é1,other=2", copy.Context.TraceState);
        }

        Assert.True(TaskTraceContext.ReadFrom([0], out read).IsEmpty);
        Assert.Equal(1, read);
        Assert.True(TaskTraceContext.Parse("not-a-traceparent", null).IsEmpty);
        Assert.Throws<InvalidDataException>(() => TaskTraceContext.ReadFrom([], out _));
        Assert.Throws<InvalidDataException>(() => TaskTraceContext.ReadFrom([7], out _));
        Assert.Throws<InvalidDataException>(() => TaskTraceContext.ReadFrom(captured.ToBytes().AsSpan(0, 20), out _));
        var lying = captured.ToBytes();
        lying[26] = 0xFF;
        lying[27] = 0x7F;
        Assert.Throws<InvalidDataException>(() => TaskTraceContext.ReadFrom(lying, out _));
    }

    [Fact]
    public void Meter_WorkerStartsDeathsAndResends_CountedWithTheReason()
    {
        var name = UniqueName();
        using var executor = new ThreadPoolExecutor(1, threadNamePrefix: name);
        var seen = new ConcurrentQueue<(string Instrument, long Value, string? Reason)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "Weft")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var dict = tags.ToArray().ToDictionary(t => t.Key, t => t.Value);
            if (Equals(dict.GetValueOrDefault("weft.executor"), name))
            {
                seen.Enqueue((instrument.Name, value, dict.GetValueOrDefault("weft.reason") as string));
            }
        });
        listener.Start();

        ExecutorMetrics.WorkerStarted(executor);
        ExecutorMetrics.WorkerStarted(executor);
        ExecutorMetrics.WorkerDied(executor, ExecutorMetrics.DeathReason.Crashed);
        ExecutorMetrics.TaskResent(executor);

        Assert.Equal(2, seen.Where(m => m.Instrument == "weft.workers.started").Sum(m => m.Value));
        Assert.Equal(("weft.workers.died", 1L, "crashed"), Assert.Single(seen, m => m.Instrument == "weft.workers.died"));
        Assert.Equal(1, seen.Where(m => m.Instrument == "weft.tasks.resent").Sum(m => m.Value));
    }

    private static int Throw(Exception error) => throw error;

    private static string UniqueName() => $"Trace-{Guid.NewGuid():N}";

    /// <summary>What a task saw of <see cref="Activity.Current"/>, read inside it.</summary>
    private readonly record struct Snapshot(ActivityTraceId TraceId, ActivitySpanId SpanId)
    {
        public static Snapshot Of(Activity? activity) => activity is null ? default : new(activity.TraceId, activity.SpanId);
    }

    private sealed class HostileException : Exception
    {
        public override string Message => throw new InvalidOperationException("Message throws");

        public override string ToString() => throw new InvalidOperationException("ToString throws");
    }

    /// <summary>Listens to Weft's source (and the test app's, so parents are recorded) and keeps the stopped Weft
    /// activities tagged with one executor's name.</summary>
    private sealed class ActivityRecorder : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly ConcurrentQueue<Activity> _stopped = new();

        public ActivityRecorder(string executor)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = s => s.Name is "Weft" or "Weft.Tests.App",
                Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = a =>
                {
                    if (a.Source.Name == "Weft" && Equals(a.GetTagItem("weft.executor"), executor))
                    {
                        _stopped.Enqueue(a);
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public List<Activity> Stopped => [.. _stopped];

        public void Dispose() => _listener.Dispose();
    }
}
