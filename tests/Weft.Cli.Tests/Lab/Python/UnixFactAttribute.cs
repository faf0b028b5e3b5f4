namespace Weft.Cli.Tests.Lab.Python;

/// <summary>A test that stands in for python3 with a shell script: skipped on Windows.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "the fake interpreters are shell scripts";
        }
    }
}
