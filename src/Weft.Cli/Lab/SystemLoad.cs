using System.Globalization;

namespace Weft.Cli.Lab;

/// <summary>How busy the machine is: the figures of a busy machine are not the machine's, and the verdicts say so.</summary>
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

    /// <summary>Whether other processes left too few cores free for an experiment that runs
    /// <paramref name="lanes"/> things at once: fewer than <c>lanes - 0.5</c> (on 2 cores with 2 lanes: when they
    /// kept more than half a core busy). Where that was not measured (not Linux), the load average as the run
    /// started decides, by <see cref="IsBusy(double?, int)"/>.</summary>
    /// <param name="otherCores">Cores other processes kept busy during the runs; null when unknown.</param>
    /// <param name="load">The load average as the run started; null when unknown.</param>
    /// <param name="cores">The machine's cores.</param>
    /// <param name="lanes">How many things the experiment runs at once (at most the cores).</param>
    /// <returns>Whether the machine was busy for this experiment.</returns>
    public static bool IsBusy(double? otherCores, double? load, int cores, int lanes) =>
        otherCores is { } other ? cores - other < Math.Min(lanes, cores) - 0.5 : IsBusy(load, cores);

    /// <summary>The CPU time the whole machine and this process (with its children that have ended) have used so
    /// far, from /proc/stat and /proc/self/stat.</summary>
    /// <returns>The snapshot, or null where those files do not exist (not Linux).</returns>
    public static CpuSnapshot? Snapshot()
    {
        try
        {
            var machine = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var self = File.ReadAllText("/proc/self/stat");
            return Parse(machine, self);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Reads the two files' figures (clock ticks).</summary>
    /// <param name="machine">/proc/stat's first line, split: "cpu", user, nice, system, idle, iowait, irq, softirq, steal, ...</param>
    /// <param name="self">/proc/self/stat: after the command name in parentheses, utime, stime, cutime and cstime are the 12th to 15th fields.</param>
    /// <returns>The snapshot.</returns>
    internal static CpuSnapshot Parse(string[] machine, string self)
    {
        long Field(int i) => i < machine.Length ? long.Parse(machine[i], CultureInfo.InvariantCulture) : 0;
        // Busy is every state but idle and iowait; steal (time the hypervisor gave to other machines) counts as
        // taken, as it is from this machine's point of view. guest is already inside user.
        var busy = Field(1) + Field(2) + Field(3) + Field(6) + Field(7) + Field(8);
        var all = busy + Field(4) + Field(5);
        var fields = self[(self.LastIndexOf(')') + 2)..].Split(' ');
        long Own(int i) => long.Parse(fields[i], CultureInfo.InvariantCulture);
        // fields[0] is the state (the 3rd field of the line): utime is the 14th field, so fields[11].
        var own = Own(11) + Own(12) + Own(13) + Own(14);
        return new CpuSnapshot(all, busy, own);
    }

    /// <summary>How many cores other processes kept busy, on average, between two snapshots.</summary>
    /// <param name="before">The first snapshot.</param>
    /// <param name="after">The second.</param>
    /// <param name="cores">The machine's cores.</param>
    /// <returns>Cores (0 to <paramref name="cores"/>); null when either snapshot is missing or no time passed.</returns>
    public static double? OtherCores(CpuSnapshot? before, CpuSnapshot? after, int cores)
    {
        if (before is not { } a || after is not { } b || b.AllTicks <= a.AllTicks)
        {
            return null;
        }

        // A child's CPU time reaches this process's count only once it has ended and been waited for, so a share
        // can land in the wrong interval: clamp rather than report negative work.
        var other = (b.BusyTicks - a.BusyTicks) - (b.OwnTicks - a.OwnTicks);
        return Math.Clamp((double)other / (b.AllTicks - a.AllTicks) * cores, 0, cores);
    }
}
