namespace Weft.Cli.Lab;

/// <summary>The tasks a process pool runs: static methods with plain arguments, so they cross the process boundary.</summary>
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

    /// <summary>Starts a process pool and waits until its workers have run a task each, so the timed runs
    /// measure the work and not process start-up (which the note reports).</summary>
    /// <param name="workers">How many processes.</param>
    /// <param name="startupSeconds">How long starting took.</param>
    /// <returns>The warm pool.</returns>
    public static ProcessPoolExecutor StartWarmPool(int workers, out double startupSeconds)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        var pool = new ProcessPoolExecutor(workers);
        pool.Map(SleepMilliseconds, Enumerable.Repeat(50, workers * 2)).Consume();
        startupSeconds = Demos.Clock.Seconds(start);
        return pool;
    }
}
