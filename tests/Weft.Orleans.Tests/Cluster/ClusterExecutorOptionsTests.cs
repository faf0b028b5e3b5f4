using Weft.Tests.Futures;

namespace Weft.Orleans.Tests.Cluster;

/// <summary>The executor's options: checked at construction with an error that names the value, and used.</summary>
public sealed class ClusterExecutorOptionsTests(ThreeSiloCluster fixture) : IClassFixture<ThreeSiloCluster>
{
    public static TheoryData<string, Action<ClusterExecutorOptions>> Invalid => new()
    {
        { nameof(ClusterExecutorOptions.MaxWorkers), o => o.MaxWorkers = 0 },
        { nameof(ClusterExecutorOptions.MaxRetries), o => o.MaxRetries = -1 },
        { nameof(ClusterExecutorOptions.HeartbeatPeriod), o => o.HeartbeatPeriod = TimeSpan.Zero },
        { nameof(ClusterExecutorOptions.HeartbeatPeriod), o => o.HeartbeatPeriod = TimeSpan.FromMilliseconds(-1) },
        { nameof(ClusterExecutorOptions.LeaseTimeout), o => o.LeaseTimeout = TimeSpan.FromDays(30) },
        { nameof(ClusterExecutorOptions.LeaseTimeout), o => o.LeaseTimeout = o.HeartbeatPeriod },
        { nameof(ClusterExecutorOptions.RefreshPeriod), o => o.RefreshPeriod = TimeSpan.MaxValue },
        { nameof(ClusterExecutorOptions.BackoffBase), o => o.BackoffBase = TimeSpan.Zero },
        { nameof(ClusterExecutorOptions.BackoffMax), o => o.BackoffMax = o.BackoffBase / 2 },
        { nameof(ClusterExecutorOptions.SuspectFor), o => o.SuspectFor = TimeSpan.FromSeconds(-1) },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Constructor_ValueOutOfRange_ThrowsNamingIt(string name, Action<ClusterExecutorOptions> spoil)
    {
        var options = new ClusterExecutorOptions();
        spoil(options);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ClusterExecutor(fixture.Cluster.Client, options));

        Assert.Equal(name, error.ParamName);
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NullOptions_Throws() =>
        Assert.Throws<ArgumentNullException>(() => new ClusterExecutor(fixture.Cluster.Client, null!));

    [Fact]
    public void Map_WithOptions_UsesTheirLimitAndRuns()
    {
        using var executor = new ClusterExecutor(fixture.Cluster.Client, new ClusterExecutorOptions
        {
            MaxWorkers = 3,
            HeartbeatPeriod = TimeSpan.FromMilliseconds(200),
            LeaseTimeout = TimeSpan.FromSeconds(2),
        });

        var squares = executor.Map(static (int x) => x * x, Enumerable.Range(0, 20), timeout: TestFutures.Long).ToList();

        Assert.Equal(3, executor.MaxWorkers);
        Assert.Equal(Enumerable.Range(0, 20).Select(x => x * x), squares);
    }
}
