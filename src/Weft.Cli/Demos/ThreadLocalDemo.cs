using System.Diagnostics;

namespace Weft.Cli.Demos;

/// <summary>"Thread Safety": <c>threading.local()</c> is <see cref="ThreadLocal{T}"/>.</summary>
internal sealed class ThreadLocalDemo : IDemo
{
    public string Name => "thread-local";

    public string Section => "Thread Safety: thread-local storage";

    public string Description => "each thread sees its own value";

    public int Run(TextWriter output, DemoOptions options)
    {
        var start = Stopwatch.GetTimestamp();

        // mydata = threading.local()
        using var myData = new ThreadLocal<string>(() => "(unset)");
        myData.Value = "main";

        void Worker(string name)
        {
            output.WriteLine($"{name} starts and sees: {myData.Value}");
            myData.Value = name;
            options.Sleep(0.2);
            output.WriteLine($"{name} set its own value and still sees: {myData.Value}");
        }

        var threads = new[] { "thread-1", "thread-2", "thread-3" }
            .Select(name => new Thread(() => Worker(name)) { Name = name })
            .ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        output.WriteLine($"main still sees: {myData.Value}");
        output.WriteLine(Clock.Finished(start));
        return 0;
    }
}
