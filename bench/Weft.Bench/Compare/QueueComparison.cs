using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Weft.Threading;

namespace Weft.Bench.Compare;

/// <summary>
/// One producer thread, one consumer thread, 1,000,000 ints through a queue bounded at 1,000:
/// JoinableQueue against BlockingCollection and Channel (same run) and CPython's queue.Queue(maxsize=1000).
/// </summary>
public sealed class QueueComparison : IComparison
{
    private const int Items = 1_000_000;
    private const int Bound = 1_000;
    private const int Rounds = 3;

    private const string PythonScript = """
        import queue, threading, time
        N = 1_000_000
        def run(q):
            def produce():
                for i in range(N):
                    q.put(i)
            t = threading.Thread(target=produce)
            start = time.perf_counter()
            t.start()
            get = q.get
            for _ in range(N):
                get()
            t.join()
            return time.perf_counter() - start
        times = sorted(run(queue.Queue(maxsize=1000)) for _ in range(3))
        print(times[1])
        """;

    /// <inheritdoc/>
    public string Name => "queue";

    /// <inheritdoc/>
    public string Description => $"1 producer / 1 consumer, {Items:N0} items, bounded {Bound:N0}: JoinableQueue vs BlockingCollection, Channel, CPython queue.Queue";

    /// <inheritdoc/>
    public void Run(string[] args)
    {
        var joinable = Median(JoinableQueueRun);
        var blocking = Median(BlockingCollectionRun);
        var channel = Median(ChannelRun);
        var lifo = Median(() => JoinableQueueRun(QueueOrder.Lifo));
        var python = PythonRun();

        Console.WriteLine($"{"queue",-34} {"seconds",10} {"items/s",14}");
        Print("JoinableQueue (Fifo)", joinable);
        Print("JoinableQueue (Lifo)", lifo);
        Print("BlockingCollection", blocking);
        Print("Channel (bounded, sync waits)", channel);
        if (python is { } py)
        {
            Print("CPython queue.Queue(maxsize=1000)", py);
        }
        else
        {
            Console.WriteLine("CPython: python3 not available, skipped");
        }

        Console.WriteLine();
        Console.WriteLine($"JoinableQueue vs BlockingCollection: {blocking / joinable:F2}x (target >= 0.8x)");
        Console.WriteLine($"JoinableQueue vs Channel:            {channel / joinable:F2}x");
        if (python is { } p)
        {
            Console.WriteLine($"JoinableQueue vs CPython:            {p / joinable:F1}x (target >= 5x)");
        }
    }

    private static void Print(string name, double seconds) =>
        Console.WriteLine($"{name,-34} {seconds,10:F3} {Items / seconds,14:N0}");

    private static double Median(Func<double> run)
    {
        run(); // warm-up (JIT, tiering)
        var times = Enumerable.Range(0, Rounds).Select(_ => run()).Order().ToList();
        return times[Rounds / 2];
    }

    private static double JoinableQueueRun() => JoinableQueueRun(QueueOrder.Fifo);

    private static double JoinableQueueRun(QueueOrder order)
    {
        var queue = new JoinableQueue<int>(Bound, order);
        return Time(() =>
        {
            for (var i = 0; i < Items; i++)
            {
                queue.Put(i);
            }
        }, () =>
        {
            for (var i = 0; i < Items; i++)
            {
                queue.Get();
            }
        });
    }

    private static double BlockingCollectionRun()
    {
        using var queue = new BlockingCollection<int>(Bound);
        return Time(() =>
        {
            for (var i = 0; i < Items; i++)
            {
                queue.Add(i);
            }
        }, () =>
        {
            for (var i = 0; i < Items; i++)
            {
                queue.Take();
            }
        });
    }

    private static double ChannelRun()
    {
        var channel = Channel.CreateBounded<int>(new BoundedChannelOptions(Bound) { SingleReader = true, SingleWriter = true });
        return Time(() =>
        {
            var writer = channel.Writer;
            for (var i = 0; i < Items; i++)
            {
                if (!writer.TryWrite(i))
                {
                    writer.WriteAsync(i).AsTask().GetAwaiter().GetResult();
                }
            }
        }, () =>
        {
            var reader = channel.Reader;
            for (var i = 0; i < Items; i++)
            {
                if (!reader.TryRead(out _))
                {
                    reader.ReadAsync().AsTask().GetAwaiter().GetResult();
                }
            }
        });
    }

    private static double Time(Action produce, Action consume)
    {
        var producer = new Thread(() => produce());
        var stopwatch = Stopwatch.StartNew();
        producer.Start();
        consume();
        producer.Join();
        return stopwatch.Elapsed.TotalSeconds;
    }

    private static double? PythonRun()
    {
        var output = Python.Run(PythonScript, TimeSpan.FromMinutes(2));
        return output is null ? null : double.Parse(output.Trim(), CultureInfo.InvariantCulture);
    }
}
