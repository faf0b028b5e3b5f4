namespace Weft.Cli.Demos;

/// <summary>One section of the threading tutorial, runnable as C#.</summary>
internal interface IDemo
{
    /// <summary>The name given to <c>weft demo</c>.</summary>
    string Name { get; }

    /// <summary>The tutorial section it follows.</summary>
    string Section { get; }

    /// <summary>One line saying what it shows.</summary>
    string Description { get; }

    /// <summary>Runs the demo, printing what the Python version prints.</summary>
    /// <param name="output">Where to print; may be written from several threads at once, so callers pass a synchronized writer.</param>
    /// <param name="options">Speed and lifetime settings.</param>
    /// <returns>The exit code: 0 when the demo ran.</returns>
    int Run(TextWriter output, DemoOptions options);
}
