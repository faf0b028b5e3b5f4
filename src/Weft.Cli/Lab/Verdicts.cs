using System.Globalization;

namespace Weft.Cli.Lab;

/// <summary>Turns measurements into one verdict per claim of the tutorial. Pure: the same numbers give the same verdicts.</summary>
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
            IoScales(results, "io-threads", Strategies.IoSleep, Strategies.Threads,
                "Threads speed up IO-bound work (section 1, 2)."),
            Download(results),
            Ordering("map-order", "map() returns results in the order the tasks were started (section 3).",
                results.Ordering.Map, results.Ordering.Submitted, results.Ordering),
            Ordering("as-completed", "as_completed() yields results as the tasks complete (section 3).",
                results.Ordering.AsCompleted, results.Ordering.Finished, results.Ordering),
            CpuNoFaster(results, "cpu-threads", Strategies.Threads,
                "Threads do not speed up CPU-bound work (section 5, the GIL example).",
                "Differs in .NET: it has no GIL, so CPU-bound threads run on all cores."),
            CpuNoFaster(results, "cpu-gil", Strategies.GilThreads,
                "Under the GIL, CPU-bound threads are no faster than sequential code.",
                "Measured with Weft's simulated interpreter lock: one thread runs at a time, switching every few ms."),
            IoScales(results, "io-gil", Strategies.IoSleep, Strategies.GilThreads,
                "The GIL does not stop IO-bound threads from overlapping.", "A thread releases the lock while it waits."),
            CpuFaster(results),
            Refcount(results.Refcount),
            Waits(results.ConcurrentWaits),
        ];
    }

    private static Verdict IoScales(LabResults results, string id, string workload, string strategy, string claim, string? comment = null)
    {
        var m = results.Find(workload, strategy);
        if (m is null)
        {
            return NotMeasured(id, claim, $"{workload}/{strategy}");
        }

        var holds = m.Speedup >= IoShareOfIdeal * m.Ideal;
        return new Verdict(id, claim, Outcome(holds),
            $"{X(m.Speedup)} with {m.Workers} {Strategies.Label(strategy)} (ideal {X(m.Ideal)})", [m.Id], comment);
    }

    private static Verdict Download(LabResults results)
    {
        const string claim = "A thread pool speeds up downloading images (section 4: 23 s -> 5 s).";
        var m = results.Find(Strategies.IoHttp, Strategies.ThreadPool);
        if (m is null)
        {
            return NotMeasured("download", claim, $"{Strategies.IoHttp}/{Strategies.ThreadPool}");
        }

        var sequential = results.Find(Strategies.IoHttp, Strategies.Sequential);
        return new Verdict("download", claim, Outcome(m.Speedup >= DownloadSpeedup),
            $"{S(sequential?.Seconds)} -> {S(m.Seconds)}, {X(m.Speedup)} (tutorial: 4.6x)", [m.Id]);
    }

    private static Verdict CpuNoFaster(LabResults results, string id, string strategy, string claim, string comment)
    {
        var m = results.Find(Strategies.Cpu, strategy);
        if (m is null)
        {
            return NotMeasured(id, claim, $"{Strategies.Cpu}/{strategy}");
        }

        var holds = m.Speedup < NoSpeedup;
        if (holds && strategy == Strategies.Threads)
        {
            comment = results.Machine.Cores < 2
                ? "One core: nothing can run in parallel here, GIL or not."
                : "The cores were busy with other work during this run; .NET itself has no GIL. Run it again on an idle machine.";
        }

        return new Verdict(id, claim, Outcome(holds),
            $"{X(m.Speedup)} with {m.Workers} threads on {results.Machine.Cores} cores (ideal {X(m.Ideal)})", [m.Id], comment);
    }

    private static Verdict CpuFaster(LabResults results)
    {
        const string claim = "A process pool speeds up CPU-bound work (it bypasses the GIL).";
        var m = results.Find(Strategies.Cpu, Strategies.ProcessPool);
        if (m is null)
        {
            return NotMeasured("cpu-processes", claim, $"{Strategies.Cpu}/{Strategies.ProcessPool}");
        }

        var holds = m.Speedup >= NoSpeedup;
        return new Verdict("cpu-processes", claim, Outcome(holds),
            $"{X(m.Speedup)} with {m.Workers} processes (ideal {X(m.Ideal)})", [m.Id],
            holds
                ? "In .NET plain threads do as well, without copying arguments between processes."
                : "Process start-up and argument copying outweighed the work, or the cores were busy.");
    }

    private static Verdict Ordering(string id, string claim, IReadOnlyList<int> got, IReadOnlyList<int> expected, OrderingResult o)
    {
        var holds = got.Count > 0 && got.SequenceEqual(expected);
        return new Verdict(id, claim, Outcome(holds),
            $"got {Join(got)}; submitted {Join(o.Submitted)}, finished {Join(o.Finished)}", ["ordering"],
            id == "map-order" ? "The results are ordered; the work itself runs at once and finishes in any order." : null);
    }

    private static Verdict Refcount(RefcountResult r)
    {
        const string claim = "Without the GIL, threads updating reference counts corrupt them.";
        var exactWithLock = r.Locked == r.Expected && r.Interlocked == r.Expected;
        var holds = r.Lost > 0 && exactWithLock;
        var gil = r.UnderInterpreterLock is { } g ? $", {r.Expected - g:N0} under the simulated GIL" : string.Empty;
        return new Verdict("refcount", claim, Outcome(holds),
            $"{r.Lost:N0} of {r.Expected:N0} updates lost without a lock, {r.Expected - r.Locked:N0} with one{gil}", ["refcount"],
            "A lock or an atomic instruction (Interlocked) makes the count exact; the GIL is one coarse way to get that.");
    }

    private static Verdict Waits(WaitsResult w)
    {
        const string claim = "asyncio handles many concurrent waits more efficiently than threads (too many threads add overhead).";
        var holds = w.Async.PeakBytes < w.Threads.PeakBytes && w.Async.Seconds <= w.Threads.Seconds;
        return new Verdict("async-waits", claim, Outcome(holds),
            $"{w.Waits:N0} waits: async {S(w.Async.Seconds)}, +{Mb(w.Async.PeakBytes)}; threads {S(w.Threads.Seconds)}, +{Mb(w.Threads.PeakBytes)}",
            ["concurrentWaits"]);
    }

    private static Verdict NotMeasured(string id, string claim, string experiment) =>
        new(id, claim, Verdict.NotMeasured, $"{experiment} is not available in this build", [experiment]);

    private static string Outcome(bool holds) => holds ? Verdict.Holds : Verdict.DoesNotHold;

    private static string Join(IReadOnlyList<int> values) => string.Join(",", values);

    internal static string X(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) + "x" : "-";

    internal static string S(double? seconds) => seconds is { } s ? s.ToString("0.00", CultureInfo.InvariantCulture) + " s" : "-";

    internal static string Percent(double? share) => share is { } v ? (v * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : "-";

    internal static string Mb(long bytes) => (bytes / 1e6).ToString("0", CultureInfo.InvariantCulture) + " MB";
}
