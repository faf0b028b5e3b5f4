using Weft.Cli.Lab;

namespace Weft.Cli.Tests.Lab;

public sealed class SpreadTests
{
    [Theory]
    [InlineData(new[] { 0.3, 0.1, 0.2 }, 0.2, 0.1, 0.3)]
    [InlineData(new[] { 0.4, 0.1, 0.3, 0.2 }, 0.25, 0.1, 0.4)]  // even count: the mean of the middle two
    [InlineData(new[] { 0.7 }, 0.7, 0.7, 0.7)]
    public void New_MedianMinMax_RunsKeptInOrder(double[] runs, double median, double min, double max)
    {
        var spread = new Spread(runs);

        Assert.Equal(median, spread.Median, 12);
        Assert.Equal(min, spread.Min);
        Assert.Equal(max, spread.Max);
        Assert.Equal(runs, spread.Runs);
    }

    [Fact]
    public void New_CopiesTheRuns()
    {
        double[] runs = [1, 2, 3];
        var spread = new Spread(runs);

        runs[0] = 100;

        Assert.Equal([1.0, 2, 3], spread.Runs);
    }

    [Fact]
    public void Ratio_PairsRunByRun()
    {
        // Round 2's sequential run was slow: its speed-up is high, and the median shrugs it off.
        var sequential = Spread.Of(0.40, 0.60, 0.40);
        var pool = Spread.Of(0.20, 0.20, 0.25);

        var speedups = Spread.Ratio(sequential, pool);

        Assert.Equal([2.0, 3.0, 1.6], speedups.Runs.Select(r => Math.Round(r, 12)));
        Assert.Equal(2.0, speedups.Median, 12);
    }

    [Fact]
    public void BadInput_ClearErrors()
    {
        Assert.Contains("at least one run", Assert.Throws<ArgumentException>(() => new Spread([])).Message);
        Assert.Contains("not a finite number", Assert.Throws<ArgumentException>(() => Spread.Of(1, double.NaN)).Message);
        Assert.Contains("3 runs cannot be paired with 2", Assert.Throws<ArgumentException>(() => Spread.Ratio(Spread.Of(1, 2, 3), Spread.Of(1, 2))).Message);
        Assert.Contains("not positive", Assert.Throws<ArgumentException>(() => Spread.Ratio(Spread.Of(1), Spread.Of(0))).Message);
    }
}
