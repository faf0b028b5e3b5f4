using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Weft.Diagnostics;

/// <summary>
/// The <c>Weft</c> meter: per-executor task counters, a task-duration histogram and queue/busy gauges,
/// visible to <c>dotnet-counters monitor --counters Weft</c> and OpenTelemetry with no user code.
/// </summary>
/// <remarks>Every instrument is tagged <c>weft.executor</c> with the executor's name. Recording is skipped
/// entirely while no listener is attached, so the per-task cost is a field read.</remarks>
internal static class ExecutorMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Weft";

    private const string ExecutorTag = "weft.executor";

    /// <summary>The tag of <c>weft.workers.died</c> naming why (see <see cref="DeathReason"/>).</summary>
    private const string ReasonTag = "weft.reason";

    private static readonly Meter s_meter = new(MeterName, "1.0");
    // Weak: the registry must never keep an executor alive. One that is dropped without Shutdown, one whose
    // constructor threw after registering, and a process pool that never unregisters all leave it once
    // they are garbage (bug 10.7); executors that shut down leave it at once.
    private static readonly ConditionalWeakTable<Executor, object?> s_live = new();

    private static readonly Counter<long> s_submitted = s_meter.CreateCounter<long>("weft.tasks.submitted", "{task}", "Tasks accepted by an executor.");
    private static readonly Counter<long> s_completed = s_meter.CreateCounter<long>("weft.tasks.completed", "{task}", "Tasks that returned a result.");
    private static readonly Counter<long> s_failed = s_meter.CreateCounter<long>("weft.tasks.failed", "{task}", "Tasks that threw an exception.");
    private static readonly Counter<long> s_cancelled = s_meter.CreateCounter<long>("weft.tasks.cancelled", "{task}", "Tasks cancelled before they started.");
    private static readonly Histogram<double> s_duration = s_meter.CreateHistogram<double>("weft.task.duration", "s", "Time a task ran on a worker.");
    private static readonly Counter<long> s_workersStarted = s_meter.CreateCounter<long>("weft.workers.started", "{worker}", "Worker processes (or silo workers) started.");
    private static readonly Counter<long> s_workersDied = s_meter.CreateCounter<long>("weft.workers.died", "{worker}", "Workers that ended other than by retiring or shutting down, tagged weft.reason.");
    private static readonly Counter<long> s_resent = s_meter.CreateCounter<long>("weft.tasks.resent", "{task}", "Tasks sent again after their worker or silo was lost.");

    static ExecutorMetrics()
    {
        s_meter.CreateObservableGauge("weft.queue.depth", () => Observe(static e => e.PendingCount), "{task}", "Tasks accepted but not started.");
        s_meter.CreateObservableGauge("weft.workers.busy", () => Observe(static e => e.BusyWorkerCount), "{worker}", "Workers running a task.");
    }

    /// <summary>Whether task durations are being recorded (decides whether a worker reads the clock).</summary>
    public static bool TimingEnabled => s_duration.Enabled;

    public static void Track(Executor executor) => s_live.AddOrUpdate(executor, null);

    public static void Untrack(Executor executor) => s_live.Remove(executor);

    /// <summary>Whether an executor of that name is registered now (for tests).</summary>
    internal static bool IsTracked(string name) => s_live.Any(pair => pair.Key.Name == name);

    public static void Submitted(Executor executor)
    {
        if (s_submitted.Enabled)
        {
            s_submitted.Add(1, new KeyValuePair<string, object?>(ExecutorTag, executor.Name));
        }
    }

    public static void Cancelled(Executor executor)
    {
        if (s_cancelled.Enabled)
        {
            s_cancelled.Add(1, new KeyValuePair<string, object?>(ExecutorTag, executor.Name));
        }
    }

    /// <summary>Records a finished task; <paramref name="startedTimestamp"/> is 0 when timing was off at its start.</summary>
    public static void Finished(Executor executor, bool failed, long startedTimestamp)
    {
        var counter = failed ? s_failed : s_completed;
        if (counter.Enabled)
        {
            counter.Add(1, new KeyValuePair<string, object?>(ExecutorTag, executor.Name));
        }

        if (startedTimestamp != 0 && s_duration.Enabled)
        {
            s_duration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds, new KeyValuePair<string, object?>(ExecutorTag, executor.Name));
        }
    }

    /// <summary>A worker process (or a silo's worker) was started: <c>weft.workers.started</c>. Call once per
    /// start, replacements included, when the start is attempted.</summary>
    public static void WorkerStarted(Executor executor)
    {
        if (s_workersStarted.Enabled)
        {
            s_workersStarted.Add(1, new KeyValuePair<string, object?>(ExecutorTag, executor.Name));
        }
    }

    /// <summary>A worker ended other than by retiring or shutting down: <c>weft.workers.died</c>, tagged
    /// <c>weft.reason</c> with one of the <see cref="DeathReason"/> values.</summary>
    public static void WorkerDied(Executor executor, string reason)
    {
        if (s_workersDied.Enabled)
        {
            s_workersDied.Add(1, new KeyValuePair<string, object?>(ExecutorTag, executor.Name), new KeyValuePair<string, object?>(ReasonTag, reason));
        }
    }

    /// <summary>A task was sent again after its worker or silo was lost: <c>weft.tasks.resent</c>.</summary>
    public static void TaskResent(Executor executor)
    {
        if (s_resent.Enabled)
        {
            s_resent.Add(1, new KeyValuePair<string, object?>(ExecutorTag, executor.Name));
        }
    }

    /// <summary>The values of the <c>weft.reason</c> tag of <c>weft.workers.died</c>: few and fixed, so a
    /// dashboard can group by them.</summary>
    public static class DeathReason
    {
        /// <summary>The worker process exited or was killed by the OS without being asked (a crash, <c>FailFast</c>,
        /// <c>kill -9</c>, out of memory).</summary>
        public const string Crashed = "crashed";

        /// <summary>The worker could not be started, or died before it was ready.</summary>
        public const string StartFailed = "start_failed";

        /// <summary>Weft ended it: <c>Terminate</c>, <c>TerminateWorkers</c>/<c>KillWorkers</c>, or a task timeout.</summary>
        public const string Terminated = "terminated";

        /// <summary>The worker broke the protocol (a malformed frame) and was dropped.</summary>
        public const string Protocol = "protocol";

        /// <summary>A silo died or stopped answering (the cluster).</summary>
        public const string SiloLost = "silo_lost";
    }

    private static IEnumerable<Measurement<int>> Observe(Func<Executor, int> read)
    {
        foreach (var (executor, _) in s_live)
        {
            yield return new Measurement<int>(read(executor), new KeyValuePair<string, object?>(ExecutorTag, executor.Name));
        }
    }
}
