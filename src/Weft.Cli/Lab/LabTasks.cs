using System.Diagnostics;
using Weft.Cli.Demos;

namespace Weft.Cli.Lab;

/// <summary>The tasks a process pool runs (static methods with plain arguments, so they cross the process
/// boundary), and the pool trials every workload shares.</summary>
internal static class LabTasks
{
    private static readonly HttpClient s_http = new();

    /// <summary>Waits, as an IO-bound task does.</summary>
    /// <param name="milliseconds">How long.</param>
    /// <returns><paramref name="milliseconds"/>.</returns>
    public static int SleepMilliseconds(int milliseconds)
    {
        Thread.Sleep(milliseconds);
        return milliseconds;
    }

    /// <summary>Fetches a URL and counts its bytes: <c>requests.get(url).content</c>.</summary>
    /// <param name="url">The URL.</param>
    /// <returns>The body's length.</returns>
    public static int Fetch(string url)
    {
        using var response = s_http.Send(new HttpRequestMessage(HttpMethod.Get, url));
        response.EnsureSuccessStatusCode();
        using var body = response.Content.ReadAsStream();
        var buffer = new byte[81920];
        int read, total = 0;
        while ((read = body.Read(buffer)) > 0)
        {
            total += read;
        }

        return total;
    }

    /// <summary>A thread pool timed as the tutorial's <c>with ThreadPoolExecutor() as executor:</c> block (created,
    /// used, shut down). No warm pool beside it: a thread pool starts its threads in microseconds.</summary>
    /// <param name="work">What the pool does.</param>
    /// <returns>The trial.</returns>
    public static Trial ThreadPoolTrial(Action<ThreadPoolExecutor> work) =>
        new(
            () =>
            {
                using var executor = new ThreadPoolExecutor();
                work(executor);
            },
            note: () => "pool start-up timed (the tutorial's with block)");

    /// <summary>A process pool timed as the tutorial's <c>with ProcessPoolExecutor() as executor:</c> block
    /// (processes started, used, shut down); with <paramref name="timeWarm"/>, the same work on a pool already
    /// running is timed beside it, and how long that pool took to start is noted.</summary>
    /// <param name="workers">How many processes.</param>
    /// <param name="work">What the pool does; only static methods cross to the workers.</param>
    /// <param name="timeWarm">Whether to time the work on a warm pool too.</param>
    /// <returns>The trial.</returns>
    public static Trial ProcessPoolTrial(int workers, Action<ProcessPoolExecutor> work, bool timeWarm = false)
    {
        void Cold()
        {
            using var pool = new ProcessPoolExecutor(workers);
            work(pool);
        }

        if (!timeWarm)
        {
            return new Trial(Cold, note: () => "pool start-up timed (the tutorial's with block)");
        }

        var start = Stopwatch.GetTimestamp();
        var warm = new ProcessPoolExecutor(workers);
        warm.Map(SleepMilliseconds, Enumerable.Repeat(50, workers * 2)).Consume(); // every worker started
        var startup = Math.Max(0, Clock.Seconds(start) - 0.1); // less the two rounds of 50 ms sleeps
        return new Trial(
            Cold,
            warm,
            () => $"pool start-up timed (the tutorial's with block); starting {workers} workers took {startup:F2} s; the claim is judged on the warm pool",
            () => work(warm));
    }
}
