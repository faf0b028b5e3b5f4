using System.Diagnostics;

namespace Weft.Cli.Demos;

/// <summary>The tutorial's <c>time.perf_counter()</c> timing line.</summary>
internal static class Clock
{
    /// <summary>Python's <c>f'Finished in {round(finish-start, 2)} seconds'</c>.</summary>
    /// <param name="start">A <see cref="Stopwatch.GetTimestamp"/> taken at the start.</param>
    /// <returns>The line to print.</returns>
    public static string Finished(long start) =>
        $"Finished in {Stopwatch.GetElapsedTime(start).TotalSeconds:F2} seconds";

    /// <summary>Seconds since <paramref name="start"/>.</summary>
    /// <param name="start">A <see cref="Stopwatch.GetTimestamp"/>.</param>
    /// <returns>The elapsed seconds.</returns>
    public static double Seconds(long start) => Stopwatch.GetElapsedTime(start).TotalSeconds;
}
