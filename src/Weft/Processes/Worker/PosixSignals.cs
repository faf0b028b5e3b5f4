using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Weft.Processes;

/// <summary>What .NET's <see cref="Process"/> lacks for supervising a worker: SIGTERM, and resident memory read
/// cheaply from <c>/proc</c>.</summary>
internal static partial class PosixSignals
{
    /// <summary>Sends <paramref name="signal"/> to <paramref name="processId"/>.</summary>
    /// <returns>0 on success.</returns>
    public static int Send(int processId, int signal)
    {
        try
        {
            return SysKill(processId, signal);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return -1;
        }
    }

    /// <summary>Resident memory: the second field of <c>/proc/&lt;pid&gt;/statm</c> in pages, else the working set.</summary>
    public static long? ResidentBytes(int processId, Process? process)
    {
        try
        {
            if (OperatingSystem.IsLinux())
            {
                var statm = File.ReadAllText($"/proc/{processId}/statm").Split(' ');
                return long.Parse(statm[1], System.Globalization.CultureInfo.InvariantCulture) * Environment.SystemPageSize;
            }

            if (process is null)
            {
                return null;
            }

            process.Refresh();
            return process.WorkingSet64;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or InvalidOperationException)
        {
            return null;   // gone already
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SysKill(int pid, int signal);
}
