namespace Weft.Bench.Compare;

/// <summary>
/// A side-by-side measurement: Weft and its baselines (raw .NET, CPython via python3 when present)
/// measured in the same run, reported as ratios because the machines are noisy.
/// Implementations are discovered by reflection, one file each.
/// </summary>
public interface IComparison
{
    /// <summary>The name given after <c>compare</c> on the command line.</summary>
    string Name { get; }

    /// <summary>One line saying what is compared.</summary>
    string Description { get; }

    /// <summary>Runs the comparison and prints its table and ratios.</summary>
    void Run(string[] args);
}
