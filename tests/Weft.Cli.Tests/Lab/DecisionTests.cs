using Weft.Cli.Lab;

namespace Weft.Cli.Tests.Lab;

public sealed class DecisionTests
{
    [Theory]
    [InlineData(new[] { 1.3, 1.5, 2.0 }, true)]
    [InlineData(new[] { 1.25, 1.25, 1.25 }, true)]   // at the threshold is reaching it
    [InlineData(new[] { 1.0, 1.1, 1.24 }, false)]
    [InlineData(new[] { 1.24, 1.3, 2.0 }, null)]
    [InlineData(new[] { 0.9, 1.0, 1.25 }, null)]
    public void AtLeast_EveryRunMustAgree(double[] runs, bool? expected)
    {
        Assert.Equal(expected, Decision.AtLeast(new Spread(runs), 1.25));
    }

    [Theory]
    [InlineData(new[] { 0.9, 1.0, 1.24 }, true)]
    [InlineData(new[] { 1.25, 1.6, 1.9 }, false)]    // at the threshold is not below it
    [InlineData(new[] { 1.0, 1.1, 1.3 }, null)]
    public void Below_EveryRunMustAgree(double[] runs, bool? expected)
    {
        Assert.Equal(expected, Decision.Below(new Spread(runs), 1.25));
    }

    [Theory]
    [InlineData(true, false, false, true)]
    [InlineData(false, false, false, false)]
    [InlineData(true, true, false, null)]     // busy: what the runs show could be the load's doing
    [InlineData(false, true, false, null)]
    [InlineData(false, true, true, false)]    // busy, but parallel in every run: load cannot add cores
    [InlineData(null, false, false, null)]
    public void OnBusyMachine_OnlyWhatLoadCannotProduceStands(bool? decision, bool busy, bool parallelRegardless, bool? expected)
    {
        Assert.Equal(expected, Decision.OnBusyMachine(decision, busy, parallelRegardless));
    }
}
