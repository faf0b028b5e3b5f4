namespace Weft.Cli.Lab;

/// <summary>A figure measured several times: every run's value, their median and their range. Other load on the
/// machine only ever slows a run down, so one run tells little; the median of several is the figure quoted, and
/// the range (min to max) is how far the runs disagree: a verdict stands only where the whole range agrees.</summary>
internal sealed record Spread
{
    /// <summary>Makes a spread of some runs.</summary>
    /// <param name="runs">Each run's value, in the order they ran; at least one.</param>
    /// <exception cref="ArgumentException">No runs, or a value that is not a finite number.</exception>
    public Spread(IReadOnlyList<double> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0)
        {
            throw new ArgumentException("a spread needs at least one run", nameof(runs));
        }

        if (runs.Any(r => !double.IsFinite(r)))
        {
            throw new ArgumentException($"a run is not a finite number: {string.Join(", ", runs)}", nameof(runs));
        }

        Runs = [.. runs];
        var sorted = runs.Order().ToArray();
        var middle = sorted.Length / 2;
        Median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        Min = sorted[0];
        Max = sorted[^1];
    }

    /// <summary>The middle run (the mean of the two middle ones for an even count): the figure quoted.</summary>
    public double Median { get; }

    /// <summary>The lowest run.</summary>
    public double Min { get; }

    /// <summary>The highest run.</summary>
    public double Max { get; }

    /// <summary>Each run's value, in the order they ran.</summary>
    public IReadOnlyList<double> Runs { get; }

    /// <summary>A spread of the given runs.</summary>
    /// <param name="runs">Each run's value.</param>
    /// <returns>The spread.</returns>
    public static Spread Of(params double[] runs) => new(runs);

    /// <summary>Run by run, <paramref name="numerator"/> over <paramref name="denominator"/>: e.g. each round's
    /// sequential time over the same round's time of a strategy, its speed-up in that round.</summary>
    /// <param name="numerator">The runs on top.</param>
    /// <param name="denominator">As many runs below, none zero.</param>
    /// <returns>The spread of the ratios.</returns>
    /// <exception cref="ArgumentException">The two have different numbers of runs, or a run below is not positive.</exception>
    public static Spread Ratio(Spread numerator, Spread denominator)
    {
        ArgumentNullException.ThrowIfNull(numerator);
        ArgumentNullException.ThrowIfNull(denominator);
        if (numerator.Runs.Count != denominator.Runs.Count)
        {
            throw new ArgumentException($"{numerator.Runs.Count} runs cannot be paired with {denominator.Runs.Count}", nameof(denominator));
        }

        if (denominator.Runs.Any(r => r <= 0))
        {
            throw new ArgumentException("a run to divide by is not positive", nameof(denominator));
        }

        return new Spread([.. numerator.Runs.Zip(denominator.Runs, (a, b) => a / b)]);
    }

    /// <summary>Every run divided by the same number.</summary>
    /// <param name="divisor">A positive number.</param>
    /// <returns>The scaled spread.</returns>
    public Spread DividedBy(double divisor) => new([.. Runs.Select(r => r / divisor)]);
}
