using Microsoft.Coyote;
using Microsoft.Coyote.SystematicTesting;
using Weft.Coyote.Tests;

// Usage: Weft.Coyote.Tests [iterations]. Runs every systematic test; exit code 1 if any found a bug.
// COYOTE_ONLY=part-of-a-name runs only the tests whose name contains it; COYOTE_TRACE=dir writes a failing test's
// log and schedule there (replay it with `dotnet tool run coyote replay`).
var iterations = args.Length > 0 ? uint.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1000u;
var failed = 0;
var passed = 0;
var only = Environment.GetEnvironmentVariable("COYOTE_ONLY");
foreach (var (name, test) in SystematicTests.All.Concat(WorkerLifecycleTests.All))
{
    if (only is not null && !name.Contains(only, StringComparison.Ordinal))
    {
        continue;
    }

    var config = Configuration.Create().WithTestingIterations(iterations).WithPotentialDeadlocksReportedAsBugs(true);
    using var engine = TestingEngine.Create(config, test);
    engine.Run();
    var bugs = engine.TestReport.NumOfFoundBugs;
    if (bugs == 0)
    {
        passed++;
        Console.WriteLine($"  Passed {name} ({engine.TestReport.NumOfExploredFairPaths + engine.TestReport.NumOfExploredUnfairPaths} schedules)");
    }
    else
    {
        failed++;
        Console.WriteLine($"  Failed {name}: {string.Join("; ", engine.TestReport.BugReports)}");
        if (Environment.GetEnvironmentVariable("COYOTE_TRACE") is { } dir)
        {
            Directory.CreateDirectory(dir);
            engine.TryEmitReports(dir, name, out var files);
            Console.WriteLine($"  Reports: {string.Join(", ", files)}");
        }
    }
}

Console.WriteLine($"Coyote: Passed: {passed}, Failed: {failed}");
return failed == 0 ? 0 : 1;
