using Weft.Tests.Futures;

namespace Weft.Orleans.Tests.Cluster;

/// <summary>The executor contract that both pools pass, against <see cref="ClusterExecutor"/> on 3 in-process silos.</summary>
public sealed class ClusterExecutorContractTests(ThreeSiloCluster fixture) : ExecutorContractTests, IClassFixture<ThreeSiloCluster>
{
    protected override Executor CreateExecutor(int maxWorkers) => new ClusterExecutor(fixture.Cluster.Client, maxWorkers);
}
