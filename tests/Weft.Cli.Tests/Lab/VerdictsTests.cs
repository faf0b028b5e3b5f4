using Weft.Cli.Lab;
using static Weft.Cli.Tests.Lab.LabFixtures;

namespace Weft.Cli.Tests.Lab;

public sealed class VerdictsTests
{
    private static Verdict Find(LabResults results, string id) => LabFixtures.Find(results, id);

    private static string Outcome(LabResults results, string id) => Find(results, id).Outcome;

    [Fact]
    public void Compute_DotNetOnly_ClaimsHoldExceptCpuThreads_SimulatedLockRowsAreDemonstrations()
    {
        var verdicts = Verdicts.Compute(DotNetLike()).ToDictionary(v => v.Id, v => v.Outcome);

        Assert.Equal(Verdict.DoesNotHold, verdicts["cpu-threads"]);
        Assert.Equal(Verdict.Demonstration, verdicts["cpu-gil"]);
        Assert.Equal(Verdict.Demonstration, verdicts["io-gil"]);
        Assert.Equal(Verdict.Demonstration, verdicts["map-order"]);
        Assert.Equal(Verdict.NotMeasured, verdicts["gil-model"]);
        string[] measured = ["io-threads", "download", "as-completed", "cpu-processes", "refcount", "async-waits"];
        Assert.All(measured, id => Assert.Equal(Verdict.Holds, verdicts[id]));
        Assert.Equal(11, verdicts.Count);
    }

    [Fact]
    public void Compute_WithCPython_PythonClaimsAreDecidedByCPythonRows()
    {
        var results = WithCPython(DotNetLike());
        var verdicts = Verdicts.Compute(results).ToDictionary(v => v.Id);

        // .NET's threads are 1.9x on the CPU loop; CPython's, under the GIL, 1.0x: the claim holds, on CPython.
        Assert.Equal(Verdict.Holds, verdicts["cpu-threads"].Outcome);
        Assert.Equal(["cpython/cpu/threads"], verdicts["cpu-threads"].Evidence);
        Assert.Contains("on CPython 3.11.7", verdicts["cpu-threads"].Figure);
        Assert.Contains(".NET: 1.9x", verdicts["cpu-threads"].Comment);
        Assert.Equal(Verdict.Holds, verdicts["cpu-gil"].Outcome);
        Assert.Equal(Verdict.Holds, verdicts["io-gil"].Outcome);
        Assert.Equal(Verdict.Holds, verdicts["gil-model"].Outcome);
        Assert.Equal(["dotnet/cpu/gil-threads", "cpython/cpu/threads"], verdicts["gil-model"].Evidence);
        Assert.Equal("cpython/cpu/process-pool", Assert.Single(verdicts["cpu-processes"].Evidence));
        Assert.Equal("cpython/io-http/thread-pool", Assert.Single(verdicts["download"].Evidence));
        Assert.Equal("cpython/io-sleep/threads", Assert.Single(verdicts["io-threads"].Evidence));
        Assert.Equal("cpython.ordering", Assert.Single(verdicts["as-completed"].Evidence));
        Assert.Contains("on CPython 3.11.7", verdicts["map-order"].Figure);
    }

    [Theory]
    [InlineData("cpu-threads", Verdict.DoesNotHold, Verdict.Holds)]
    [InlineData("cpu-processes", Verdict.Holds, Verdict.DoesNotHold)]
    [InlineData("download", Verdict.Holds, Verdict.DoesNotHold)]
    [InlineData("io-threads", Verdict.Holds, Verdict.DoesNotHold)]
    [InlineData("as-completed", Verdict.Holds, Verdict.DoesNotHold)]
    public void Compute_CPythonRowsDisagreeWithDotNet_CPythonDecides(string id, string dotnetOnly, string withCPython)
    {
        var results = id switch
        {
            "cpu-threads" => WithCPython(DotNetLike(), cpuThreads: 0.4),       // GIL: 1.0x, where .NET's threads are 1.9x
            "cpu-processes" => WithCPython(DotNetLike(), cpuProcesses: 0.45),  // 1.1x even on the warm pool
            "download" => WithCPython(DotNetLike(), httpPool: 1.0),            // 1.3x
            "io-threads" => WithCPython(DotNetLike(), ioThreads: 0.9),         // 1.1x of an ideal 10x
            "as-completed" => WithCPython(DotNetLike(), asCompleted: [5, 4, 3, 2, 1]), // yielded in submission order
            _ => throw new ArgumentOutOfRangeException(nameof(id)),
        };

        Assert.Equal(dotnetOnly, Outcome(DotNetLike(), id));
        Assert.Equal(withCPython, Outcome(results, id));
    }

    [Theory]
    [InlineData("cpu-gil", Verdict.Holds, Verdict.DoesNotHold)]
    [InlineData("io-gil", Verdict.Holds, Verdict.DoesNotHold)]
    [InlineData("gil-model", Verdict.Holds, Verdict.DoesNotHold)]
    public void Compute_RealGilFlips_VerdictFlips(string id, string before, string after)
    {
        var flipped = id switch
        {
            "cpu-gil" => WithCPython(DotNetLike(), cpuThreads: 0.2),     // 2.0x: this CPython's threads ran in parallel
            "io-gil" => WithCPython(DotNetLike(), httpThreads: 1.3),     // 1.0x: the fetches did not overlap
            "gil-model" => WithCPython(DotNetLike(cpuGil: 0.2)),         // the simulated lock let threads run at 2.0x; the GIL did not
            _ => throw new ArgumentOutOfRangeException(nameof(id)),
        };

        Assert.Equal(before, Outcome(WithCPython(DotNetLike()), id));
        Assert.Equal(after, Outcome(flipped, id));
    }

    [Fact]
    public void Compute_FreeThreadedCPython_GilClaimsFallBackToTheSimulatedLockAndSaySo()
    {
        var results = WithCPython(DotNetLike(), cpuThreads: 0.21, gilEnabled: false);

        Assert.Equal(Verdict.Demonstration, Outcome(results, "cpu-gil"));
        Assert.Equal(Verdict.DoesNotHold, Outcome(results, "cpu-threads"));
        Assert.Contains("without the GIL", Find(results, "cpu-threads").Comment);
        Assert.Contains("without the GIL", Find(results, "gil-model").Comment);
    }

    [Theory]
    [InlineData("cpu-threads", Verdict.DoesNotHold, Verdict.Holds)]
    [InlineData("cpu-processes", Verdict.Holds, Verdict.DoesNotHold)]
    [InlineData("refcount", Verdict.Holds, Verdict.DoesNotHold)]
    [InlineData("as-completed", Verdict.Holds, Verdict.DoesNotHold)]
    [InlineData("async-waits", Verdict.Holds, Verdict.DoesNotHold)]
    [InlineData("download", Verdict.Holds, Verdict.DoesNotHold)]
    public void Compute_DotNetOnlyFlippedMeasurement_FlipsVerdict(string id, string before, string after)
    {
        var flipped = id switch
        {
            "cpu-threads" => DotNetLike(cpuThreads: 0.4),       // 1.0x: as under CPython's GIL
            "cpu-processes" => DotNetLike(cpuProcesses: 0.45),  // 1.1x even on the warm pool
            "refcount" => DotNetLike(unsynchronised: 4_000_000), // nothing lost
            "as-completed" => DotNetLike(asCompleted: [5, 4, 3, 2, 1]),
            "async-waits" => DotNetLike(asyncWaitSeconds: 3.0),
            "download" => DotNetLike(httpPool: 1.0),            // 1.2x
            _ => throw new ArgumentOutOfRangeException(nameof(id)),
        };

        Assert.Equal(before, Outcome(DotNetLike(), id));
        Assert.Equal(after, Outcome(flipped, id));
    }

    [Fact]
    public void Compute_CPythonWaits_DecideAsyncWaitsWithDotNetAfter()
    {
        var verdict = Find(WithCPythonWaits(WithCPython(DotNetLike())), "async-waits");

        Assert.Equal(Verdict.Holds, verdict.Outcome);
        Assert.Equal(["cpython.concurrentWaits", "concurrentWaits"], verdict.Evidence);
        Assert.Equal("5,000 waits on CPython 3.11.7: asyncio 0.55 s, +8 MB; threads 1.80 s, +40 MB (1,400 alive at once)", verdict.Figure);
        Assert.Equal(".NET: async 0.50 s, +4 MB; threads 2.00 s, +80 MB.", verdict.Comment);
    }

    [Theory]
    [InlineData(3.0, 0.55, 8_000_000L, Verdict.DoesNotHold, Verdict.Holds)]   // .NET's async was slower than its threads; asyncio was not
    [InlineData(0.5, 0.55, 50_000_000L, Verdict.Holds, Verdict.DoesNotHold)]  // asyncio took more memory than CPython's threads
    [InlineData(0.5, 2.5, 8_000_000L, Verdict.Holds, Verdict.DoesNotHold)]    // asyncio was slower than CPython's threads
    public void Compute_AsyncWaits_CPythonRowsDecideWhenPresent(double asyncNet, double asyncPy, long asyncPyBytes, string dotnetOnly, string withCPython)
    {
        var dotnet = DotNetLike(asyncWaitSeconds: asyncNet);

        Assert.Equal(dotnetOnly, Outcome(dotnet, "async-waits"));
        Assert.Equal(withCPython, Outcome(WithCPythonWaits(dotnet, asyncSeconds: asyncPy, asyncBytes: asyncPyBytes), "async-waits"));
    }

    [Fact]
    public void Compute_CPythonRefusedThreads_AsyncWaitsHoldsAndSaysHowManyStarted()
    {
        // The threads that did start were few, so took less memory than asyncio's 5,000 tasks: the claim holds
        // because threads could not wait 5,000 times at all.
        var results = WithCPythonWaits(DotNetLike(), asyncBytes: 90_000_000, threadsStarted: 1_234, error: "RuntimeError: can't start new thread");

        var verdict = Find(results, "async-waits");

        Assert.Equal(Verdict.Holds, verdict.Outcome);
        Assert.EndsWith("threads: only 1,234 started (RuntimeError: can't start new thread)", verdict.Figure);
    }

    [Fact]
    public void Compute_CpuVerdicts_GoByCoresBusyNotSpeedup()
    {
        // Threads that wait and wake for the lock can get the cores before one busy thread does: CPython's GIL threads
        // ran 1.6x faster than sequential, the simulated lock's 1.9x, yet each used one core at a time. .NET's threads
        // kept 1.8 cores busy but were slower than sequential (0.8x).
        var results = WithCPython(DotNetLike());
        results = Replace(results, "dotnet/cpu/gil-threads", _ => Of(Runtimes.DotNet, Strategies.Cpu, Strategies.GilThreads, Same(0.21), Same(0.4), 2, cpu: Same(0.21)));
        results = Replace(results, "dotnet/cpu/threads", _ => Of(Runtimes.DotNet, Strategies.Cpu, Strategies.Threads, Same(0.5), Same(0.4), 2, cpu: Same(0.9)));
        results = Replace(results, "cpython/cpu/threads", _ => Of(Runtimes.CPython, Strategies.Cpu, Strategies.Threads, Same(0.25), Same(0.4), 2, cpu: Same(0.25)));

        Assert.Equal(Verdict.Holds, Outcome(results, "cpu-threads"));
        Assert.Equal(Verdict.Holds, Outcome(results, "cpu-gil"));
        Assert.Equal(Verdict.Holds, Outcome(results, "gil-model"));
        Assert.Contains("(1.0 cores busy, runs 1.0-1.0)", Find(results, "gil-model").Figure);
        Assert.Contains(".NET has no GIL, so CPU-bound threads run on all cores", Find(results, "cpu-threads").Comment);

        var dotnetOnly = results with
        {
            Experiments = [.. results.Experiments.Where(m => m.Runtime == Runtimes.DotNet)],
            CPython = new CPythonRun(CPythonRun.Skipped, null, "--no-python"),
            Machine = results.Machine with { Python = null, GilEnabled = null },
        };
        Assert.Equal(Verdict.DoesNotHold, Outcome(dotnetOnly, "cpu-threads")); // 0.8x, but 1.8 cores busy: no GIL
    }

    [Fact]
    public void Compute_AsCompleted_JudgedAgainstItsOwnRunsFinishingOrder()
    {
        // The map run finished 1,2,3,4,5; the as_completed run's own tasks finished 2,1,3,4,5 (a busy machine),
        // and as_completed yielded them in that order: it yields as its tasks complete, so it holds.
        var results = DotNetLike() with
        {
            Ordering = new OrderingResult([5, 4, 3, 2, 1], [5, 4, 3, 2, 1], [1, 2, 3, 4, 5], [2, 1, 3, 4, 5], [2, 1, 3, 4, 5]),
        };

        Assert.Equal(Verdict.Holds, Outcome(results, "as-completed"));
    }

    [Fact]
    public void Compute_MapOrder_IsADemonstrationWhateverTheOrder()
    {
        Assert.Equal(Verdict.Demonstration, Outcome(DotNetLike(map: [1, 2, 3, 4, 5]), "map-order"));
    }

    [Fact]
    public void Compute_MissingExperiment_IsNotMeasuredAndSaysWhich()
    {
        var verdict = Find(DotNetLike(withHttp: false), "download");

        Assert.Equal(Verdict.NotMeasured, verdict.Outcome);
        Assert.Equal("io-http/thread-pool was not run", verdict.Figure);
    }

    [Fact]
    public void Compute_Figure_QuotesTheDecidingNumber()
    {
        Assert.StartsWith("1.9x", Find(DotNetLike(), "cpu-threads").Figure);
        Assert.StartsWith("1.0x", Find(WithCPython(DotNetLike()), "cpu-threads").Figure);
    }
}
