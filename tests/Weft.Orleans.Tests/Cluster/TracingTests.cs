using System.Diagnostics;
using Weft.Tests.Futures;

namespace Weft.Orleans.Tests.Cluster;

/// <summary>Issue 23 on a cluster: the submitter's trace continues inside the task on the silo.</summary>
public sealed class TracingTests(ThreeSiloCluster fixture) : IClassFixture<ThreeSiloCluster>
{
    [Fact]
    public void SubmitAndMap_UnderAnActivity_TheTaskOnTheSiloHasTheSubmittersTraceId()
    {
        using var source = new ActivitySource("Weft.Orleans.Tests.Tracing");
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Weft" or "Weft.Orleans.Tests.Tracing",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (stopped) { stopped.Add(a); } },
        };
        ActivitySource.AddActivityListener(listener);
        using var executor = new ClusterExecutor(fixture.Cluster.Client);

        string submitter;
        string? inTask;
        List<string?> inChunks;
        using (var request = source.StartActivity("request")!)
        {
            submitter = request.TraceId.ToString();
            inTask = executor.Submit(static () => Activity.Current?.TraceId.ToString()).Result(TestFutures.Long);
            inChunks = executor.Map(static (int _) => Activity.Current?.TraceId.ToString(), Enumerable.Range(0, 20), chunkSize: 5, timeout: TestFutures.Long).ToList();
        }

        Assert.Equal(submitter, inTask);
        Assert.All(inChunks, id => Assert.Equal(submitter, id));
        lock (stopped)
        {
            Assert.Contains(stopped, a => a.Source.Name == "Weft" && a.OperationName == "weft.task.run" && a.TraceId.ToString() == submitter);
        }
    }

    [Fact]
    public async Task Submit_WithoutAnActivity_TheTaskRunsWithNone()
    {
        using var executor = new ClusterExecutor(fixture.Cluster.Client);

        var inTask = await Task.Run(() => executor.Submit(static () => Activity.Current?.TraceId.ToString()).Result(TestFutures.Long));

        Assert.Null(inTask);
    }
}
