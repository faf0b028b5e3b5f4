using System.Diagnostics;
using Weft.Threading;

namespace Weft.Cli.Demos;

/// <summary>"Thread Safety: queue.Queue() is thread-safe": producer/consumer with TaskDone and Join.</summary>
internal sealed class QueueDemo : IDemo
{
    public string Name => "queue";

    public string Section => "Thread Safety: queue.Queue";

    public string Description => "producer/consumer over JoinableQueue with TaskDone/Join";

    public int Run(TextWriter output, DemoOptions options)
    {
        var start = Stopwatch.GetTimestamp();

        // q = queue.Queue()
        var q = new JoinableQueue<int>();
        var processed = 0;

        void Worker(string name)
        {
            try
            {
                while (true)
                {
                    var item = q.Get();
                    output.WriteLine($"{name} working on item {item}");
                    options.Sleep(0.2);
                    Interlocked.Increment(ref processed);
                    q.TaskDone();
                }
            }
            catch (QueueShutDownException)
            {
                // Python 3.13's Queue.shutdown(): get() raises ShutDown once the queue is empty.
                output.WriteLine($"{name} stops: the queue was shut down");
            }
        }

        var workers = Enumerable.Range(1, 3).Select(i => new Thread(() => Worker($"worker-{i}")) { IsBackground = true }).ToList();
        workers.ForEach(w => w.Start());

        for (var item = 1; item <= 9; item++)
        {
            q.Put(item);
        }

        output.WriteLine("All 9 items queued; q.Join() blocks until every item has had TaskDone()...");
        q.Join();
        output.WriteLine($"All work completed: {processed} items by 3 workers.");

        q.Shutdown();
        workers.ForEach(w => w.Join());
        output.WriteLine(Clock.Finished(start));
        return 0;
    }
}
