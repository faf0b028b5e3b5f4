namespace Weft.Cli.Lab;

/// <summary>One claim of the tutorial and whether it holds on this machine.</summary>
/// <param name="Id">A stable identifier.</param>
/// <param name="Claim">The claim, as the tutorial makes it.</param>
/// <param name="Outcome">holds, does-not-hold, demonstration or not-measured.</param>
/// <param name="Figure">The figure that decides it.</param>
/// <param name="Evidence">The experiment ids it is computed from.</param>
/// <param name="Comment">Why, especially where .NET differs from CPython.</param>
internal sealed record Verdict(string Id, string Claim, string Outcome, string Figure, IReadOnlyList<string> Evidence, string? Comment = null)
{
    public const string Holds = "holds";
    public const string DoesNotHold = "does-not-hold";

    /// <summary>Shown, not tested: the figure holds by construction (the simulated lock, an API contract).</summary>
    public const string Demonstration = "demonstration";

    public const string NotMeasured = "not-measured";
}
