namespace Weft.Processes;

/// <summary>
/// A value that only at run time shows it cannot cross (a subclass instance, a comparer outside the closed set, a
/// cycle). Each object it sits in adds its member to <see cref="Path"/>, so the message names where it was met.
/// Submit turns it into an <see cref="ArgumentException"/> before anything runs.
/// </summary>
internal sealed class CrossingRefusedException : NotSupportedException
{
    private readonly string _reason;

    public CrossingRefusedException(string reason)
        : base(reason) => _reason = reason;

    public CrossingRefusedException()
        : this("the value cannot cross")
    {
    }

    public CrossingRefusedException(string reason, Exception innerException)
        : base(reason, innerException) => _reason = reason;

    /// <summary>Gets where the value was met, outermost first (<c>Order.Lines</c>), or empty at the top.</summary>
    public string Path { get; private set; } = "";

    /// <inheritdoc/>
    public override string Message => Path.Length == 0 ? Capitalize(_reason) : $"{Path}: {_reason}";

    /// <summary>Adds the member the value sat in, as the new outermost step.</summary>
    public CrossingRefusedException In(string member)
    {
        Path = Path.Length == 0 ? member : $"{member} > {Path}";
        return this;
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
