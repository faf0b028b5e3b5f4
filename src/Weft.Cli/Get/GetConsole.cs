namespace Weft.Cli.Get;

/// <summary>Where <c>weft get</c> reads and writes, so tests can run it in-process.</summary>
/// <param name="In">Standard input (for <c>-i -</c>).</param>
/// <param name="Out">Standard output: the summary, or JSON Lines with <c>--json</c>.</param>
/// <param name="Error">Standard error: warnings, list errors, progress lines off a terminal.</param>
/// <param name="Interactive">Whether standard output is a terminal (live progress display).</param>
internal sealed record GetConsole(TextReader In, TextWriter Out, TextWriter Error, bool Interactive)
{
    public static GetConsole System => new(Console.In, Console.Out, Console.Error, !Console.IsOutputRedirected);
}
