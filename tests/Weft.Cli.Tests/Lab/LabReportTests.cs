using Weft.Cli.Lab;

namespace Weft.Cli.Tests.Lab;

public sealed class LabReportTests
{
    private static LabResults Sample()
    {
        var results = VerdictsTests.DotNetLike();
        return results with { Verdicts = Verdicts.Compute(results) };
    }

    [Fact]
    public void Markdown_Sample_HasMachineTableVerdictsAndCorrections()
    {
        var md = LabReport.Markdown(Sample());

        Assert.Contains("Machine: 2 cores, test, X64, .NET 10.0", md);
        Assert.Contains("| CPU: loop | threads | 4 | 4 | 0.21 s | 1.9x | 2.0x | 95% |", md);
        Assert.Contains("Threads do not speed up CPU-bound work (section 5, the GIL example). **does not hold**: 1.9x", md);
        Assert.Contains("PyPy has a GIL too", md);
        Assert.Contains("PEP 703", md);
        Assert.Contains("![speed-up per workload and strategy](chart.png)", md);
    }

    [Fact]
    public void ChartSave_Sample_WritesPng()
    {
        var path = Path.Combine(Path.GetTempPath(), $"weft-chart-{Guid.NewGuid():N}.png");
        try
        {
            LabChart.Save(Sample(), path);

            var png = File.ReadAllBytes(path);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
