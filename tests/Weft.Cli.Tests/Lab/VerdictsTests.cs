using Weft.Cli.Lab;

namespace Weft.Cli.Tests.Lab;

public sealed class VerdictsTests
{
    private static Measurement M(string workload, string strategy, double seconds, double sequential, double ideal) =>
        new(workload, strategy, 4, 4, seconds, sequential / seconds, ideal);

    /// <summary>A fake measurement set: what .NET measures on an idle 2-core machine.</summary>
    internal static LabResults DotNetLike(double cpuThreads = 0.21, double cpuGil = 0.42, double ioGil = 0.12, double cpuProcesses = 0.22,
        long unsynchronised = 2_500_000, int[]? map = null, int[]? asCompleted = null, double asyncWaitSeconds = 0.5,
        double httpPool = 0.3, bool withHttp = true)
    {
        List<Measurement> experiments =
        [
            M(Strategies.IoSleep, Strategies.Sequential, 1.0, 1.0, 1),
            M(Strategies.IoSleep, Strategies.Threads, 0.11, 1.0, 10),
            M(Strategies.IoSleep, Strategies.GilThreads, ioGil, 1.0, 10),
            M(Strategies.Cpu, Strategies.Sequential, 0.4, 0.4, 1),
            M(Strategies.Cpu, Strategies.Threads, cpuThreads, 0.4, 2),
            M(Strategies.Cpu, Strategies.GilThreads, cpuGil, 0.4, 2),
            M(Strategies.Cpu, Strategies.ProcessPool, cpuProcesses, 0.4, 2),
        ];
        if (withHttp)
        {
            experiments.Add(M(Strategies.IoHttp, Strategies.Sequential, 1.2, 1.2, 1));
            experiments.Add(M(Strategies.IoHttp, Strategies.ThreadPool, httpPool, 1.2, 6));
        }

        return new LabResults
        {
            Machine = new MachineInfo(2, "test", "10.0", "X64"),
            Experiments = experiments,
            ConcurrentWaits = new WaitsResult(10_000, 0.5, new WaitRun(2.0, 80_000_000, 10_010), new WaitRun(asyncWaitSeconds, 4_000_000, 12)),
            Refcount = new RefcountResult(4, 4_000_000, unsynchronised, 4_000_000, 4_000_000, 4_000_000),
            Ordering = new OrderingResult([5, 4, 3, 2, 1], map ?? [5, 4, 3, 2, 1], asCompleted ?? [1, 2, 3, 4, 5], [1, 2, 3, 4, 5]),
        };
    }

    private static string Outcome(LabResults results, string id) => Verdicts.Compute(results).Single(v => v.Id == id).Outcome;

    [Fact]
    public void Compute_DotNetNumbers_TutorialClaimsHoldExceptCpuThreads()
    {
        var verdicts = Verdicts.Compute(DotNetLike()).ToDictionary(v => v.Id, v => v.Outcome);

        Assert.Equal(Verdict.DoesNotHold, verdicts["cpu-threads"]);
        Assert.All(verdicts.Where(v => v.Key != "cpu-threads"), v => Assert.Equal(Verdict.Holds, v.Value));
    }

    [Theory]
    [InlineData("cpu-threads", Verdict.DoesNotHold, Verdict.Holds)]
    [InlineData("cpu-gil", Verdict.Holds, Verdict.DoesNotHold)]
    [InlineData("io-gil", Verdict.Holds, Verdict.DoesNotHold)]
    [InlineData("cpu-processes", Verdict.Holds, Verdict.DoesNotHold)]
    [InlineData("refcount", Verdict.Holds, Verdict.DoesNotHold)]
    [InlineData("map-order", Verdict.Holds, Verdict.DoesNotHold)]
    [InlineData("as-completed", Verdict.Holds, Verdict.DoesNotHold)]
    [InlineData("async-waits", Verdict.Holds, Verdict.DoesNotHold)]
    [InlineData("download", Verdict.Holds, Verdict.DoesNotHold)]
    public void Compute_FlippedMeasurement_FlipsVerdict(string id, string before, string after)
    {
        var flipped = id switch
        {
            "cpu-threads" => DotNetLike(cpuThreads: 0.4),       // 1.0x: as under CPython's GIL
            "cpu-gil" => DotNetLike(cpuGil: 0.2),               // 2.0x: the lock did not serialise
            "io-gil" => DotNetLike(ioGil: 1.0),                 // 1.0x: sleeps held the lock
            "cpu-processes" => DotNetLike(cpuProcesses: 0.45),  // 0.9x: start-up ate the gain
            "refcount" => DotNetLike(unsynchronised: 4_000_000), // nothing lost
            "map-order" => DotNetLike(map: [1, 2, 3, 4, 5]),
            "as-completed" => DotNetLike(asCompleted: [5, 4, 3, 2, 1]),
            "async-waits" => DotNetLike(asyncWaitSeconds: 3.0),
            "download" => DotNetLike(httpPool: 1.0),            // 1.2x
            _ => throw new ArgumentOutOfRangeException(nameof(id)),
        };

        Assert.Equal(before, Outcome(DotNetLike(), id));
        Assert.Equal(after, Outcome(flipped, id));
    }

    [Fact]
    public void Compute_MissingExperiment_IsNotMeasuredAndSaysWhy()
    {
        var verdict = Verdicts.Compute(DotNetLike(withHttp: false)).Single(v => v.Id == "download");

        Assert.Equal(Verdict.NotMeasured, verdict.Outcome);
        Assert.Contains("not available in this build", verdict.Figure);
    }

    [Fact]
    public void Compute_Figure_QuotesTheDecidingNumber()
    {
        var verdict = Verdicts.Compute(DotNetLike()).Single(v => v.Id == "cpu-threads");

        Assert.StartsWith("1.9x", verdict.Figure);
    }
}
