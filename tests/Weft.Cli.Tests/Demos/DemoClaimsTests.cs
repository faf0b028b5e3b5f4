using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Weft.Cli.Demos;

namespace Weft.Cli.Tests.Demos;

/// <summary>Each demo shows what CLI.md's table says it must, checked from its own output. Where a claim is about
/// time, the bound sits between what the claim says and what its opposite would take (a sleep never ends early,
/// so "sequential" cannot be under the sum of its sleeps), with the rest of the gap left to a loaded machine; where
/// the output has structure (which line comes before which), that is checked too, and it needs no clock.</summary>
public sealed partial class DemoClaimsTests
{
    /// <summary>Per demo: run it with --fast (or not), then check its claim.</summary>
    private static readonly Dictionary<string, (bool Fast, Action<Output> Check)> s_claims = new()
    {
        ["sync"] = (true, Sync),
        ["threads"] = (false, Threads),
        ["args"] = (true, Args),
        ["submit"] = (true, Submit),
        ["as-completed"] = (true, AsCompleted),
        ["map"] = (true, Map),
        ["download"] = (true, Download),
        ["cpu"] = (true, Cpu),
        ["gil"] = (true, Gil),
        ["refcount"] = (true, Refcount),
        ["locks"] = (true, Locks),
        ["queue"] = (true, Queue),
        ["thread-local"] = (true, ThreadLocal),
        ["daemon"] = (true, Daemon),
        ["processes"] = (true, Processes),
        ["async"] = (true, Async),
        ["debug"] = (true, Debug),
    };

    /// <summary>"Finished in X seconds" is rounded to 0.01 s.</summary>
    private const double Rounding = 0.005;

    public static TheoryData<string> Demos()
    {
        var data = new TheoryData<string>();
        foreach (var demo in DemoCatalog.All)
        {
            data.Add(demo.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Demos))]
    public void Run_ShowsWhatTheDesignSaysItMust(string name)
    {
        Assert.True(s_claims.TryGetValue(name, out var claim), $"no claim test for demo '{name}'");
        using var programEnd = new CancellationTokenSource();
        var writer = new StringWriter();

        var code = DemoCatalog.Run(DemoCatalog.Find(name)!, writer, new DemoOptions(claim.Fast) { ProgramEnd = programEnd.Token });
        programEnd.Cancel(); // ends the daemon demo's background thread, as the process exit would

        var output = new Output(writer.ToString());
        Assert.True(code == 0, output.Text);
        claim.Check(output);
    }

    [Fact]
    public async Task Daemon_RealProcess_EndsWhileItsBackgroundThreadStillLoops()
    {
        // The background thread loops for ever; the process must still exit when Main returns.
        var (exitCode, output) = await RunCliAsync("demo", "daemon", "--fast");

        Assert.Equal(0, exitCode);
        Assert.Contains("Main program done!", output.Lines);
        Assert.Contains("still alive: True", output.Text); // it was running when Main returned: the exit ended it
    }

    [Fact]
    public async Task Processes_RealProcess_WorkersRunTheTasks()
    {
        // As a user runs it: the weft executable with its own runtimeconfig (PublishAot=true makes the JIT build
        // report no dynamic code, which once sent AOT code offsets to JIT workers and failed every task).
        var (exitCode, output) = await RunCliAsync("demo", "processes", "--fast");

        Assert.True(exitCode == 0, output.Text);
        Assert.Contains(output.Lines, l => l.StartsWith("ProcessPoolExecutor:", StringComparison.Ordinal) && l.Contains("same: True", StringComparison.Ordinal));
    }

    /// <summary>Runs the built weft (Weft.Cli.dll with its runtimeconfig) as a child process, bounded to 60 s.</summary>
    private static async Task<(int ExitCode, Output Output)> RunCliAsync(params string[] arguments)
    {
        var cli = typeof(DemoCatalog).Assembly.Location;
        var host = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        var info = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(cli);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var exited = process.WaitForExit(TimeSpan.FromSeconds(60));
        if (!exited)
        {
            process.Kill(entireProcessTree: true);
        }

        Assert.True(exited, $"weft {string.Join(' ', arguments)} did not exit within 60 s");
        return (process.ExitCode, new Output(await stdout + await stderr));
    }

    private static void Sync(Output o)
    {
        Assert.Equal(["Sleeping for 1 second...", "Done sleeping..."], o.Lines.Where(l => l.Contains("leeping", StringComparison.Ordinal)));
        Assert.InRange(o.Finished, 0.1 - Rounding, 1.0); // one 0.1 s sleep: it waits, and only once
    }

    private static void Threads(Output o)
    {
        // Two threads of 1 s: both start before either ends, and together take about 1 s, not the 2 s of one after the other.
        Assert.Equal(2, PeakInFlight(o, "Sleeping for 1 second...", "Done sleeping..."));
        Assert.InRange(o.Finished, 1.0 - Rounding, 1.9);
    }

    private static void Args(Output o)
    {
        // Ten threads of 0.15 s: overlapping, about 0.15 s; one after the other would be 1.5 s.
        Assert.Equal(10, o.Lines.Count(l => l == "Sleeping for 1.5 seconds..."));
        Assert.Equal(10, o.Lines.Count(l => l == "Done sleeping..."));
        Assert.True(PeakInFlight(o, "Sleeping for 1.5 seconds...", "Done sleeping...") >= 2, o.Text);
        Assert.InRange(o.Finished, 0.15 - Rounding, 0.75);
    }

    private static void Submit(Output o)
    {
        Assert.Contains("Done Sleeping...1", o.Lines);
        Assert.Contains("(the Future's state is now Finished)", o.Lines);
    }

    private static void AsCompleted(Output o)
    {
        Assert.Equal(["Done Sleeping...1", "Done Sleeping...2", "Done Sleeping...3", "Done Sleeping...4", "Done Sleeping...5"],
            o.Lines.Where(l => l.StartsWith("Done Sleeping...", StringComparison.Ordinal)));
        Assert.InRange(o.Finished, 0.5 - Rounding, 1.4); // the longest task, not the 1.5 s sum
    }

    private static void Map(Output o)
    {
        Assert.Equal(["Done Sleeping...5", "Done Sleeping...4", "Done Sleeping...3", "Done Sleeping...2", "Done Sleeping...1"],
            o.Lines.Where(l => l.StartsWith("Done Sleeping...", StringComparison.Ordinal)));
        Assert.InRange(o.Finished, 0.5 - Rounding, 1.4); // about 5 s (0.5 s with --fast), not the sum
    }

    private static void Download(Output o)
    {
        // The same 15 images both ways, and the pool's requests overlapped at the server (each answer waits 30 ms).
        // The claim is the overlap, which the server counts; the speed-up it buys is timed by the lab, not here, since
        // a test host running other test assemblies beside this one stretches every wall-clock figure.
        var downloaded = o.Lines.Where(l => l.EndsWith(".png was downloaded...", StringComparison.Ordinal)).ToList();
        Assert.Equal(30, downloaded.Count);
        Assert.Equal(downloaded[..15].Order(), downloaded[15..].Order());
        var m = Match(o, @"^Sequential (\d+\.\d\d) s -> thread pool (\d+\.\d\d) s: .*the server saw up to (\d+) requests at once");
        Assert.True(int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) >= 2, o.Text);
        Assert.True(Seconds(m, 2) < Seconds(m, 1), o.Text);
    }

    private static void Cpu(Output o)
    {
        // Every way ran and was timed; the ratios depend on the machine's load and are the lab's business.
        Assert.Single(o.Lines, l => l.StartsWith("Sequential:", StringComparison.Ordinal));
        Assert.Single(o.Lines, l => l.StartsWith("Threads:", StringComparison.Ordinal));
        var gil = Match(o, @"^Threads under a simulated GIL: .*; (\d+) lock switches\)");
        Assert.True(int.Parse(gil.Groups[1].Value, CultureInfo.InvariantCulture) >= 3, o.Text); // the 4 threads took turns
        Assert.Matches(@"ProcessPoolExecutor: +\d+\.\d\d s .*4 results", o.Text);
    }

    private static void Gil(Output o)
    {
        var cpu = Match(o, @"^CPU-bound under the GIL: .*\((\d+\.\d\d)x; (\d+) lock switches");
        Assert.True(int.Parse(cpu.Groups[2].Value, CultureInfo.InvariantCulture) >= 3, o.Text); // the threads took turns
        var io = Match(o, @"^IO-bound under the GIL: +4 threads each waiting 0\.1 s took (\d+\.\d\d) s \(the waits overlapped\)");
        Assert.True(Seconds(io, 1) < 0.2, o.Text); // 0.4 s if the lock had made them wait in turn
    }

    private static void Refcount(Output o)
    {
        Assert.Contains("With a lock:              4,000,000  (0 lost)", o.Lines);
        Assert.Contains("With Interlocked:         4,000,000  (0 lost)", o.Lines);
        Assert.StartsWith("Under a simulated GIL:    4,000,000  (0 lost)", Assert.Single(o.Lines, l => l.StartsWith("Under a simulated GIL:", StringComparison.Ordinal)));
        if (Environment.ProcessorCount >= 2)
        {
            var lost = Match(o, @"^Without a lock: +[\d,]+  \(([\d,]+) updates lost");
            Assert.True(long.Parse(lost.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture) > 0, o.Text);
        }
    }

    private static void Locks(Output o)
    {
        if (Environment.ProcessorCount >= 2)
        {
            var race = Match(o, @"^Race: .*; ([\d,]+) lost\)");
            Assert.True(long.Parse(race.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture) > 0, o.Text);
        }

        Assert.Contains("Lock: the same with lock (gate) { counter++; } -> 2,000,000", o.Lines);
        Assert.Contains("RLock: the same thread entered the lock 4 times, nested, without deadlock", o.Lines);
        Assert.Contains("a second acquire by the same thread -> refused", o.Text);
        var inside = Regex.Matches(o.Text, @"worker \d holds a permit \((\d) inside\)").Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(6, inside.Count);
        Assert.All(inside, n => Assert.InRange(n, 1, 2));
        var most = Match(o, @"^Semaphore\(2\): 6 workers, at most (\d) inside at once");
        Assert.InRange(int.Parse(most.Groups[1].Value, CultureInfo.InvariantCulture), 1, 2);
        var condition = o.Lines.Where(l => l.StartsWith("  producer", StringComparison.Ordinal) || l.StartsWith("  consumer", StringComparison.Ordinal)).ToList();
        for (var k = 1; k <= 3; k++)
        {
            var put = condition.IndexOf($"  producer put item {k} and notifies");
            var took = condition.IndexOf($"  consumer took item {k}");
            Assert.True(put >= 0 && took > put, o.Text); // the consumer waited for each item
        }
    }

    private static void Queue(Output o)
    {
        var items = Regex.Matches(o.Text, @"worker-\d working on item (\d)").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["1", "2", "3", "4", "5", "6", "7", "8", "9"], items.Order());
        var joined = o.Lines.IndexOf("All work completed: 9 items by 3 workers.");
        Assert.True(joined > o.Lines.FindLastIndex(l => l.Contains("working on item", StringComparison.Ordinal)), o.Text); // Join waited for all
        Assert.Equal(3, o.Lines.Count(l => l.EndsWith("stops: the queue was shut down", StringComparison.Ordinal)));
    }

    private static void ThreadLocal(Output o)
    {
        for (var k = 1; k <= 3; k++)
        {
            Assert.Contains($"thread-{k} starts and sees: (unset)", o.Lines);
            Assert.Contains($"thread-{k} set its own value and still sees: thread-{k}", o.Lines);
        }

        Assert.Contains("main still sees: main", o.Lines);
    }

    private static void Daemon(Output o)
    {
        // Every 0.2 s for 0.5 s: at 0, 0.2 and 0.4 s; then main ends with the thread still running (the ending
        // itself is checked on a real process below).
        var done = o.Lines.IndexOf("Main program done!");
        Assert.True(o.Lines.Take(done).Count(l => l == "Running in the background...") >= 2, o.Text);
        Assert.Contains("(the background thread is still alive: True; IsBackground=True", o.Text);
    }

    private static void Processes(Output o)
    {
        Assert.Matches(@"ThreadPoolExecutor: +\d+\.\d\d s +\(4 results\)", o.Text);
        Assert.Matches(@"ProcessPoolExecutor: +\d+\.\d\d s +\(4 results, same: True\)", o.Text);
    }

    private static void Async(Output o)
    {
        var a = Match(o, @"^async/await \(asyncio\): (\d+\.\d\d) s, peak memory \+(\d+) MB, (\d+) threads");
        var t = Match(o, @"^threads: +(\d+\.\d\d) s, peak memory \+(\d+) MB, (\d+) threads");
        Assert.True(int.Parse(t.Groups[3].Value, CultureInfo.InvariantCulture) >= 10_000, o.Text); // a thread per wait
        Assert.True(int.Parse(a.Groups[3].Value, CultureInfo.InvariantCulture) < 1_000, o.Text);  // no thread per await
        Assert.True(int.Parse(a.Groups[2].Value, CultureInfo.InvariantCulture) < int.Parse(t.Groups[2].Value, CultureInfo.InvariantCulture), o.Text);
        Assert.True(Seconds(a, 1) < 1.0, o.Text); // 10,000 waits of 0.1 s at once; in a row they would take 1,000 s
    }

    private static void Debug(Output o)
    {
        // In the test host other tests' threads are listed too; the demo's own two are what it must show.
        Assert.Matches(@"Threads\.Enumerate\(\) while two workers run \(\d+ active\):", o.Text);
        Assert.Contains(o.Lines, l => l.StartsWith("  ThreadInfo { Name = debug-worker-1,", StringComparison.Ordinal) && l.Contains("IsAlive = True", StringComparison.Ordinal));
        Assert.Contains(o.Lines, l => l.StartsWith("  ThreadInfo { Name = debug-worker-2,", StringComparison.Ordinal) && l.Contains("IsAlive = True", StringComparison.Ordinal));
        Assert.Equal(2, o.Lines.Count(l => l.Contains("Kind = ThreadStarted, ThreadName = debug-worker-", StringComparison.Ordinal)));
        Assert.Equal(2, o.Lines.Count(l => l.Contains("Kind = ThreadFinished, ThreadName = debug-worker-", StringComparison.Ordinal)));
        Assert.Matches(@"Both workers joined after \d+\.\d\d s \(Stopwatch\)", o.Text);
    }

    /// <summary>The most tasks between their start line and their end line at once, read from the order of the lines.</summary>
    private static int PeakInFlight(Output o, string started, string ended)
    {
        int now = 0, peak = 0;
        foreach (var line in o.Lines)
        {
            now += line == started ? 1 : line == ended ? -1 : 0;
            peak = Math.Max(peak, now);
        }

        return peak;
    }

    private static Match Match(Output o, string pattern)
    {
        var m = o.Lines.Select(l => Regex.Match(l, pattern)).FirstOrDefault(m => m.Success);
        Assert.True(m is not null, $"no line matches {pattern} in:\n{o.Text}");
        return m!;
    }

    private static double Seconds(Match m, int group) => double.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);

    /// <summary>A demo's output, its lines, and its "Finished in X seconds".</summary>
    private sealed partial class Output(string text)
    {
        public string Text => text;

        public List<string> Lines { get; } = [.. text.Split('\n').Select(l => l.TrimEnd('\r'))];

        public double Finished
        {
            get
            {
                var m = FinishedLine().Match(text);
                Assert.True(m.Success, $"no timing line in:\n{text}");
                return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            }
        }

        [GeneratedRegex(@"Finished in (\d+\.\d\d) seconds")]
        private static partial Regex FinishedLine();
    }
}
