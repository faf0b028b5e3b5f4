using System.Diagnostics;

namespace Weft.Bench.Compare;

/// <summary>Runs a CPython script when python3 is on PATH, for the CPython side of a comparison.</summary>
public static class Python
{
    /// <summary>Runs <paramref name="script"/> with python3 and returns its stdout, or null when python3 is absent or fails.</summary>
    public static string? Run(string script, TimeSpan timeout)
    {
        var path = Path.Combine(Path.GetTempPath(), $"weft-bench-{Guid.NewGuid():N}.py");
        File.WriteAllText(path, script);
        try
        {
            var psi = new ProcessStartInfo("python3", path) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi);
            if (p is null)
            {
                return null;
            }

            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(timeout))
            {
                p.Kill(entireProcessTree: true);
                return null;
            }

            if (p.ExitCode != 0)
            {
                Console.Error.WriteLine($"python3 failed ({p.ExitCode}): {stderr.Result}");
                return null;
            }

            return stdout.Result;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
