using System.Diagnostics;
using Weft.Diagnostics;

namespace Weft;

/// <content>The run path of in-process workers: one task on the calling thread, in the submitter's context.</content>
public abstract partial class Executor
{
    /// <summary>Runs one task on the calling worker thread, in the submitter's <see cref="ExecutionContext"/>
    /// (so <c>AsyncLocal</c> values flow as they do with <c>Task.Run</c>), with tracing and metrics. The single
    /// run path of in-process workers.</summary>
    /// <param name="future">A future taken off the queue; skipped if it was cancelled.</param>
    protected void RunOnThisThread(Future future)
    {
        if (!future.TryStart())
        {
            // A cancelled future frees its worker like any other (CPython releases its idle semaphore
            // after every work item); skipping this left the worker counted busy for good (bug 10.1).
            OnTaskReturned();
            return;
        }

        var context = future.Context;
        future.Context = null;
        if (context is null)
        {
            RunStarted(future);

            // The task ran in the worker's own context: anything it set there (an AsyncLocal) must not
            // reach the next task, as it does not with Task.Run (bug 10.2).
            if (!ReferenceEquals(ExecutionContext.Capture(), s_defaultContext))
            {
                ExecutionContext.Restore(s_defaultContext!);
            }
        }
        else
        {
            ExecutionContext.Run(context, s_runStarted, future);
        }
    }

    /// <summary>Called on the worker after a task returned or threw and before its outcome is published:
    /// the thread pool marks the worker idle here, so a caller woken by the result finds it reusable.</summary>
    internal virtual void OnTaskReturned()
    {
    }

    /// <summary>The empty context (no AsyncLocal set): a task submitted under it runs without the cost of
    /// switching contexts. Read off a thread started without flowing any context.</summary>
    private static readonly ExecutionContext? s_defaultContext = CaptureEmptyContext();

    private static ExecutionContext? CaptureEmptyContext()
    {
        ExecutionContext? captured = null;
        var thread = new Thread(() => captured = ExecutionContext.Capture());
        thread.UnsafeStart();
        thread.Join();
        return captured;
    }

    private static readonly ContextCallback s_runStarted = static state =>
    {
        var future = (Future)state!;
        future.Owner!.RunStarted(future);
    };

    private void RunStarted(Future future)
    {
        WorkerTrace.TaskStarted(future);
        var started = ExecutorMetrics.TimingEnabled ? Stopwatch.GetTimestamp() : 0;
        if (future.RunUnpublished(ShutdownToken))
        {
            // The worker counts as idle before the outcome is published, so a caller woken by the result
            // reuses it instead of starting a thread (CPython's test_idle_thread_reuse). Not so when user
            // callbacks will run here: one that submits and waits must be able to get a new worker. The
            // callbacks are sealed before that choice, so none can slip in after it (bug 10.11).
            future.PublishOutcome(this);
        }
        else
        {
            OnTaskReturned();
        }

        var error = future.Error;
        ExecutorMetrics.Finished(this, error is not null, started);
        WorkerTrace.TaskFinished(future, error);
    }
}
