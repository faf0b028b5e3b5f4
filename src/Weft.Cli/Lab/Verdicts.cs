using System.Globalization;

namespace Weft.Cli.Lab;

/// <summary>Turns measurements into one verdict per claim of the tutorial. Pure: the same numbers give the same verdicts.
/// A claim about Python is decided by the CPython rows when there are any; the .NET row then says what differs.</summary>
internal static class Verdicts
{
    /// <summary>A speed-up below this counts as "no faster than sequential" (noise on a busy machine stays under it).</summary>
    public const double NoSpeedup = 1.25;

    /// <summary>A concurrent strategy "speeds up" IO-bound work when it reaches this share of its ideal speed-up.</summary>
    public const double IoShareOfIdeal = 0.5;

    /// <summary>The download claim (23 s to 5 s) holds when the pool is at least this much faster.</summary>
    public const double DownloadSpeedup = 2.0;

    /// <summary>Computes the verdicts.</summary>
    /// <param name="results">The measurements (its own <see cref="LabResults.Verdicts"/> are ignored).</param>
    /// <returns>One verdict per claim, in the tutorial's order.</returns>
    public static IReadOnlyList<Verdict> Compute(LabResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return
        [
            IoThreads(results),
            Download(results),
            MapOrder(results),
            AsCompleted(results),
            CpuThreads(results),
            CpuGil(results),
            IoGil(results),
            GilModel(results),
            CpuProcesses(results),
            Refcount(results.Refcount),
            Waits(results),
        ];
    }

    /// <summary>The row that decides a claim about Python: CPython's when measured, else .NET's.</summary>
    private static Measurement? Deciding(LabResults results, string workload, string strategy) =>
        results.Find(Runtimes.CPython, workload, strategy) ?? results.Find(Runtimes.DotNet, workload, strategy);

    private static bool OnCPython(Measurement m) => m.Runtime == Runtimes.CPython;

    /// <summary>"on CPython 3.11.7" or "on .NET".</summary>
    private static string On(LabResults results, Measurement m) =>
        OnCPython(m) ? $"on CPython {results.Machine.Python}" : "on .NET";

    /// <summary>What the .NET row says beside a CPython verdict.</summary>
    private static string? DotNetBeside(LabResults results, Measurement deciding, string what)
    {
        if (!OnCPython(deciding) || results.Find(Runtimes.DotNet, deciding.Workload, deciding.Strategy) is not { } net)
        {
            return null;
        }

        return $".NET: {X(net.Speedup)}{what}";
    }

    private static Verdict IoThreads(LabResults results)
    {
        const string id = "io-threads", claim = "Threads speed up IO-bound work (section 1, 2).";
        if (Deciding(results, Strategies.IoSleep, Strategies.Threads) is not { } m)
        {
            return NotMeasured(id, claim, Strategies.IoSleep, Strategies.Threads);
        }

        return new Verdict(id, claim, Outcome(m.Speedup >= IoShareOfIdeal * m.Ideal),
            $"{X(m.Speedup)} with {m.Workers} threads {On(results, m)} (ideal {X(m.Ideal)})", [m.Id],
            DotNetBeside(results, m, " (the same: a waiting thread needs no core)."));
    }

    private static Verdict Download(LabResults results)
    {
        const string id = "download", claim = "A thread pool speeds up downloading images (section 4: 23 s -> 5 s).";
        if (Deciding(results, Strategies.IoHttp, Strategies.ThreadPool) is not { } m)
        {
            return NotMeasured(id, claim, Strategies.IoHttp, Strategies.ThreadPool);
        }

        var sequential = results.Find(m.Runtime, Strategies.IoHttp, Strategies.Sequential);
        return new Verdict(id, claim, Outcome(m.Speedup >= DownloadSpeedup),
            $"{S(sequential?.Seconds)} -> {S(m.Seconds)}, {X(m.Speedup)} {On(results, m)} (tutorial: 4.6x)", [m.Id],
            DotNetBeside(results, m, "."));
    }

    private static Verdict MapOrder(LabResults results)
    {
        var (o, on) = Ordering(results);
        return new Verdict("map-order", "map() returns results in the order the tasks were started (section 3).", Verdict.Demonstration,
            $"got {Join(o.Map)} {on}; submitted {Join(o.Submitted)}, finished {Join(o.MapFinished)}", [OrderingId(results)],
            "An API contract, shown rather than tested: the results are ordered; the work itself runs at once and finishes in any order.");
    }

    private static Verdict AsCompleted(LabResults results)
    {
        var (o, on) = Ordering(results);
        var holds = o.AsCompleted.Count > 0 && o.AsCompleted.SequenceEqual(o.AsCompletedFinished);
        var net = results.CPython.Ordering is null ? null : $".NET: yielded {Join(results.Ordering.AsCompleted)}, its tasks finished {Join(results.Ordering.AsCompletedFinished)}.";
        return new Verdict("as-completed", "as_completed() yields results as the tasks complete (section 3).", Outcome(holds),
            $"yielded {Join(o.AsCompleted)} {on}; its tasks finished {Join(o.AsCompletedFinished)}, submitted {Join(o.Submitted)}", [OrderingId(results)], net);
    }

    /// <summary>CPython's ordering run when there is one, else .NET's.</summary>
    private static (OrderingResult Ordering, string On) Ordering(LabResults results) =>
        results.CPython.Ordering is { } py ? (py, $"on CPython {results.Machine.Python}") : (results.Ordering, "on .NET");

    private static string OrderingId(LabResults results) => results.CPython.Ordering is null ? "ordering" : "cpython.ordering";

    private static Verdict CpuThreads(LabResults results)
    {
        const string id = "cpu-threads", claim = "Threads do not speed up CPU-bound work (section 5, the GIL example).";
        if (Deciding(results, Strategies.Cpu, Strategies.Threads) is not { } m)
        {
            return NotMeasured(id, claim, Strategies.Cpu, Strategies.Threads);
        }

        var holds = Serial(m);
        string? comment;
        if (OnCPython(m))
        {
            comment = results.Machine.GilEnabled == false
                ? "This CPython runs without the GIL (a free-threaded build), so its threads can use every core."
                : results.Find(Runtimes.DotNet, Strategies.Cpu, Strategies.Threads) is { } net && Serial(net)
                    ? DotNetBeside(results, m, " with the same threads: .NET has no GIL, but other work kept the cores busy during this run.")
                    : DotNetBeside(results, m, " with the same threads: .NET has no GIL, so CPU-bound threads run on all cores.");
        }
        else
        {
            comment = holds
                ? results.Machine.Cores < 2
                    ? "One core: nothing can run in parallel here, GIL or not."
                    : "The cores were busy with other work during this run; .NET itself has no GIL. Run it again on an idle machine."
                : "Differs in .NET: it has no GIL, so CPU-bound threads run on all cores.";
        }

        return new Verdict(id, claim, Outcome(holds),
            $"{X(m.Speedup)}{Cores(m)} with {m.Workers} threads on {results.Machine.Cores} cores {On(results, m)} (ideal {X(m.Ideal)})", [m.Id], comment);
    }

    private static Verdict CpuGil(LabResults results)
    {
        const string id = "cpu-gil", claim = "Under the GIL, CPU-bound threads are no faster than sequential code.";
        var simulated = results.Find(Runtimes.DotNet, Strategies.Cpu, Strategies.GilThreads);
        if (RealGil(results, Strategies.Cpu) is { } real)
        {
            return new Verdict(id, claim, Outcome(Serial(real)),
                $"{X(real.Speedup)}{Cores(real)} with {real.Workers} threads under CPython {results.Machine.Python}'s GIL (ideal {X(real.Ideal)})",
                [real.Id, .. Ids(simulated)],
                simulated is null ? null : $"Weft's simulated lock: {X(simulated.Speedup)}{Cores(simulated)}.");
        }

        return SimulatedOnly(id, claim, Strategies.Cpu, simulated, "Weft's simulated lock lets one thread run at a time, switching every few ms.");
    }

    private static Verdict IoGil(LabResults results)
    {
        const string id = "io-gil", claim = "The GIL does not stop IO-bound threads from overlapping.";
        var simulated = results.Find(Runtimes.DotNet, Strategies.IoSleep, Strategies.GilThreads);
        if (RealGil(results, Strategies.IoHttp) is { } real)
        {
            return new Verdict(id, claim, Outcome(real.Speedup >= IoShareOfIdeal * real.Ideal),
                $"{X(real.Speedup)} with {real.Workers} threads fetching over HTTP under CPython {results.Machine.Python}'s GIL (ideal {X(real.Ideal)})",
                [real.Id, .. Ids(simulated)],
                "A thread releases the GIL while it waits on its socket." + (simulated is null ? string.Empty : $" Weft's simulated lock, sleeping: {X(simulated.Speedup)}."));
        }

        return SimulatedOnly(id, claim, Strategies.IoSleep, simulated, "the simulated lock is released while a thread sleeps.");
    }

    /// <summary>A GIL claim without a GIL-enabled CPython: the simulated lock shows it, by construction.</summary>
    private static Verdict SimulatedOnly(string id, string claim, string workload, Measurement? simulated, string why) =>
        simulated is null
            ? NotMeasured(id, claim, workload, Strategies.GilThreads)
            : new Verdict(id, claim, Verdict.Demonstration,
                $"{X(simulated.Speedup)} with {simulated.Workers} threads under the simulated lock (ideal {X(simulated.Ideal)})", [simulated.Id],
                $"Holds by construction: {why} With python3 the real GIL decides.");

    private static Verdict GilModel(LabResults results)
    {
        const string id = "gil-model", claim = "Weft's simulated lock behaves like CPython's GIL on the CPU-bound loop (the model, checked).";
        var simulated = results.Find(Runtimes.DotNet, Strategies.Cpu, Strategies.GilThreads);
        var real = results.Find(Runtimes.CPython, Strategies.Cpu, Strategies.Threads);
        if (simulated is null || real is null)
        {
            return new Verdict(id, claim, Verdict.NotMeasured,
                real is null ? "needs CPython: run with python3 on PATH or --python PATH" : $"{Strategies.Cpu}/{Strategies.GilThreads} was not run",
                [.. Ids(simulated), .. Ids(real)]);
        }

        var agree = Serial(simulated) == Serial(real);
        return new Verdict(id, claim, Outcome(agree),
            $"threads' speed-up: simulated {X(simulated.Speedup)}{Cores(simulated)}, CPython {results.Machine.Python} {X(real.Speedup)}{Cores(real)} (ideal {X(real.Ideal)}; one at a time below {NoSpeedup.ToString("0.00", CultureInfo.InvariantCulture)})",
            [simulated.Id, real.Id],
            results.Machine.GilEnabled == false ? "This CPython runs without the GIL: the model is of the GIL-enabled build." : null);
    }

    private static Verdict CpuProcesses(LabResults results)
    {
        const string id = "cpu-processes", claim = "A process pool speeds up CPU-bound work (it bypasses the GIL).";
        if (Deciding(results, Strategies.Cpu, Strategies.ProcessPool) is not { } m)
        {
            return NotMeasured(id, claim, Strategies.Cpu, Strategies.ProcessPool);
        }

        var holds = m.Speedup >= NoSpeedup;
        var warm = m.WarmSeconds is { } w ? $"; warm pool {X(results.Find(m.Runtime, Strategies.Cpu, Strategies.Sequential)?.Seconds / w)}" : string.Empty;
        string comment;
        if (OnCPython(m))
        {
            var net = results.Find(Runtimes.DotNet, Strategies.Cpu, Strategies.ProcessPool);
            var threads = results.Find(Runtimes.DotNet, Strategies.Cpu, Strategies.Threads);
            comment = $".NET: process pool {X(net?.Speedup)}, plain threads {X(threads?.Speedup)}: no GIL to bypass.";
        }
        else
        {
            comment = holds
                ? "In .NET plain threads do as well, without copying arguments between processes."
                : "Process start-up and argument copying outweighed the work, or the cores were busy.";
        }

        return new Verdict(id, claim, Outcome(holds),
            $"{X(m.Speedup)} with {m.Workers} processes {On(results, m)}, pool start-up included{warm} (ideal {X(m.Ideal)})", [m.Id], comment);
    }

    private static Verdict Refcount(RefcountResult r)
    {
        const string claim = "Without the GIL, threads updating reference counts corrupt them.";
        var exactWithLock = r.Locked == r.Expected && r.Interlocked == r.Expected;
        var holds = r.Lost > 0 && exactWithLock;
        return new Verdict("refcount", claim, Outcome(holds),
            $"{r.Lost:N0} of {r.Expected:N0} updates lost without a lock{(r.Attempts > 1 ? $" (run {r.Attempts}: the threads of the runs before did not overlap)" : string.Empty)}, {r.Expected - r.Locked:N0} with one, {r.Expected - r.UnderInterpreterLock:N0} under the simulated GIL",
            ["refcount"],
            "Measured on .NET: a lock or an atomic instruction (Interlocked) makes the count exact; the GIL is one coarse way to get that.");
    }

    /// <summary>Decided by CPython's threading.Thread and asyncio when measured, with .NET's figures after.</summary>
    private static Verdict Waits(LabResults results)
    {
        const string id = "async-waits", claim = "asyncio handles many concurrent waits more efficiently than threads (too many threads add overhead).";
        var net = results.ConcurrentWaits;
        if (results.CPython.ConcurrentWaits is not { } py)
        {
            return new Verdict(id, claim, Outcome(AsyncWins(net)),
                $"{net.Waits:N0} waits on .NET: async {S(net.Async.Seconds)}, +{Mb(net.Async.PeakBytes)}; threads {S(net.Threads.Seconds)}, +{Mb(net.Threads.PeakBytes)}",
                ["concurrentWaits"]);
        }

        var threads = py.AllThreadsStarted
            ? $"threads {S(py.Threads.Seconds)}, +{Mb(py.Threads.PeakBytes)} ({py.Threads.PeakThreads:N0} alive at once)"
            : $"threads: only {py.Threads.Started:N0} started ({py.Threads.Error ?? "refused"})";
        return new Verdict(id, claim, Outcome(AsyncWins(py)),
            $"{py.Waits:N0} waits on CPython {results.Machine.Python}: asyncio {S(py.Async.Seconds)}, +{Mb(py.Async.PeakBytes)}; {threads}",
            ["cpython.concurrentWaits", "concurrentWaits"],
            $".NET: async {S(net.Async.Seconds)}, +{Mb(net.Async.PeakBytes)}; threads {S(net.Threads.Seconds)}, +{Mb(net.Threads.PeakBytes)}.");
    }

    /// <summary>Async waited in less memory and no more time; or the threads could not all be started at all.</summary>
    private static bool AsyncWins(WaitsResult w) =>
        !w.AllThreadsStarted || (w.Async.PeakBytes < w.Threads.PeakBytes && w.Async.Seconds <= w.Threads.Seconds);

    /// <summary>Whether CPU-bound threads ran one at a time: by their CPU time per wall second where it was
    /// measured (which other load on the machine does not change), else by their speed-up.</summary>
    private static bool Serial(Measurement m) => (m.Parallelism ?? m.Speedup) < NoSpeedup;

    /// <summary>", 1.0 cores busy" where the CPU time was measured.</summary>
    private static string Cores(Measurement m) =>
        m.Parallelism is { } p ? $" ({p.ToString("0.0", CultureInfo.InvariantCulture)} cores busy)" : string.Empty;

    /// <summary>CPython's threads row for a workload, when that CPython has its GIL.</summary>
    private static Measurement? RealGil(LabResults results, string workload) =>
        results.Machine.GilEnabled == true ? results.Find(Runtimes.CPython, workload, Strategies.Threads) : null;

    private static IEnumerable<string> Ids(Measurement? m) => m is null ? [] : [m.Id];

    private static Verdict NotMeasured(string id, string claim, string workload, string strategy) =>
        new(id, claim, Verdict.NotMeasured, $"{workload}/{strategy} was not run", [$"{workload}/{strategy}"]);

    private static string Outcome(bool holds) => holds ? Verdict.Holds : Verdict.DoesNotHold;

    private static string Join(IReadOnlyList<int> values) => string.Join(",", values);

    internal static string X(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) + "x" : "-";

    internal static string S(double? seconds) => seconds is { } s ? s.ToString("0.00", CultureInfo.InvariantCulture) + " s" : "-";

    internal static string Percent(double? share) => share is { } v ? (v * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : "-";

    internal static string Mb(long bytes) => (bytes / 1e6).ToString("0", CultureInfo.InvariantCulture) + " MB";
}
