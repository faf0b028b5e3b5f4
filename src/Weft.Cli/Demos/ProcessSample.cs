using System.Diagnostics;
using System.Globalization;

namespace Weft.Cli.Demos;

/// <summary>This process's resident memory and thread count, read cheaply.</summary>
/// <param name="WorkingSet">Resident memory in bytes.</param>
/// <param name="Threads">Operating-system threads.</param>
internal readonly record struct ProcessSample(long WorkingSet, int Threads)
{
    /// <summary>Samples now. On Linux it reads <c>/proc/self/status</c>, because
    /// <see cref="Process.Threads"/> builds an object per thread, too slow with 10,000 of them.</summary>
    /// <returns>The sample.</returns>
    public static ProcessSample Take()
    {
        if (OperatingSystem.IsLinux())
        {
            long rss = 0;
            var threads = 0;
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
                }
                else if (line.StartsWith("Threads:", StringComparison.Ordinal))
                {
                    threads = int.Parse(line.AsSpan(8).Trim(), CultureInfo.InvariantCulture);
                }
            }

            return new ProcessSample(rss, threads);
        }

        using var process = Process.GetCurrentProcess();
        return new ProcessSample(process.WorkingSet64, process.Threads.Count);
    }
}
