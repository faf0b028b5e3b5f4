namespace Weft.Cli.Lab;

/// <summary>One claim of the tutorial and whether it holds on this machine.</summary>
/// <param name="Id">A stable identifier.</param>
/// <param name="Claim">The claim, as the tutorial makes it.</param>
/// <param name="Outcome">holds, does-not-hold, not-decided, demonstration or not-measured.</param>
/// <param name="Figure">The figure that decides it: the median, with the runs' range.</param>
/// <param name="Evidence">The experiment ids it is computed from.</param>
/// <param name="Comment">Why, especially where .NET differs from CPython.</param>
internal sealed record Verdict(string Id, string Claim, string Outcome, string Figure, IReadOnlyList<string> Evidence, string? Comment = null)
{
    public const string Holds = "holds";
    public const string DoesNotHold = "does-not-hold";

    /// <summary>The runs neither confirm nor contradict the claim: they fall on both sides of its threshold, or the
    /// machine was too busy for the figure to mean anything (see <see cref="Reason"/>).</summary>
    public const string NotDecided = "not-decided";

    /// <summary>Shown, not tested: the figure holds by construction (the simulated lock, an API contract).</summary>
    public const string Demonstration = "demonstration";

    public const string NotMeasured = "not-measured";

    /// <summary>Why it is not decided ("the machine was busy (load 12.7 ...)"); null otherwise.</summary>
    public string? Reason { get; init; }
}
