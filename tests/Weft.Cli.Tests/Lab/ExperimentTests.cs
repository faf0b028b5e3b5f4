using Weft.Cli.Lab;

namespace Weft.Cli.Tests.Lab;

public sealed class ExperimentTests
{
    [Theory]
    [InlineData(10, 6, 5.0)]    // two rounds: 6 then 4
    [InlineData(10, 10, 10.0)]
    [InlineData(4, 2, 2.0)]
    [InlineData(10, 2, 2.0)]
    [InlineData(3, 2, 1.5)]     // two rounds: 2 then 1
    [InlineData(2, 8, 2.0)]
    public void IdealSpeedup_EqualTasksInRounds_IsTasksOverRounds(int tasks, int parallel, double expected)
    {
        Assert.Equal(expected, Experiment.IdealSpeedup(tasks, parallel), 6);
    }
}
