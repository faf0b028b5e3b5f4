using Weft.Cli.Lab;

namespace Weft.Cli.Tests.Lab;

public sealed class SystemLoadTests
{
    private static readonly string[] s_stat = "cpu  1000 10 200 5000 50 5 5 30 0 0".Split(' ', StringSplitOptions.RemoveEmptyEntries);

    // A command name with a space and a parenthesis, as /proc/self/stat may show one: fields count from the last ')'.
    private const string Self = "4242 (weft (lab) x) S 1 4242 4242 0 -1 4194304 100 0 0 0 70 30 15 5 20 0 12 0 100 0 0";

    [Fact]
    public void Parse_MachineAndOwnTicks()
    {
        var snapshot = SystemLoad.Parse(s_stat, Self);

        Assert.Equal(1000 + 10 + 200 + 5 + 5 + 30, snapshot.BusyTicks); // user nice system irq softirq steal
        Assert.Equal(snapshot.BusyTicks + 5000 + 50, snapshot.AllTicks); // and idle, iowait
        Assert.Equal(70 + 30 + 15 + 5, snapshot.OwnTicks);               // utime stime cutime cstime
    }

    [Fact]
    public void OtherCores_BusyTicksNotOursShareOfAllTicksTimesCores()
    {
        // 200 ticks passed on 2 cores (100 each): 150 busy, 50 of them ours: other processes used 100 ticks, 1 core.
        var before = new CpuSnapshot(10_000, 4_000, 1_000);
        var after = new CpuSnapshot(10_200, 4_150, 1_050);

        Assert.Equal(1.0, SystemLoad.OtherCores(before, after, 2)!.Value, 12);
    }

    [Fact]
    public void OtherCores_ChildTimeLandingLate_ClampedNotNegative_AndMissingSnapshotIsUnknown()
    {
        // A child reaped in this interval brings CPU time it used in the last one: more "ours" than the machine's busy.
        Assert.Equal(0, SystemLoad.OtherCores(new CpuSnapshot(0, 0, 0), new CpuSnapshot(200, 50, 120), 2));
        Assert.Null(SystemLoad.OtherCores(null, new CpuSnapshot(200, 50, 20), 2));
        Assert.Null(SystemLoad.OtherCores(new CpuSnapshot(200, 50, 20), new CpuSnapshot(200, 50, 20), 2)); // no time passed
    }

    [Theory]
    [InlineData(0.4, null, 2, 2, false)]
    [InlineData(0.6, null, 2, 2, true)]     // fewer than 1.5 cores left for 2 lanes
    [InlineData(0.6, null, 2, 1, false)]    // one lane (IO): 1.4 cores free is plenty
    [InlineData(1.6, null, 2, 1, true)]
    [InlineData(3.0, null, 8, 4, false)]    // 5 cores free for 4 lanes
    [InlineData(0.1, 50.0, 2, 2, false)]    // measured beats the load average (a 1-minute average lags)
    [InlineData(null, 2.5, 2, 2, true)]     // not measured: load above the cores
    [InlineData(null, 1.9, 2, 2, false)]
    [InlineData(null, null, 2, 2, false)]
    public void IsBusy_FreeCoresAgainstLanesWhereMeasured(double? other, double? load, int cores, int lanes, bool busy)
    {
        Assert.Equal(busy, SystemLoad.IsBusy(other, load, cores, lanes));
    }

    [Fact]
    public void Snapshot_OnLinux_ReadsTheRealFiles()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Null(SystemLoad.Snapshot());
            return;
        }

        var snapshot = SystemLoad.Snapshot();

        Assert.NotNull(snapshot);
        Assert.True(snapshot.Value.AllTicks >= snapshot.Value.BusyTicks && snapshot.Value.BusyTicks > 0 && snapshot.Value.OwnTicks >= 0);
    }
}
