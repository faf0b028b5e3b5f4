using Weft.Threading;

namespace Weft.Cli.Demos;

internal sealed partial class LocksDemo
{
    private static void ConditionProducerConsumer(TextWriter output, DemoOptions options)
    {
        // threading.Condition(): the consumer sleeps until the producer says there is something to take.
        var condition = new Condition();
        var items = new Queue<int>();
        var consumer = new Thread(() =>
        {
            for (var k = 0; k < 3; k++)
            {
                using (condition.Acquire())
                {
                    if (!condition.WaitFor(() => items.Count > 0, TimeSpan.FromSeconds(30)))
                    {
                        output.WriteLine("  consumer gave up waiting");
                        return;
                    }

                    output.WriteLine($"  consumer took item {items.Dequeue()}");
                }
            }
        });
        consumer.Start();

        for (var k = 1; k <= 3; k++)
        {
            options.Sleep(0.2);
            using (condition.Acquire())
            {
                items.Enqueue(k);
                output.WriteLine($"  producer put item {k} and notifies");
                condition.Notify();
            }
        }

        consumer.Join();
        output.WriteLine("Condition: the consumer waited (WaitFor) until each item was there, woken by Notify");
    }
}
