using Weft.Cli.Lab;
using Weft.Cli.Lab.Python;

namespace Weft.Cli.Tests.Lab.Python;

public sealed class CPythonTests : IDisposable
{
    private static readonly LabSettings s_tiny = LabTestSettings.Tiny;
    private readonly PythonPrograms _programs = PythonPrograms.Extract();
    private readonly FakePython _fake = new();

    public void Dispose()
    {
        _programs.Dispose();
        _fake.Dispose();
    }

    private static CPython Real() => new(CPython.FindOnPath()!);

    [Fact]
    public void Programs_AreEmbeddedAsReadablePython()
    {
        foreach (var name in PythonPrograms.All)
        {
            Assert.Contains("\"\"\"", PythonPrograms.Read(name)); // each opens with a docstring saying what it is
        }

        Assert.Contains("executor.map(cpu_intensive_task, range(4))", PythonPrograms.Read("the_tutorials_process_pool.py"));
        Assert.Contains("for i in range(n):", PythonPrograms.Read(PythonPrograms.Cpu));
    }

    [PythonFact]
    public void Probe_RealPython_ReportsCPythonVersionAndGil()
    {
        var (report, startup) = Real().Probe(_programs, CPythonRunner.ProbeTimeout, CancellationToken.None);

        Assert.Equal("CPython", report.Implementation);
        Assert.Matches(@"^3\.\d+\.\d+", report.Python);
        Assert.True(startup > 0);
        if (int.Parse(report.Python.Split('.')[1], System.Globalization.CultureInfo.InvariantCulture) < 13)
        {
            Assert.True(report.GilEnabled); // only free-threaded 3.13t and later can run without it
        }
    }

    [PythonFact]
    public void Run_RealPythonCpuLoop_EveryStrategyTimedAndTheTutorialsTypeErrorCaught()
    {
        var (program, arguments) = CPythonWorkloads.Cpu(s_tiny);

        var report = Real().Run(_programs, program, arguments, CPythonRunner.ProgramTimeout, CancellationToken.None);
        var rows = CPythonWorkloads.Measurements(report, Strategies.Cpu, s_tiny.CpuTasks, Environment.ProcessorCount);

        Assert.Equal([Strategies.Sequential, Strategies.Threads, Strategies.ThreadPool, Strategies.ProcessPool], rows.Select(r => r.Strategy));
        Assert.All(rows, r => Assert.Equal(Runtimes.CPython, r.Runtime));
        Assert.All(rows, r => Assert.True(r.Seconds > 0));
        Assert.NotNull(rows.Single(r => r.Strategy == Strategies.ProcessPool).WarmSeconds);
        Assert.True(report.Loop >= 100_000);
        var tutorial = Assert.IsType<TutorialRun>(report.TutorialProcessPool);
        Assert.StartsWith("Finished in ", tutorial.Printed);
        Assert.Equal("TypeError: cpu_intensive_task() takes 0 positional arguments but 1 was given", tutorial.Error);
    }

    [PythonFact]
    public void Run_RealPythonIoSleep_ThreadsOverlapTheSleeps()
    {
        var (program, arguments) = CPythonWorkloads.IoSleep(s_tiny);

        var report = Real().Run(_programs, program, arguments, CPythonRunner.ProgramTimeout, CancellationToken.None);
        var rows = CPythonWorkloads.Measurements(report, Strategies.IoSleep, s_tiny.IoTasks, Environment.ProcessorCount);

        Assert.Equal(5, rows.Count); // asyncio included
        var sequential = rows.Single(r => r.Strategy == Strategies.Sequential).Seconds;
        // Sequential sleeps add up: at least tasks x latency, whatever the load (a sleep never ends early).
        Assert.True(sequential >= s_tiny.IoTasks * s_tiny.IoLatency.TotalSeconds * 0.95, $"sequential {sequential}");
    }

    [PythonFact]
    public void Run_RealPythonWaits_ThreadsAndAsyncioEachWaitAndReportMemory()
    {
        var (program, arguments) = CPythonWorkloads.Waits(s_tiny);

        var waits = CPythonWorkloads.ConcurrentWaits(Real().Run(_programs, program, arguments, CPythonRunner.ProgramTimeout, CancellationToken.None));

        Assert.Equal(Runtimes.CPython, waits.Runtime);
        Assert.Equal(s_tiny.Waits, waits.Waits);
        Assert.True(waits.AllThreadsStarted);
        Assert.Null(waits.Threads.Error);
        // Every wait sleeps its full time, whatever the load (a sleep never ends early).
        Assert.All([waits.Threads, waits.Async], r => Assert.True(r.Seconds >= s_tiny.WaitDuration.TotalSeconds * 0.95, $"{r.Seconds} s"));
        Assert.True(waits.Threads.PeakThreads > 1, $"{waits.Threads.PeakThreads} threads alive at once");
        Assert.Equal(1, waits.Async.PeakThreads); // asyncio waits on the one thread
        // Each thread alive holds at least a page of stack resident. Run from a .NET process (as weft runs it), a
        // high-water mark such as ru_maxrss is inherited from .NET across exec and would report 0 here.
        Assert.True(waits.Threads.PeakBytes >= (waits.Threads.PeakThreads - 1) * 4096L, $"+{waits.Threads.PeakBytes} bytes for {waits.Threads.PeakThreads} threads");
    }

    [PythonFact(UnixOnly = true)]
    public void Run_RealPythonRefusedThreads_ReportsHowManyStartedInsteadOfCrashing()
    {
        // 600 MB of address space: the interpreter starts, but a few dozen 8 MB thread stacks exhaust it.
        var python = new CPython(_fake.WithMemoryLimit(CPython.FindOnPath()!, 600_000));
        var settings = s_tiny with { Waits = 2_000 };
        var (program, arguments) = CPythonWorkloads.Waits(settings);

        var waits = CPythonWorkloads.ConcurrentWaits(python.Run(_programs, program, arguments, CPythonRunner.ProgramTimeout, CancellationToken.None));

        Assert.False(waits.AllThreadsStarted);
        Assert.InRange(waits.Threads.Started ?? -1, 0, settings.Waits - 1);
        Assert.Equal("RuntimeError: can't start new thread", waits.Threads.Error);
        Assert.Equal(settings.Waits, waits.Async.Started); // asyncio's waits need no stacks
    }

    [UnixFact]
    public void Run_ProgramFails_OneLineErrorWithThePythonException()
    {
        var python = new CPython(_fake.FailsAfterProbe());

        var e = Assert.Throws<CPythonException>(() => python.Run(_programs, PythonPrograms.Cpu, [], TimeSpan.FromSeconds(30), CancellationToken.None));

        Assert.Contains("cpu_loop.py exited with code 1: RuntimeError: boom", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [UnixFact]
    public void Probe_PrintsGarbage_SaysTheResultLineIsMalformed()
    {
        var python = new CPython(_fake.PrintsGarbage());

        var e = Assert.Throws<CPythonException>(() => python.Probe(_programs, TimeSpan.FromSeconds(30), CancellationToken.None));

        Assert.Contains("printed a malformed result line", e.Message);
        Assert.Contains("Python is great", e.Message);
    }

    [UnixFact]
    public void Probe_PyPy_IsRefused()
    {
        var python = new CPython(_fake.IsPyPy());

        var e = Assert.Throws<CPythonException>(() => python.Probe(_programs, TimeSpan.FromSeconds(30), CancellationToken.None));

        Assert.Contains("is PyPy 3.10.14, not CPython", e.Message);
    }

    [UnixFact]
    public void Measurements_ReportLacksStrategies_SaysWhichIsMissing()
    {
        var python = new CPython(_fake.PrintsNoTimes());
        var report = python.Run(_programs, PythonPrograms.Cpu, [], TimeSpan.FromSeconds(30), CancellationToken.None);

        var e = Assert.Throws<CPythonException>(() => CPythonWorkloads.Measurements(report, Strategies.Cpu, 4, 2));

        Assert.Equal("the cpu program reported no valid time for threads", e.Message);
    }

    [Fact]
    public void Start_MissingInterpreter_FailsWithReasonAndIsNotReady()
    {
        using var runner = CPythonRunner.Start(new PythonChoice(false, "/nonexistent/python3"), CancellationToken.None);

        Assert.False(runner.Ready);
        Assert.Equal(CPythonRun.Failed, runner.Status.Status);
        Assert.Contains("/nonexistent/python3 could not be started", runner.Status.Reason);
    }

    [Fact]
    public void Start_NoPython_IsSkippedWithoutLookingForOne()
    {
        using var runner = CPythonRunner.Start(PythonChoice.None, CancellationToken.None);

        Assert.False(runner.Ready);
        Assert.Equal(new CPythonRun(CPythonRun.Skipped, null, "--no-python"), runner.Status);
    }

    [UnixFact]
    public void Measure_ProgramFails_RecordsOneLineAndStopsThePythonSide()
    {
        using var runner = CPythonRunner.Start(new PythonChoice(false, _fake.FailsAfterProbe()), CancellationToken.None);
        Assert.True(runner.Ready);

        var rows = runner.Measure(Strategies.Cpu, CPythonWorkloads.Cpu(s_tiny), 4, CancellationToken.None);

        Assert.Empty(rows);
        Assert.False(runner.Ready);
        Assert.Equal(CPythonRun.Failed, runner.Status.Status);
        Assert.StartsWith("cpu: ", runner.Status.Reason);
        Assert.Contains("RuntimeError: boom", runner.Status.Reason);
    }

    [UnixFact]
    public void MeasureWaits_ProgramFails_RecordsOneLineAndStopsThePythonSide()
    {
        using var runner = CPythonRunner.Start(new PythonChoice(false, _fake.FailsAfterProbe()), CancellationToken.None);
        Assert.True(runner.Ready);

        var waits = runner.MeasureWaits(s_tiny, CancellationToken.None);

        Assert.Null(waits);
        Assert.False(runner.Ready);
        Assert.Null(runner.Status.ConcurrentWaits);
        Assert.Equal(CPythonRun.Failed, runner.Status.Status);
        Assert.StartsWith("waits: ", runner.Status.Reason);
        Assert.Contains("RuntimeError: boom", runner.Status.Reason);
    }
}
