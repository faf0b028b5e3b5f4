using Weft.Diagnostics;

namespace Weft;

/// <content>The clock the executor's futures time their waits against, and the asynchronous end of <c>DisposeAsync</c>.</content>
public abstract partial class Executor
{
    /// <summary>The clock behind <c>Result(timeout)</c>, <c>Wait(timeout)</c> and <c>Map(timeout)</c> of this
    /// executor's futures: <see cref="TimeProvider.System"/>, or a fake one in tests.</summary>
    internal TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Runs a future on the calling thread as a worker would (for systematic tests of the worker accounting).</summary>
    internal void RunOnThisThreadForTest(Future future) => RunOnThisThread(future);

    private async ValueTask WhenDisposed()
    {
        await Stopped.ConfigureAwait(false);
        ExecutorMetrics.Untrack(this);
        GC.SuppressFinalize(this);
    }
}
