using System.Globalization;
using Xunit.Abstractions;

namespace Weft.Deploy.Tests;

/// <summary>
/// Issue 11: the process pool of an app built from the Weft package works in each way the app can be published.
/// One class, so the publishes run one after another (each takes a core or two) and share one packed feed.
/// </summary>
public sealed class PublishModesTests(ConsumerPackage package, ITestOutputHelper log) : IClassFixture<ConsumerPackage>
{
    private static readonly TimeSpan s_runDeadline = TimeSpan.FromMinutes(1);

    [Fact]
    public void FrameworkDependent_MapWithoutFreezeSupport_RunsInWorkerProcesses()
    {
        // A framework-dependent app needs no extra line: its workers are Weft.Worker.dll.
        var app = package.Publish("framework-dependent");
        AssertPoolWorks(RunApp(app, "--without-freeze-support"), "framework-dependent");
    }

    [Fact]
    public void SingleFile_Map_RunsInWorkerProcesses()
    {
        var app = package.Publish("single-file", "-r", ConsumerPackage.RuntimeIdentifier, "--self-contained", "false",
            "-p:PublishSingleFile=true");
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(app)!), f => !f.EndsWith(".pdb", StringComparison.Ordinal));
        AssertPoolWorks(RunApp(app), "single-file");

        // The same app without its FreezeSupport() line: the first Submit says what to add, in one sentence.
        var without = RunApp(app, "--without-freeze-support");
        Assert.True(without.ExitCode != 0, without.Describe());
        Assert.Contains("ProcessPoolExecutor.FreezeSupport();", without.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("terminated abruptly", without.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void SelfContained_MapWithNoDotnetOnPath_RunsInWorkerProcesses()
    {
        var app = package.Publish("self-contained", "-r", ConsumerPackage.RuntimeIdentifier, "--self-contained", "true");
        AssertPoolWorks(RunApp(app, withoutDotnet: true), "self-contained, no dotnet on PATH");
    }

    [Fact]
    public void NativeAot_Map_RunsInWorkerProcesses()
    {
        var app = package.Publish("native-aot", "-r", ConsumerPackage.RuntimeIdentifier, "-p:PublishAot=true");
        AssertPoolWorks(RunApp(app, withoutDotnet: true), "Native AOT");
    }

    /// <summary>Runs the published app with a PATH that has no dotnet when <paramref name="withoutDotnet"/>, and no
    /// DOTNET_ROOT or DOTNET_HOST_PATH either, as on a machine where .NET was never installed.</summary>
    private static DotnetCli.Outcome RunApp(string app, string? argument = null, bool withoutDotnet = false)
    {
        var environment = new Dictionary<string, string?>();
        if (withoutDotnet)
        {
            environment["PATH"] = string.Join(Path.PathSeparator, new[] { "/usr/bin", "/bin" }
                .Where(d => !File.Exists(Path.Combine(d, "dotnet"))));
            environment["DOTNET_ROOT"] = null;
            environment["DOTNET_HOST_PATH"] = null;
        }

        return DotnetCli.Run(app, argument is null ? [] : [argument], Path.GetDirectoryName(app)!, s_runDeadline, environment);
    }

    private void AssertPoolWorks(DotnetCli.Outcome run, string mode)
    {
        Assert.True(run.ExitCode == 0, $"{mode}: {run.Describe()}");
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(string.Join(',', Enumerable.Range(1, 20).Select(n => n * n)), lines["squares"]);
        Assert.Equal("WEFT", lines["shout"]);
        Assert.Equal("10", lines["sum"]);
        Assert.Equal("True", lines["worker-is-another-process"]);
        var first = double.Parse(lines["first-result-ms"], CultureInfo.InvariantCulture);
        log.WriteLine($"{mode}: first result of a fresh 2-worker pool in {first:F1} ms; Weft package {package.PackageBytes / 1024} KiB");
    }
}
