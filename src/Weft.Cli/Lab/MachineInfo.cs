namespace Weft.Cli.Lab;

/// <summary>The machine the lab ran on.</summary>
/// <param name="Cores">Logical processors.</param>
/// <param name="Os">The operating system.</param>
/// <param name="Dotnet">The .NET runtime version.</param>
/// <param name="Architecture">The process architecture.</param>
internal sealed record MachineInfo(int Cores, string Os, string Dotnet, string Architecture)
{
    /// <summary>The CPython version the Python rows ran on; null when no CPython ran.</summary>
    public string? Python { get; init; }

    /// <summary>Whether that CPython ran with its GIL (false only on a free-threaded build without it); null when no CPython ran.</summary>
    public bool? GilEnabled { get; init; }

    /// <summary>The one-minute load average when the run started (Linux): above <see cref="Cores"/>, other work competed for the cores.
    /// (At the end it would count the lab's own CPU-bound threads.)</summary>
    public double? LoadAverage { get; init; }

    /// <summary>This machine.</summary>
    public static MachineInfo Current { get; } = new(
        Environment.ProcessorCount,
        System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        Environment.Version.ToString(),
        System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString());
}
