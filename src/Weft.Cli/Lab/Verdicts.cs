using System.Globalization;

namespace Weft.Cli.Lab;

/// <summary>Turns measurements into one verdict per claim of the tutorial. Pure: the same numbers give the same verdicts.
/// A claim about Python is decided by the CPython rows when there are any; the .NET row then says what differs.
/// Every timed claim goes by <see cref="Decision"/>: all runs must agree, or it is not decided.</summary>
internal static partial class Verdicts
{
    /// <summary>A speed-up (or cores busy) below this counts as "no faster than sequential".</summary>
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

    /// <summary>An IO-bound claim: "at least" a threshold, every run. IO work needs little CPU, so only a machine
    /// with hardly a core left free counts as busy for it (and then only to say why it is not decided).</summary>
    private static Verdict IoClaim(LabResults results, string id, string claim, Measurement m, double threshold, string figure, IReadOnlyList<string> evidence, string? comment) =>
        Decided(id, claim, Decision.AtLeast(m.SpeedupSpread, threshold), figure, evidence, comment,
            () => IsBusy(results, m, lanes: 1) ? Busy(results, m) : Straddles(m.SpeedupSpread, threshold, "x"));

    private static Verdict IoThreads(LabResults results)
    {
        const string id = "io-threads", claim = "Threads speed up IO-bound work (section 1, 2).";
        if (Deciding(results, Strategies.IoSleep, Strategies.Threads) is not { } m)
        {
            return NotMeasured(id, claim, Strategies.IoSleep, Strategies.Threads);
        }

        return IoClaim(results, id, claim, m, IoShareOfIdeal * m.Ideal,
            $"{Speedups(m)} with {m.Workers} threads {On(results, m)} (ideal {X(m.Ideal)})", [m.Id],
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
        return IoClaim(results, id, claim, m, DownloadSpeedup,
            $"{S(sequential?.Seconds)} -> {S(m.Seconds)}, {Speedups(m)} {On(results, m)} (tutorial: 4.6x)", [m.Id],
            DotNetBeside(results, m, "."));
    }

    private static Verdict IoGil(LabResults results)
    {
        const string id = "io-gil", claim = "The GIL does not stop IO-bound threads from overlapping.";
        var simulated = results.Find(Runtimes.DotNet, Strategies.IoSleep, Strategies.GilThreads);
        if (RealGil(results, Strategies.IoHttp) is { } real)
        {
            return IoClaim(results, id, claim, real, IoShareOfIdeal * real.Ideal,
                $"{Speedups(real)} with {real.Workers} threads fetching over HTTP under CPython {results.Machine.Python}'s GIL (ideal {X(real.Ideal)})",
                [real.Id, .. Ids(simulated)],
                "A thread releases the GIL while it waits on its socket." + (simulated is null ? string.Empty : $" Weft's simulated lock, sleeping: {X(simulated.Speedup)}."));
        }

        return SimulatedOnly(id, claim, Strategies.IoSleep, simulated, "the simulated lock is released while a thread sleeps.");
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

    /// <summary>Decided by CPython's threading.Thread and asyncio when measured, with .NET's figures after. One run
    /// each (thousands of threads cost too much to repeat): the margins are wide, a thread can never wait less
    /// than the wait itself plus its start, and memory is not timing noise.</summary>
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

    /// <summary>A verdict from a three-way decision: null is "not decided here", with the reason.</summary>
    private static Verdict Decided(string id, string claim, bool? holds, string figure, IReadOnlyList<string> evidence, string? comment, Func<string> reason) =>
        holds is { } h
            ? new Verdict(id, claim, Outcome(h), figure, evidence, comment)
            : new Verdict(id, claim, Verdict.NotDecided, figure, evidence, comment) { Reason = reason() };

    /// <summary>Whether the machine was busy while <paramref name="m"/>'s group ran, for work that runs <paramref name="lanes"/> things at once.</summary>
    private static bool IsBusy(LabResults results, Measurement m, int lanes) =>
        SystemLoad.IsBusy(m.OtherCores, results.Machine.LoadAverage, results.Machine.Cores, lanes);

    /// <summary>"the machine was busy (load 12.7 on 2 cores as the run started; other processes kept 1.6 cores busy during these runs)".</summary>
    internal static string Busy(LabResults results, Measurement m)
    {
        var machine = results.Machine;
        List<string> parts = [];
        if (machine.LoadAverage is { } load)
        {
            parts.Add($"load {F1(load)} on {machine.Cores} cores as the run started");
        }

        if (m.OtherCores is { } other)
        {
            parts.Add($"other processes kept {F1(other)} of its {machine.Cores} cores busy during these runs");
        }

        return parts.Count == 0 ? "the machine was busy" : $"the machine was busy ({string.Join("; ", parts)})";
    }

    /// <summary>"the runs fall on both sides of 1.25x (from 1.1 to 1.4)".</summary>
    private static string Straddles(Spread runs, double threshold, string unit) =>
        $"the runs fall on both sides of {F2(threshold)}{unit} (from {F2(runs.Min)} to {F2(runs.Max)})";

    private static IEnumerable<string> Ids(Measurement? m) => m is null ? [] : [m.Id];

    private static Verdict NotMeasured(string id, string claim, string workload, string strategy) =>
        new(id, claim, Verdict.NotMeasured, $"{workload}/{strategy} was not run", [$"{workload}/{strategy}"]);

    private static string Outcome(bool holds) => holds ? Verdict.Holds : Verdict.DoesNotHold;

    private static string Join(IReadOnlyList<int> values) => string.Join(",", values);

    /// <summary>"9.7x (runs 9.5-9.8x)": the median speed-up and the range of the rounds'.</summary>
    internal static string Speedups(Measurement m) => Range(m.SpeedupSpread, "x");

    /// <summary>The median, and the range when there was more than one run: "1.9x (runs 1.8-2.0x)".</summary>
    internal static string Range(Spread s, string unit) =>
        s.Runs.Count < 2 ? $"{F1(s.Median)}{unit}" : $"{F1(s.Median)}{unit} (runs {F1(s.Min)}-{F1(s.Max)}{unit})";

    internal static string X(double? value) => value is { } v ? F1(v) + "x" : "-";

    internal static string S(double? seconds) => seconds is { } s ? s.ToString("0.00", CultureInfo.InvariantCulture) + " s" : "-";

    internal static string Percent(double? share) => share is { } v ? (v * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : "-";

    internal static string Mb(long bytes) => (bytes / 1e6).ToString("0", CultureInfo.InvariantCulture) + " MB";

    internal static string F1(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}
