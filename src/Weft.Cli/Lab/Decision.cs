namespace Weft.Cli.Lab;

/// <summary>The rule that turns repeated runs into a verdict: a claim holds only when every run says so, fails
/// only when every run contradicts it, and is not decided when the runs fall on both sides of its threshold.
/// The median is the figure quoted; the range (min to max over the runs) is what decides. Pure.</summary>
internal static class Decision
{
    /// <summary>A claim that the figure reaches <paramref name="threshold"/> ("speeds up": at least 1.25x).</summary>
    /// <param name="runs">The figure's runs.</param>
    /// <param name="threshold">What it must reach.</param>
    /// <returns>true if the lowest run reaches it; false if even the highest stays below; null (not decided) otherwise.</returns>
    public static bool? AtLeast(Spread runs, double threshold)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return runs.Min >= threshold ? true : runs.Max < threshold ? false : null;
    }

    /// <summary>A claim that the figure stays below <paramref name="threshold"/> ("no faster": under 1.25 cores busy).</summary>
    /// <param name="runs">The figure's runs.</param>
    /// <param name="threshold">What it must stay under.</param>
    /// <returns>true if the highest run stays below it; false if even the lowest reaches it; null (not decided) otherwise.</returns>
    public static bool? Below(Spread runs, double threshold)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return runs.Max < threshold ? true : runs.Min >= threshold ? false : null;
    }

    /// <summary>A decision about CPU-bound work on a busy machine: other processes took cores, which lowers
    /// speed-ups and cores busy, and under load threads that wait and wake (as under a GIL) get the cores before
    /// one busy thread, which raises speed-ups. Only a figure that load could not have produced stands: threads
    /// that kept at least the threshold of cores busy in every run did run in parallel (load takes cores away, it
    /// never adds them). Everything else is not decided.</summary>
    /// <param name="decision">The decision on an idle machine's terms.</param>
    /// <param name="busy">Whether the machine was busy during the runs.</param>
    /// <param name="parallelRegardless">Whether the decision is "ran in parallel" read off cores busy, the one load cannot fake.</param>
    /// <returns>The decision, or null when the load makes it unreliable.</returns>
    public static bool? OnBusyMachine(bool? decision, bool busy, bool parallelRegardless) =>
        !busy || parallelRegardless ? decision : null;
}
