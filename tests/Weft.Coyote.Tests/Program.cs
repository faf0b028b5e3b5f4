using Microsoft.Coyote;
using Microsoft.Coyote.SystematicTesting;
using Weft.Coyote.Tests;

// Usage: Weft.Coyote.Tests [iterations]. Runs every systematic test; exit code 1 if any found a bug.
var iterations = args.Length > 0 ? uint.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1000u;
var failed = 0;
var passed = 0;
foreach (var (name, test) in SystematicTests.All)
{
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
    }
}

Console.WriteLine($"Coyote: Passed: {passed}, Failed: {failed}");
return failed == 0 ? 0 : 1;
