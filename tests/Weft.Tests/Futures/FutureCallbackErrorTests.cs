using static Weft.Tests.Futures.TestFutures;

namespace Weft.Tests.Futures;

/// <summary>Tests that redirect <see cref="Console.Error"/>, so they never run beside other tests.</summary>
[CollectionDefinition(nameof(FuturesConsoleCollection), DisableParallelization = true)]
public sealed class FuturesConsoleCollection;

/// <summary>A failing done-callback is reported, never propagated (checklist F17).</summary>
[Collection(nameof(FuturesConsoleCollection))]
public sealed class FutureCallbackErrorTests
{
    [Fact]
    public void AddDoneCallback_CallbackThrowsOnCompletion_ReportedAndLaterCallbacksStillRun()
    {
        var future = Running();
        var secondRan = false;
        future.AddDoneCallback(_ => throw new InvalidOperationException("doh!"));
        future.AddDoneCallback(_ => secondRan = true);

        var report = CaptureStandardError(() => Assert.True(future.TrySetResult(5)));

        Assert.True(secondRan);
        Assert.Equal(5, future.Result(TimeSpan.Zero));
        Assert.Contains("exception calling callback for <Future", report, StringComparison.Ordinal);
        Assert.Contains("doh!", report, StringComparison.Ordinal);
    }

    [Fact]
    public void AddDoneCallback_CallbackThrowsWhenAddedAfterCompletion_ReportedNotThrown()
    {
        var future = Succeeded(5);

        var report = CaptureStandardError(() => future.AddDoneCallback(_ => throw new InvalidOperationException("doh!")));

        Assert.Equal(5, future.Result(TimeSpan.Zero));
        Assert.Contains("doh!", report, StringComparison.Ordinal);
    }

    [Fact]
    public void Submit_CallbackThrowsOnWorker_FutureAndPoolUnaffected()
    {
        using var executor = new ThreadPoolExecutor(1);
        using var gate = new ManualResetEventSlim();
        using var ran = new ManualResetEventSlim();
        var future = executor.Submit(() =>
        {
            gate.WaitOrFail();
            return 1;
        });
        future.AddDoneCallback(_ => throw new InvalidOperationException("doh!"));
        future.AddDoneCallback(_ => ran.Set());

        var report = CaptureStandardError(() =>
        {
            gate.Set();
            ran.WaitOrFail();
        });

        Assert.Equal(1, future.Result(Long));
        Assert.Equal(2, executor.Submit(static () => 2).Result(Long));
        Assert.Contains("doh!", report, StringComparison.Ordinal);
    }

    private static string CaptureStandardError(Action action)
    {
        var previous = Console.Error;
        using var writer = new StringWriter();
        Console.SetError(TextWriter.Synchronized(writer));
        try
        {
            action();
        }
        finally
        {
            Console.SetError(previous);
        }

        return writer.ToString();
    }
}
