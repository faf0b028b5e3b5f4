namespace Weft.Cli.Demos;

/// <summary>A demo whose building block is missing from this build: it says so and fails, never fakes numbers.</summary>
internal sealed class UnavailableDemo(string name, string section, string description, string missing) : IDemo
{
    public string Name => name;

    public string Section => section;

    public string Description => description;

    public int Run(TextWriter output, DemoOptions options)
    {
        output.WriteLine($"weft demo {name}: not available in this build ({missing} is missing).");
        return 1;
    }
}
