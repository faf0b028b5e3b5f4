using BenchmarkDotNet.Attributes;

namespace Weft.Bench.Micro;

/// <summary>The cost of a future's own machinery, without any thread hand-off: complete, callbacks, AsTask,
/// against a TaskCompletionSource as the baseline.</summary>
[MemoryDiagnoser]
public class FutureBenchmarks
{
    private static readonly Action<Future> s_callback = static _ => { };

    [Benchmark(Baseline = true)]
    public int TaskCompletionSource()
    {
        var source = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        source.SetResult(1);
        return source.Task.Result;
    }

    [Benchmark]
    public int SetResultThenResult()
    {
        var future = new Future<int>(null, null);
        future.TryStart();
        future.TrySetResult(1);
        return future.Result();
    }

    [Benchmark]
    public int WithTwoCallbacks()
    {
        var future = new Future<int>(null, null);
        future.AddDoneCallback(s_callback);
        future.AddDoneCallback(s_callback);
        future.TrySetResult(1);
        return future.Result();
    }

    [Benchmark]
    public int AsTaskAfterCompletion()
    {
        var future = new Future<int>(null, null);
        future.TrySetResult(1);
        return future.AsTask().Result;
    }
}
