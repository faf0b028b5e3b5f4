using Orleans.TestingHost;
using Weft.Tests.Futures;

namespace Weft.Orleans.Tests.Cluster;

/// <summary>A silo dies in the middle of a map: every result still arrives, in order, and nothing hangs.</summary>
public sealed class SiloFailureTests
{
    private const int Items = 300;
    private const int HeldFrom = 100;

    private static readonly ManualResetEventSlim s_hold = new();
    private static readonly ManualResetEventSlim s_victimHold = new();
    private static string? s_victim;

    [Fact]
    public async Task Map_SiloKilledMidway_EveryResultArrivesInOrderAndLostTasksRanElsewhere()
    {
        s_hold.Reset();
        s_victimHold.Reset();
        var cluster = await TestClusters.StartAsync(3);
        try
        {
            await MapWhileASiloDies(cluster);
        }
        finally
        {
            s_hold.Set();
            s_victimHold.Set();
            await cluster.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(1));
        }
    }

    private static async Task MapWhileASiloDies(InProcessTestCluster cluster)
    {
        var victim = cluster.Silos[2];
        var victimKey = victim.SiloAddress.ToString();
        Volatile.Write(ref s_victim, victimKey);
        using var executor = new ClusterExecutor(cluster.Client);
        var results = new List<int>();

        // Items from HeldFrom on wait (the silos share this process), so when the victim starts dying every slot
        // holds a running task, the victim's included. The victim's never return before the map is over, so their
        // calls are certainly lost (the dying silo answers nothing) and must be resent to the others.
        Task killed;
        using (var iterator = executor.Map(static (int x) => HeldSquare(x), Enumerable.Range(0, Items), timeout: TimeSpan.FromMinutes(2)).GetEnumerator())
        {
            while (results.Count < HeldFrom && iterator.MoveNext())
            {
                results.Add(iterator.Current);
            }

            ClusterExecutorTests.WaitUntil(() => executor.BusyWorkerCount == executor.MaxWorkers);
            killed = cluster.KillSiloAsync(victim);
            s_hold.Set();
            while (iterator.MoveNext())
            {
                results.Add(iterator.Current);
            }
        }

        s_victimHold.Set();
        await killed.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(Enumerable.Range(0, Items).Select(x => x * x), results);
        var resent = executor.ResentLog;
        Assert.True(resent.Any(r => r.FailedOn == victimKey), $"victim {victimKey}; resent: {string.Join(", ", resent)}; by silo: {string.Join(", ", executor.TasksBySilo)}");
        Assert.All(resent, r => Assert.NotEqual(victimKey, r.RanOn));
        Finish(executor);
    }

    private static void Finish(ClusterExecutor executor) =>
        Assert.True(Task.Run(() => executor.Shutdown()).Wait(TestFutures.Long), "Shutdown hung after a silo died");

    private static int HeldSquare(int x)
    {
        var hold = Volatile.Read(ref s_victim) == Workers.WeftWorkerGrain.CurrentSilo ? s_victimHold : s_hold;
        if (x >= HeldFrom && !hold.Wait(TimeSpan.FromMinutes(2)))
        {
            throw new TimeoutException("the test never released the held tasks");
        }

        return x * x;
    }
}
