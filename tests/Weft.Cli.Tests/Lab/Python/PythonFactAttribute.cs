using Weft.Cli.Lab.Python;

namespace Weft.Cli.Tests.Lab.Python;

/// <summary>A test that runs the real python3: skipped, with the reason in the test output, where PATH has none
/// (xunit 2 has no dynamic skip, so the attribute decides when the tests are discovered).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PythonFactAttribute : FactAttribute
{
    public PythonFactAttribute()
    {
        if (CPython.FindOnPath() is null)
        {
            Skip = $"no {CPython.DefaultName} on PATH: the CPython side of weft lab is not tested here";
        }
    }

    /// <summary>The test wraps python3 in a shell script (e.g. to limit its memory): skipped on Windows too.</summary>
    public bool UnixOnly
    {
        get => false;
        init
        {
            if (value && OperatingSystem.IsWindows())
            {
                Skip ??= "the test wraps python3 in a shell script";
            }
        }
    }
}
