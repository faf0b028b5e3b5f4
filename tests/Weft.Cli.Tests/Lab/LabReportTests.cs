using Spectre.Console;
using Weft.Cli.Commands;
using Weft.Cli.Lab;

namespace Weft.Cli.Tests.Lab;

public sealed class LabReportTests
{
    private static LabResults Sample(bool withCPython = false)
    {
        var results = LabFixtures.DotNetLike();
        if (withCPython)
        {
            results = LabFixtures.WithCPython(results) with
            {
                CPython = new CPythonRun(CPythonRun.Measured, "/usr/bin/python3", null)
                {
                    StartupSeconds = 0.02,
                    TutorialProcessPool = new TutorialRun("Finished in 0.02 seconds", 0.02, "TypeError: cpu_intensive_task() takes 0 positional arguments but 1 was given"),
                },
            };
        }

        return results with { Verdicts = Verdicts.Compute(results) };
    }

    [Fact]
    public void Markdown_DotNetOnly_HasMachineTableVerdictsCorrectionsAndSaysPythonWasNotMeasured()
    {
        var md = LabReport.Markdown(Sample());

        Assert.Contains("Machine: 2 cores, test, X64, .NET 10.0", md);
        Assert.Contains("| CPU: loop | threads | .NET | 4 | 4 | 0.21 s (runs 0.21-0.21) | - | 1.9x (runs 1.9-1.9x) | 2.0x | 95% |", md);
        Assert.Contains("Threads do not speed up CPU-bound work (section 5, the GIL example). **does not hold**: 1.9x", md);
        Assert.Contains("**demonstration**", md);
        Assert.Contains("CPython: not measured (--no-python); .NET only", md);
        Assert.Contains("PyPy has a GIL too", md);
        Assert.Contains("PEP 703", md);
        Assert.Contains("maps `range(4)` onto `cpu_intensive_task()`", md);
        Assert.Contains("(Not run here: no CPython", md);
    }

    [Fact]
    public void Markdown_WithCPython_RowsSideBySideAndTheTutorialsTypeErrorAsEvidence()
    {
        var md = LabReport.Markdown(Sample(withCPython: true));

        var lines = md.Split('\n').ToList();
        var net = lines.FindIndex(l => l.StartsWith("| CPU: loop | threads | .NET |", StringComparison.Ordinal));
        var py = lines.FindIndex(l => l.StartsWith("| CPU: loop | threads | CPython |", StringComparison.Ordinal));
        Assert.True(net > 0 && py == net + 1, md); // side by side: the CPython row right under the .NET row
        Assert.Contains("| CPU: loop | ProcessPoolExecutor | CPython | 4 | 4 | 0.25 s (runs 0.25-0.25) | 0.21 s (runs 0.21-0.21): 1.9x (runs 1.9-1.9x) | 1.6x (runs 1.6-1.6x) |", md);
        Assert.Contains("CPython 3.11.7 (/usr/bin/python3, GIL enabled; start-up 0.02 s, not in any time)", md);
        Assert.Contains("it printed \"Finished in 0.02 seconds\", and reading its results raised TypeError: cpu_intensive_task() takes 0 positional arguments", md);
    }

    [Fact]
    public void Markdown_CPythonWaits_ThreadsAndAsyncRowsBesideDotNetWithRefusedThreadsShown()
    {
        var results = LabFixtures.WithCPythonWaits(Sample(), threadsStarted: 1_234, error: "RuntimeError: can't start new thread");

        var md = LabReport.Markdown(results with { Verdicts = Verdicts.Compute(results) });

        var lines = md.Split('\n').ToList();
        var net = lines.FindIndex(l => l.StartsWith("| threads | .NET | 10,000 | 2.00 s | 80 MB | 10,010 |", StringComparison.Ordinal));
        Assert.True(net > 0, md);
        Assert.Equal("| threads | CPython | 1,234 (RuntimeError: can't start new thread) | 1.80 s | 40 MB | 1,400 |", lines[net + 1]);
        Assert.Equal("| async/await | .NET | 10,000 | 0.50 s | 4 MB | 12 |", lines[net + 2]);
        Assert.Equal("| async/await | CPython | 5,000 | 0.55 s | 8 MB | 1 |", lines[net + 3]);
    }

    [Fact]
    public void Markdown_DotNetOnly_WaitsTableHasOnlyDotNetRows()
    {
        var md = LabReport.Markdown(Sample());

        Assert.Contains("| threads | .NET | 10,000 | 2.00 s | 80 MB | 10,010 |", md);
        Assert.DoesNotContain("| threads | CPython |", md);
    }

    [Fact]
    public async Task PrintReport_Redirected_EachVerdictIsOneWholeLine()
    {
        var results = Sample(withCPython: true);
        var stdout = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Interactive = InteractionSupport.No,
            Ansi = AnsiSupport.No,
        });
        console.Profile.Width = 80; // what a redirected console reports

        await LabCommand.PrintReportAsync(results, console, stdout, interactive: false);

        var lines = stdout.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        foreach (var v in results.Verdicts)
        {
            Assert.True(v.Claim.Length + v.Figure.Length > 80, "the test needs verdicts longer than the console is wide");
            Assert.Contains(LabReport.VerdictLine(v), lines);
        }
    }

    [Theory]
    [InlineData(16.3, true)]
    [InlineData(1.5, false)]
    [InlineData(null, false)]
    public void Markdown_LoadAboveCores_WarnsTheCpuFiguresAreNotTheMachines(double? load, bool warned)
    {
        var results = Sample();
        results = results with { Machine = results.Machine with { LoadAverage = load } };

        var md = LabReport.Markdown(results);

        Assert.Equal(warned, md.Contains("**Busy machine: load average 16.3 on 2 cores as the run started.", StringComparison.Ordinal));
        Assert.Equal(warned, LabReport.BusyLine(results) is not null);
    }

    [Fact]
    public void Markdown_SaysHowManyRunsAndHowAVerdictIsDecided()
    {
        var md = LabReport.Markdown(Sample());

        Assert.Contains("Each strategy ran 3 times, in rounds.", md);
        Assert.Contains("a claim holds only if every run bears it out, fails only if every run contradicts it, and is otherwise *not decided here*", md);
    }

    [Fact]
    public void Markdown_BusyDuringTheCpuRuns_VerdictsReadNotDecidedHereWithTheLoad()
    {
        var results = Sample(withCPython: true);
        results = results with
        {
            Machine = results.Machine with { LoadAverage = 12.7 },
            Experiments = [.. results.Experiments.Select(m => m.Workload == Strategies.Cpu ? m with { OtherCores = 1.6 } : m with { OtherCores = 0.2 })],
        };
        results = results with { Verdicts = Verdicts.Compute(results) };

        var md = LabReport.Markdown(results);

        Assert.Contains("**Busy machine: other processes kept up to 1.6 of the cores busy during the CPU-bound runs (load average 12.7 on 2 cores as the run started).", md);
        Assert.Contains("A process pool speeds up CPU-bound work (it bypasses the GIL). **not decided here**: the machine was busy (load 12.7 on 2 cores as the run started; other processes kept 1.6 of its 2 cores busy during these runs); ", md);
        Assert.Contains("Threads speed up IO-bound work (section 1, 2). **holds**: ", md); // IO-bound waits need no free core
    }

    [Theory]
    [InlineData(0.1, 16.3, false)] // measured during the runs: a stale one-minute load average does not count
    [InlineData(0.6, 0.2, true)]
    public void BusyLine_MeasuredOtherLoadDecides(double otherCores, double load, bool busy)
    {
        var results = Sample();
        results = results with
        {
            Machine = results.Machine with { LoadAverage = load },
            Experiments = [.. results.Experiments.Select(m => m with { OtherCores = otherCores })],
        };

        Assert.Equal(busy, LabReport.BusyLine(results) is not null);
    }

    [Fact]
    public void ChartSave_Sample_WritesPng()
    {
        var path = Path.Combine(Path.GetTempPath(), $"weft-chart-{Guid.NewGuid():N}.png");
        try
        {
            LabChart.Save(Sample(withCPython: true), path);

            var png = File.ReadAllBytes(path);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
