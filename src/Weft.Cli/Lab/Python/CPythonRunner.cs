namespace Weft.Cli.Lab.Python;

/// <summary>Runs the lab's workloads as the tutorial's Python programs on one interpreter. A failure is
/// recorded in <see cref="Status"/> in one line and ends the Python side; the .NET side carries on.</summary>
internal sealed class CPythonRunner : IDisposable
{
    /// <summary>How long the probe may take (a cold interpreter on a loaded machine).</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How long one workload's program may take.</summary>
    public static readonly TimeSpan ProgramTimeout = TimeSpan.FromMinutes(5);

    private CPython? _python;
    private PythonPrograms? _programs;

    private CPythonRunner(CPythonRun status) => Status = status;

    /// <summary>Whether the Python side ran, on what, or why not.</summary>
    public CPythonRun Status { get; private set; }

    /// <summary>The interpreter's version; null until the probe succeeded.</summary>
    public string? Version { get; private set; }

    /// <summary>Whether the interpreter runs with its GIL; null until the probe succeeded.</summary>
    public bool? GilEnabled { get; private set; }

    /// <summary>Whether workloads will run.</summary>
    public bool Ready => _python is not null;

    /// <summary>Finds the interpreter and checks that it starts and is CPython.</summary>
    /// <param name="choice">--python, --no-python or neither.</param>
    /// <param name="cancellationToken">Kills the probe.</param>
    /// <returns>The runner, ready or with the reason it is not.</returns>
    public static CPythonRunner Start(PythonChoice choice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(choice);
        if (choice.Skip)
        {
            return new CPythonRunner(new CPythonRun(CPythonRun.Skipped, null, "--no-python"));
        }

        var executable = choice.Path ?? CPython.FindOnPath();
        if (executable is null)
        {
            return new CPythonRunner(new CPythonRun(CPythonRun.Skipped, null, $"no {CPython.DefaultName} on PATH (--python PATH to use one)"));
        }

        var programs = PythonPrograms.Extract();
        var runner = new CPythonRunner(new CPythonRun(CPythonRun.Measured, executable, null));
        try
        {
            var python = new CPython(executable);
            var (report, startup) = python.Probe(programs, ProbeTimeout, cancellationToken);
            runner._python = python;
            runner._programs = programs;
            runner.Version = report.Python;
            runner.GilEnabled = report.GilEnabled;
            runner.Status = runner.Status with { StartupSeconds = startup };
        }
        catch (CPythonException e)
        {
            programs.Dispose();
            runner.Status = new CPythonRun(CPythonRun.Failed, executable, e.Message);
        }

        return runner;
    }

    /// <summary>Runs one workload's program and turns its report into measurements.</summary>
    /// <param name="workload">The workload.</param>
    /// <param name="command">The program and its arguments (see <see cref="CPythonWorkloads"/>).</param>
    /// <param name="tasks">How many tasks it runs.</param>
    /// <param name="cancellationToken">Kills the interpreter.</param>
    /// <returns>The measurements; empty when not ready or when the program failed (then <see cref="Status"/> says why).</returns>
    public IReadOnlyList<Measurement> Measure(string workload, (string Program, string[] Arguments) command, int tasks, CancellationToken cancellationToken)
    {
        if (_python is null || _programs is null)
        {
            return [];
        }

        try
        {
            var report = _python.Run(_programs, command.Program, command.Arguments, ProgramTimeout, cancellationToken);
            var measurements = CPythonWorkloads.Measurements(report, workload, tasks, Environment.ProcessorCount);
            if (report.TutorialProcessPool is { } tutorial)
            {
                Status = Status with { TutorialProcessPool = tutorial };
            }

            if (report.Ordering is { } ordering)
            {
                Status = Status with { Ordering = ordering };
            }

            return measurements;
        }
        catch (CPythonException e)
        {
            Status = Status with { Status = CPythonRun.Failed, Reason = $"{workload}: {e.Message}" };
            _python = null;
            return [];
        }
    }

    /// <summary>Runs the concurrent-waits program: threads versus asyncio.</summary>
    /// <param name="settings">The sizes.</param>
    /// <param name="cancellationToken">Kills the interpreter.</param>
    /// <returns>The figures; null when not ready or when the program failed (then <see cref="Status"/> says why).</returns>
    public WaitsResult? MeasureWaits(LabSettings settings, CancellationToken cancellationToken)
    {
        if (_python is null || _programs is null)
        {
            return null;
        }

        var (program, arguments) = CPythonWorkloads.Waits(settings);
        try
        {
            var waits = CPythonWorkloads.ConcurrentWaits(_python.Run(_programs, program, arguments, ProgramTimeout, cancellationToken));
            Status = Status with { ConcurrentWaits = waits };
            return waits;
        }
        catch (CPythonException e)
        {
            Status = Status with { Status = CPythonRun.Failed, Reason = $"waits: {e.Message}" };
            _python = null;
            return null;
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _programs?.Dispose();
}
