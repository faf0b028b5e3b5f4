namespace Weft.Cli.Lab;

/// <summary>Which Python the lab runs the tutorial's programs on: <c>--python PATH</c>, <c>--no-python</c>, or python3 from PATH.</summary>
/// <param name="Skip">--no-python.</param>
/// <param name="Path">--python PATH; null means python3 from PATH.</param>
internal sealed record PythonChoice(bool Skip, string? Path)
{
    /// <summary>python3 from PATH, when there is one.</summary>
    public static PythonChoice Auto { get; } = new(false, null);

    /// <summary>.NET only.</summary>
    public static PythonChoice None { get; } = new(true, null);
}
