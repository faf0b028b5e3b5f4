using System.Diagnostics;

namespace Weft.Tests.Futures;

/// <summary>Futures in a chosen state, made through the internal API (as an executor would), and shared timeouts.</summary>
internal static class TestFutures
{
    /// <summary>The bound for every blocking wait in these tests: long enough never to be hit unless something is broken.</summary>
    public static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    /// <summary>A wait that is expected to time out (the outcome never depends on it being short).</summary>
    public static readonly TimeSpan Short = TimeSpan.FromMilliseconds(50);

    public static Future<T> Pending<T>() => new(null, null);

    public static Future<int> Pending() => Pending<int>();

    public static Future<int> Running()
    {
        var future = Pending();
        Assert.True(future.TryStart());
        return future;
    }

    public static Future<T> Succeeded<T>(T value)
    {
        var future = Pending<T>();
        Assert.True(future.TryStart());
        Assert.True(future.TrySetResult(value));
        return future;
    }

    public static Future<int> Failed(Exception error)
    {
        var future = Pending();
        Assert.True(future.TryStart());
        Assert.True(future.TrySetException(error));
        return future;
    }

    public static Future<int> Cancelled()
    {
        var future = Pending();
        Assert.True(future.Cancel());
        return future;
    }

    /// <summary>Occupies one worker of <paramref name="executor"/> until <paramref name="gate"/> opens, and returns once
    /// that task is running, so later submissions queue behind it.</summary>
    public static Future Occupy(this Executor executor, ManualResetEventSlim gate)
    {
        using var started = new ManualResetEventSlim();
        var running = executor.Submit(() =>
        {
            started.Set();
            gate.WaitOrFail();
        });
        started.WaitOrFail();
        return running;
    }

    /// <summary>Waits on <paramref name="gate"/> with the long bound, failing the test instead of hanging.</summary>
    public static void WaitOrFail(this ManualResetEventSlim gate)
    {
        if (!gate.Wait(Long))
        {
            throw new TimeoutException("test gate was never opened");
        }
    }

    /// <summary>Waits on <paramref name="countdown"/> with the long bound, failing the test instead of hanging.</summary>
    public static void WaitOrFail(this CountdownEvent countdown)
    {
        if (!countdown.Wait(Long))
        {
            throw new TimeoutException($"countdown stuck at {countdown.CurrentCount}");
        }
    }

    /// <summary>Waits (bounded) for <paramref name="task"/> to succeed.</summary>
    public static void Finish(Task task)
    {
        Assert.True(task.Wait(Long), "the operation did not complete");
    }

    /// <summary>Waits (bounded) for <paramref name="task"/> to succeed and returns its result.</summary>
    public static T Finish<T>(Task<T> task)
    {
        Assert.True(task.Wait(Long), "the operation did not complete");
        return task.Result;
    }

    /// <summary>Waits (bounded) for <paramref name="task"/> to fail or be canceled and returns its (single) exception.</summary>
    public static Exception FinishFaulted(Task task)
    {
        try
        {
            task.Wait(Long);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            return e.InnerExceptions[0];
        }

        throw new Xunit.Sdk.XunitException(task.IsCompleted ? "the operation succeeded but should have failed" : "the operation did not complete");
    }

    /// <summary>Asserts that <paramref name="task"/> has not completed after a short bounded wait.</summary>
    public static void AssertNotCompleted(Task task)
    {
        Assert.False(task.Wait(Short), "the operation completed but should still be blocked");
    }

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds; for state published by another thread without a signal.</summary>
    public static void WaitUntil(Func<bool> condition, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        var spinner = default(SpinWait);
        while (!condition())
        {
            if (stopwatch.Elapsed > Long)
            {
                throw new TimeoutException($"timed out waiting until {what}");
            }

            spinner.SpinOnce();
        }
    }
}
