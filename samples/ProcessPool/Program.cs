using System.Diagnostics;
using Weft;

// The tutorial's CPU-bound example: the same heavy loop four times, sequentially, on a thread pool and on a
// process pool. In .NET threads already run in parallel (there is no GIL); the process pool is for work that
// must be isolated (a crash breaks only the pool) or that uses libraries that are not thread-safe.
const long N = 100_000_000;
var inputs = Enumerable.Repeat(N, 4).ToArray();

var watch = Stopwatch.StartNew();
var sequential = inputs.Select(SumRange).ToList();
Console.WriteLine($"sequential:          {watch.Elapsed.TotalSeconds:F2} s");

using (var threads = new ThreadPoolExecutor())
{
    watch.Restart();
    var onThreads = threads.Map(SumRange, inputs).ToList();
    Console.WriteLine($"ThreadPoolExecutor:  {watch.Elapsed.TotalSeconds:F2} s");
}

using (var processes = new ProcessPoolExecutor())
{
    watch.Restart();
    var onProcesses = processes.Map(SumRange, inputs).ToList();   // SumRange runs in worker processes
    Console.WriteLine($"ProcessPoolExecutor: {watch.Elapsed.TotalSeconds:F2} s on {processes.MaxWorkers} workers");
    Console.WriteLine(onProcesses.SequenceEqual(sequential) ? "same results" : "DIFFERENT RESULTS");

    // A task's console output is yours, as in Python: it appears here (results travel on a channel of their own).
    processes.Submit(static () => Console.WriteLine($"hello from worker process {Environment.ProcessId}")).Wait();

    // Async functions run in the worker and are awaited there; their value comes back.
    var length = await processes.Submit(static async (string text) =>
    {
        await Task.Delay(10);
        return text.Length;
    }, "weft").Result();
    Console.WriteLine($"async task in a worker returned {length}");

    // A lambda that captures a variable cannot be sent to another process: refused at once, not at run time.
    var offset = 1;
    try
    {
        _ = processes.Submit(() => SumRange(N) + offset);
    }
    catch (ArgumentException e)
    {
        Console.WriteLine($"refused: {e.Message.Split('.')[0]}");
    }
}

static long SumRange(long n)
{
    long sum = 0;
    for (long i = 0; i < n; i++)
    {
        sum += i;
    }

    return sum;
}
