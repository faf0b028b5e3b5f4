using Weft.Cli.Lab;
using Weft.Cli.Lab.Python;

namespace Weft.Cli.Tests.Lab.Python;

/// <summary>Reading a program's runs into measurements, from fixed reports (no interpreter, no timing).</summary>
public sealed class CPythonWorkloadsTests
{
    private static PythonReport Cpu(Dictionary<string, double[]> seconds) => new()
    {
        Workload = Strategies.Cpu,
        Python = "3.11.7",
        Implementation = "CPython",
        Seconds = seconds,
        CpuSeconds = new() { ["threads"] = [0.41, 0.40, 0.42] },
        Workers = new() { ["process-pool"] = 2, ["thread-pool"] = 6 },
        Loop = 2_100_000,
        PoolStartup = 0.03,
        TaskTarget = 0.1,
    };

    private static Dictionary<string, double[]> CpuRuns() => new()
    {
        ["sequential"] = [0.40, 0.60, 0.40],
        ["threads"] = [0.41, 0.40, 0.42],
        ["thread-pool"] = [0.40, 0.40, 0.40],
        ["process-pool"] = [0.25, 0.24, 0.26],
        ["process-pool-warm"] = [0.20, 0.20, 0.25],
    };

    [Fact]
    public void Measurements_PairsEachRoundWithItsSequentialRun()
    {
        var rows = CPythonWorkloads.Measurements(Cpu(CpuRuns()), Strategies.Cpu, 4, 2);

        var pool = rows.Single(r => r.Strategy == Strategies.ProcessPool);
        Assert.Equal([0.25, 0.24, 0.26], pool.SecondsSpread.Runs);
        Assert.Equal(0.25, pool.Seconds);
        Assert.Equal([2.0, 3.0, 1.6], pool.WarmSpeedupSpread!.Runs.Select(r => Math.Round(r, 9)));
        Assert.Equal(2.0, pool.WarmSpeedup!.Value, 9);
        Assert.Null(pool.CpuSecondsSpread); // the work ran in the workers
        Assert.Contains("starting and stopping the pool alone took 0.03 s", pool.Note);
        var threads = rows.Single(r => r.Strategy == Strategies.Threads);
        Assert.Equal([1.0, 1.0, 1.0], threads.ParallelismSpread!.Runs.Select(r => Math.Round(r, 9)));
        Assert.Equal("loop of 2,100,000, 100 ms a task", rows.Single(r => r.Strategy == Strategies.Sequential).Note);
    }

    [Fact]
    public void Measurements_RunCountsDiffer_SaysWhich()
    {
        var runs = CpuRuns();
        runs["threads"] = [0.4, 0.4];

        var e = Assert.Throws<CPythonException>(() => CPythonWorkloads.Measurements(Cpu(runs), Strategies.Cpu, 4, 2));

        Assert.Equal("the cpu program reported 2 runs of threads but 3 of sequential", e.Message);
    }

    [Fact]
    public void Measurements_CpuWithoutTheWarmPool_SaysWhatIsMissing()
    {
        var runs = CpuRuns();
        runs.Remove("process-pool-warm");

        var e = Assert.Throws<CPythonException>(() => CPythonWorkloads.Measurements(Cpu(runs), Strategies.Cpu, 4, 2));

        Assert.Equal("the cpu program reported no valid time for process-pool-warm", e.Message);
    }

    [Theory]
    [InlineData(new double[0])]
    [InlineData(new[] { 0.4, 0.0, 0.4 })]
    [InlineData(new[] { 0.4, -1.0, 0.4 })]
    public void Measurements_EmptyOrNonPositiveRuns_Refused(double[] threads)
    {
        var runs = CpuRuns();
        runs["threads"] = threads;

        var e = Assert.Throws<CPythonException>(() => CPythonWorkloads.Measurements(Cpu(runs), Strategies.Cpu, 4, 2));

        Assert.Equal("the cpu program reported no valid time for threads", e.Message);
    }
}
