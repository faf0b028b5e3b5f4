namespace Weft.Cli.Lab;

/// <summary>Where an experiment ran: the names used in results.json.</summary>
internal static class Runtimes
{
    public const string DotNet = "dotnet";
    public const string CPython = "cpython";

    /// <summary>A label for tables and the chart.</summary>
    /// <param name="runtime">A runtime name.</param>
    /// <returns>The label.</returns>
    public static string Label(string runtime) => runtime switch
    {
        DotNet => ".NET",
        CPython => "CPython",
        _ => runtime,
    };
}
