namespace Weft.Cli.Lab;

/// <summary>Small pieces the experiments share.</summary>
internal static class LabThreads
{
    /// <summary>The tutorial's pattern: start <paramref name="count"/> threads on <paramref name="target"/>, then join them all.</summary>
    /// <param name="count">How many threads.</param>
    /// <param name="target">What each runs.</param>
    public static void StartAndJoin(int count, Action target)
    {
        var threads = new List<Thread>(count);
        for (var i = 0; i < count; i++)
        {
            var t = new Thread(() => target());
            t.Start();
            threads.Add(t);
        }

        foreach (var t in threads)
        {
            t.Join();
        }
    }

    /// <summary>Iterates a lazy sequence to the end (Map's results are lazy).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="source">The sequence.</param>
    public static void Consume<T>(this IEnumerable<T> source)
    {
        foreach (var _ in source)
        {
        }
    }
}
