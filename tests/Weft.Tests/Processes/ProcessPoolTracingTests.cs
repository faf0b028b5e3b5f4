using System.Diagnostics;

namespace Weft.Tests.Processes;

/// <summary>Issue 23, the process pool's part: the submitter's trace goes on inside a worker process.</summary>
public sealed class ProcessPoolTracingTests(PoolFixture fixture) : IClassFixture<PoolFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void Submit_InsideAnActivity_TaskRunsUnderTheSubmittersTraceId()
    {
        using var activity = new Activity("submitter").SetIdFormat(ActivityIdFormat.W3C).Start();

        var inside = fixture.Pool.Submit(WorkerFunctions.CurrentTraceId, 1).Result(Timeout);

        Assert.Equal(activity.TraceId.ToHexString(), inside);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Map_InsideAnActivity_EveryItemAndChunkRunsUnderTheSubmittersTraceId(int chunkSize)
    {
        using var activity = new Activity("submitter").SetIdFormat(ActivityIdFormat.W3C).Start();

        var inside = fixture.Pool.Map(WorkerFunctions.CurrentTraceId, Enumerable.Range(0, 10), Timeout, chunkSize: chunkSize).ToList();

        Assert.All(inside, id => Assert.Equal(activity.TraceId.ToHexString(), id));
    }

    [Fact]
    public void Submit_WorkerListensToWeft_TheWorkersActivityNamesTheFunctionAsTheSubmittersDoes()
    {
        using var pool = new ProcessPoolExecutor(1, initializer: WorkerFunctions.ListenToWeft);
        using var activity = new Activity("submitter").SetIdFormat(ActivityIdFormat.W3C).Start();

        var inside = pool.Submit(WorkerFunctions.CurrentActivityName, 1).Result(Timeout);

        Assert.Equal("WorkerFunctions.CurrentActivityName", inside);
    }

    [Fact]
    public void Submit_NoActivity_TaskRunsWithNone()
    {
        Assert.Null(Activity.Current);

        Assert.Equal("none", fixture.Pool.Submit(WorkerFunctions.CurrentTraceId, 1).Result(Timeout));
    }

    [Fact]
    public void Submit_ActivityWithTraceState_StateArrivesToo()
    {
        using var activity = new Activity("submitter").SetIdFormat(ActivityIdFormat.W3C).Start();
        activity.TraceStateString = "vendor=abc,other=x y";

        var inside = fixture.Pool.Submit(static (int _) => $"{Activity.Current?.TraceId.ToHexString()}|{Activity.Current?.TraceStateString}", 1).Result(Timeout);

        Assert.Equal($"{activity.TraceId.ToHexString()}|vendor=abc,other=x y", inside);
    }
}
