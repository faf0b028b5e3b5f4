namespace Weft.Cli.Lab;

/// <summary>The machine the lab ran on.</summary>
internal sealed record MachineInfo(int Cores, string Os, string Dotnet, string Architecture)
{
    /// <summary>This machine.</summary>
    public static MachineInfo Current { get; } = new(
        Environment.ProcessorCount,
        System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        Environment.Version.ToString(),
        System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString());
}
