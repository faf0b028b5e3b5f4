using Weft.Tests.Futures;

namespace Weft.Orleans.Tests.Cluster;

/// <summary><c>maxWorkers: null</c> follows the cluster: a silo that joins mid-map adds its slots and gets tasks.</summary>
public sealed class ElasticCapacityTests
{
    private static readonly ManualResetEventSlim s_release = new();

    [Fact]
    public async Task Map_SiloJoinsMidway_AddsCapacityAndRunsTasks()
    {
        s_release.Reset();
        var cluster = await TestClusters.StartAsync(1);
        try
        {
            var timings = ClusterTimings.Default with { RefreshPeriod = TimeSpan.FromMilliseconds(300) };
            using var executor = new ClusterExecutor(cluster.Client, null, 3, timings, TimeProvider.System);
            Assert.Equal(TestClusters.WorkersPerSilo, executor.MaxWorkers);
            var futures = Enumerable.Range(0, 4 * TestClusters.WorkersPerSilo).Select(i => executor.Submit(static i => Held(i), i)).ToList();
            ClusterExecutorTests.WaitUntil(() => executor.BusyWorkerCount == TestClusters.WorkersPerSilo);

            var joined = await cluster.StartAdditionalSiloAsync().WaitAsync(TimeSpan.FromMinutes(1));

            // The new silo's slots are used while the first silo's tasks are still held.
            ClusterExecutorTests.WaitUntil(() => executor.MaxWorkers == 2 * TestClusters.WorkersPerSilo && executor.BusyWorkerCount == 2 * TestClusters.WorkersPerSilo);
            s_release.Set();
            Assert.Equal(Enumerable.Range(0, futures.Count), futures.Select(f => f.Result(TestFutures.Long)));
            Assert.Contains(joined.SiloAddress.ToString(), executor.TasksBySilo.Keys);
        }
        finally
        {
            s_release.Set();
            await cluster.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(1));
        }
    }

    private static int Held(int i)
    {
        if (!s_release.Wait(TestFutures.Long))
        {
            throw new TimeoutException("the test never released the task");
        }

        return i;
    }
}
