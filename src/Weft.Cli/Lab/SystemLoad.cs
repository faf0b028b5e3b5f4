using System.Globalization;

namespace Weft.Cli.Lab;

/// <summary>How busy the machine is: the figures of a busy machine are not the machine's, and the report says so.</summary>
internal static class SystemLoad
{
    /// <summary>The one-minute load average (runnable threads, averaged), from /proc/loadavg.</summary>
    /// <returns>The load, or null where there is no /proc/loadavg (not Linux).</returns>
    public static double? OneMinute()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var load) ? load : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Whether a load average means other work competed for the cores.</summary>
    /// <param name="load">The load average.</param>
    /// <param name="cores">The machine's cores.</param>
    /// <returns>True above one runnable thread per core.</returns>
    public static bool IsBusy(double? load, int cores) => load > cores;
}
