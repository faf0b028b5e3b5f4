using BenchmarkDotNet.Attributes;

namespace Weft.Bench.Micro;

/// <summary>Per-task cost of submit+result in batches, Weft against raw Task.Run as the baseline.</summary>
/// <remarks>Run: <c>dotnet run -c Release --project bench/Weft.Bench -- --filter *ExecutorBenchmarks*</c>.</remarks>
[MemoryDiagnoser]
public class ExecutorBenchmarks
{
    private const int Batch = 10_000;
    private static readonly Func<int> s_trivial = static () => 1;
    private readonly Future<int>[] _futures = new Future<int>[Batch];
    private readonly Task<int>[] _tasks = new Task<int>[Batch];
    private ThreadPoolExecutor _executor = null!;

    [GlobalSetup]
    public void Setup() => _executor = new ThreadPoolExecutor();

    [GlobalCleanup]
    public void Cleanup() => _executor.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public long TaskRun()
    {
        for (var i = 0; i < Batch; i++)
        {
            _tasks[i] = Task.Run(s_trivial);
        }

        long sum = 0;
        foreach (var task in _tasks)
        {
            sum += task.Result;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public long WeftSubmit()
    {
        for (var i = 0; i < Batch; i++)
        {
            _futures[i] = _executor.Submit(s_trivial);
        }

        long sum = 0;
        foreach (var future in _futures)
        {
            sum += future.Result();
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public long WeftMapBuffered()
    {
        long sum = 0;
        foreach (var value in _executor.Map(static (int x) => x, Enumerable.Range(0, Batch), bufferSize: 256))
        {
            sum += value;
        }

        return sum;
    }
}
