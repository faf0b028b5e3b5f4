using Weft.Cli.Lab;
using static Weft.Cli.Tests.Lab.LabFixtures;

namespace Weft.Cli.Tests.Lab;

/// <summary>Issue 24: verdicts that do not flip with the machine's mood. Fixed figures, no timing: runs that fall on
/// both sides of a threshold, and a busy machine, give "not decided here", never "does not hold".</summary>
public sealed class NoisyVerdictsTests
{
    private const string Pool = "cpython/cpu/process-pool";

    /// <summary>CPython's process pool with the given speed-ups on a warm pool, one per round (exact: made directly,
    /// not divided out of times), against 0.4 s sequential runs.</summary>
    private static LabResults PoolRuns(double[] warmSpeedups, double[]? coldSpeedups = null, double? otherCores = null, double? load = null)
    {
        var results = WithCPython(DotNetLike());
        results = results with { Machine = results.Machine with { LoadAverage = load } };
        var cold = coldSpeedups ?? warmSpeedups;
        return Replace(results, Pool, m => m with
        {
            SecondsSpread = new Spread([.. cold.Select(x => 0.4 / x)]),
            SpeedupSpread = new Spread(cold),
            WarmSecondsSpread = new Spread([.. warmSpeedups.Select(x => 0.4 / x)]),
            WarmSpeedupSpread = new Spread(warmSpeedups),
            OtherCores = otherCores,
        });
    }

    [Fact]
    public void CpuProcesses_TheIssuesRunsOnOneMachine_NotDecidedNeverDoesNotHold()
    {
        // The issue's figures, as the rounds of one run: 1.35x, 1.12x and 0.9x. Best-of-runs code said "does not hold:
        // 0.9x" on the worst; the median (1.12x) is below 1.25 too, but one run cleared it: the machine cannot decide.
        var verdict = Find(PoolRuns([1.35, 1.12, 0.9]), "cpu-processes");

        Assert.Equal(Verdict.NotDecided, verdict.Outcome);
        Assert.Equal("the runs fall on both sides of 1.25x (from 0.9 to 1.35)", verdict.Reason);
        Assert.StartsWith("1.1x (runs 0.9-1.4x) with 4 processes on CPython 3.11.7 on a pool already running", verdict.Figure);
        Assert.StartsWith("A process pool speeds up CPU-bound work (it bypasses the GIL). not decided here: the runs fall on both sides of 1.25x",
            LabReport.VerdictLine(verdict));
    }

    [Theory]
    [InlineData(new[] { 1.6, 1.9, 2.0 }, Verdict.Holds)]          // every run clears 1.25x
    [InlineData(new[] { 1.25, 1.3, 1.9 }, Verdict.Holds)]         // the lowest run exactly at the threshold counts
    [InlineData(new[] { 1.0, 1.1, 1.2 }, Verdict.DoesNotHold)]    // every run below: the figures contradict the claim
    [InlineData(new[] { 1.0, 1.1, 1.3 }, Verdict.NotDecided)]     // median below, one run above
    [InlineData(new[] { 1.2, 1.8, 1.9 }, Verdict.NotDecided)]     // median above, one run below
    public void CpuProcesses_DecidedByEveryRun(double[] warmSpeedups, string outcome)
    {
        Assert.Equal(outcome, Find(PoolRuns(warmSpeedups), "cpu-processes").Outcome);
    }

    [Fact]
    public void CpuProcesses_JudgedOnTheWarmPool_TheTutorialsWithBlockBesideIt()
    {
        // Start-up made every cold run 1.1x; the work itself ran 1.9x faster on the running pool.
        var verdict = Find(PoolRuns([1.9, 1.9, 1.8], coldSpeedups: [1.1, 1.1, 1.0]), "cpu-processes");

        Assert.Equal(Verdict.Holds, verdict.Outcome);
        Assert.Equal("1.9x (runs 1.8-1.9x) with 4 processes on CPython 3.11.7 on a pool already running; 1.1x (runs 1.0-1.1x) with its start-up, as the tutorial's with block times it (ideal 2.0x)",
            verdict.Figure);
    }

    [Fact]
    public void CpuProcesses_BusyMachine_NotDecidedHereWithTheLoadEvenWhenEveryRunLooksGood()
    {
        // Other processes kept 1.6 of the 2 cores busy: under load a speed-up means nothing, whichever way it points.
        var verdict = Find(PoolRuns([1.9, 1.9, 1.8], otherCores: 1.6, load: 12.7), "cpu-processes");

        Assert.Equal(Verdict.NotDecided, verdict.Outcome);
        Assert.Equal("the machine was busy (load 12.7 on 2 cores as the run started; other processes kept 1.6 of its 2 cores busy during these runs)", verdict.Reason);
        Assert.Contains("not decided here: the machine was busy (load 12.7", LabReport.VerdictLine(verdict));
        Assert.Equal(Verdict.NotDecided, Find(PoolRuns([0.6, 0.7, 0.9], otherCores: 1.6, load: 12.7), "cpu-processes").Outcome);
    }

    [Theory]
    [InlineData(0.3, 30.0, Verdict.Holds)]      // measured: a third of a core elsewhere leaves the two lanes free; the stale load average does not count
    [InlineData(0.6, 0.1, Verdict.NotDecided)]  // measured: more than half a core taken
    [InlineData(null, 1.5, Verdict.Holds)]      // not measured (not Linux): the load average decides, below the cores
    [InlineData(null, 16.0, Verdict.NotDecided)]
    [InlineData(null, null, Verdict.Holds)]     // nothing known: the runs alone decide
    public void CpuProcesses_BusyIsOtherProcessesCoresWhereMeasuredElseTheLoadAverage(double? otherCores, double? load, string outcome)
    {
        Assert.Equal(outcome, Find(PoolRuns([1.9, 1.9, 1.8], otherCores: otherCores, load: load), "cpu-processes").Outcome);
    }

    [Fact]
    public void CpuThreads_BusyMachine_SerialLookingThreadsAreNotDecided()
    {
        // CPython's GIL threads used one core at a time, but so would any threads with the other core taken.
        var results = Replace(WithCPython(DotNetLike()), "cpython/cpu/threads", _ => Of(Runtimes.CPython, Strategies.Cpu, Strategies.Threads,
            Same(0.4), Same(0.4), 2, cpu: Same(0.4), otherCores: 1.5));

        Assert.Equal(Verdict.NotDecided, Find(results, "cpu-threads").Outcome);
        Assert.Equal(Verdict.NotDecided, Find(results, "cpu-gil").Outcome);
        Assert.Equal(Verdict.NotDecided, Find(results, "gil-model").Outcome);
        Assert.StartsWith("the machine was busy (other processes kept 1.5 of its 2 cores busy", Find(results, "cpu-threads").Reason);
    }

    [Fact]
    public void CpuThreads_BusyMachine_ThreadsThatKeptTwoCoresBusyStillContradictTheClaim()
    {
        // .NET only: its threads kept 1.6 to 1.8 cores busy in every run on a busy machine. Load takes cores away and
        // never adds them, so they did run in parallel: "does not hold" stands, busy or not.
        var results = Replace(DotNetLike(), "dotnet/cpu/threads", _ => Of(Runtimes.DotNet, Strategies.Cpu, Strategies.Threads,
            [0.5, 0.5, 0.5], Same(0.4), 2, cpu: [0.8, 0.85, 0.9], otherCores: 1.2));

        var verdict = Find(results, "cpu-threads");

        Assert.Equal(Verdict.DoesNotHold, verdict.Outcome);
        Assert.Contains("(1.7 cores busy, runs 1.6-1.8)", verdict.Figure);
    }

    [Fact]
    public void CpuThreads_CoresBusyOnBothSidesOfTheThreshold_NotDecided()
    {
        var results = Replace(DotNetLike(), "dotnet/cpu/threads", _ => Of(Runtimes.DotNet, Strategies.Cpu, Strategies.Threads,
            Same(0.3), Same(0.4), 2, cpu: [0.3, 0.42, 0.5]));

        var verdict = Find(results, "cpu-threads");

        Assert.Equal(Verdict.NotDecided, verdict.Outcome);
        Assert.Equal("the runs fall on both sides of 1.25 cores busy (from 1.0 to 1.67)", verdict.Reason);
    }

    [Theory]
    [InlineData(new[] { 9.0, 9.5, 9.8 }, null, Verdict.Holds)]
    [InlineData(new[] { 9.0, 9.5, 9.8 }, 1.9, Verdict.Holds)]      // a busy machine does not undo what every run shows: waits need no free core
    [InlineData(new[] { 2.0, 3.0, 4.9 }, null, Verdict.DoesNotHold)]
    [InlineData(new[] { 4.0, 6.0, 9.0 }, null, Verdict.NotDecided)] // half the ideal (5x) falls inside the runs
    public void IoThreads_DecidedByEveryRunAgainstHalfTheIdeal(double[] speedups, double? otherCores, string outcome)
    {
        var results = Replace(WithCPython(DotNetLike()), "cpython/io-sleep/threads", _ => Of(Runtimes.CPython, Strategies.IoSleep, Strategies.Threads,
            [.. speedups.Select(x => 1.0 / x)], Same(1.0), 10, otherCores: otherCores));

        var verdict = Find(results, "io-threads");

        Assert.Equal(outcome, verdict.Outcome);
        Assert.Equal(outcome == Verdict.NotDecided, verdict.Reason is not null);
    }

    [Fact]
    public void IoThreads_RunsStraddleOnABusyMachine_TheReasonNamesTheLoad()
    {
        var results = Replace(WithCPython(DotNetLike()), "cpython/io-sleep/threads", _ => Of(Runtimes.CPython, Strategies.IoSleep, Strategies.Threads,
            [1 / 4.0, 1 / 6.0, 1 / 9.0], Same(1.0), 10, otherCores: 1.8));

        Assert.Equal("the machine was busy (other processes kept 1.8 of its 2 cores busy during these runs)", Find(results, "io-threads").Reason);
    }

    [Fact]
    public void Compute_NoRunReachesAThresholdItIsJudgedBy_NeverDoesNotHoldUnlessEveryRunContradicts()
    {
        // A grid of run triples around the process pool's threshold: "does not hold" only when all three are below
        // 1.25x, "holds" only when all three reach it, whatever the median.
        double[] values = [0.8, 1.0, 1.2, 1.24, 1.25, 1.26, 1.5, 2.0];
        foreach (var a in values)
        {
            foreach (var b in values)
            {
                foreach (var c in values)
                {
                    double[] runs = [a, b, c];
                    var outcome = Find(PoolRuns(runs), "cpu-processes").Outcome;
                    var expected = runs.All(r => r >= 1.25) ? Verdict.Holds : runs.All(r => r < 1.25) ? Verdict.DoesNotHold : Verdict.NotDecided;
                    Assert.True(expected == outcome, $"runs {string.Join(", ", runs)}: {outcome}, expected {expected}");
                }
            }
        }
    }
}
