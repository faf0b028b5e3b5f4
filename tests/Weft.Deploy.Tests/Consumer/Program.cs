using System.Diagnostics;
using Weft;

// What a user writes: the first line of Main. In a worker process started by the pool it runs the worker and
// never returns. The test also runs the app without it, to see the pool's one-sentence advice.
if (args is not ["--without-freeze-support", ..])
{
    ProcessPoolExecutor.FreezeSupport();
}

var clock = Stopwatch.StartNew();
using var pool = new ProcessPoolExecutor(maxWorkers: 2);
var workerId = pool.Submit(static () => Environment.ProcessId).Result();
var firstResult = clock.Elapsed.TotalMilliseconds;
var squares = pool.Map(static (int n) => n * n, Enumerable.Range(1, 20)).ToArray();
var shout = pool.Submit(static (string s) => s.ToUpperInvariant(), "weft").Result();
var sum = pool.Submit(static (long[] values) => values.Sum(), new long[] { 1, 2, 3, 4 }).Result();

Console.WriteLine($"first-result-ms={firstResult.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)}");
Console.WriteLine($"squares={string.Join(',', squares)}");
Console.WriteLine($"shout={shout}");
Console.WriteLine($"sum={sum}");
Console.WriteLine($"worker-is-another-process={workerId != Environment.ProcessId}");
