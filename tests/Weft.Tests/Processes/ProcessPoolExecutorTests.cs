using System.Diagnostics;

namespace Weft.Tests.Processes;

public sealed class ProcessPoolExecutorTests(PoolFixture fixture) : IClassFixture<PoolFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private ProcessPoolExecutor Pool => fixture.Pool;

    [Fact]
    public void Submit_StaticMethod_RunsInAnotherProcess()
    {
        var pid = Pool.Submit(WorkerFunctions.Pid).Result(Timeout);

        Assert.NotEqual(Environment.ProcessId, pid);
        Assert.Contains(pid, Pool.WorkerProcessIds);
    }

    [Fact]
    public void Submit_NonCapturingLambdaWithArguments_ReturnsResults()
    {
        var one = Pool.Submit(static (int x) => x + 1, 41);
        var two = Pool.Submit((string s, int n) => s + n, "a", 7);
        var tuple = Pool.Submit(static (int x) => (x, x * 2.5), 2);

        Assert.Equal(42, one.Result(Timeout));
        Assert.Equal("a7", two.Result(Timeout));
        Assert.Equal((2, 5.0), tuple.Result(Timeout));
    }

    [Fact]
    public void Submit_NullsStringsAndRecords_RoundTrip()
    {
        var upper = Pool.Submit(static (string? s) => s?.ToUpperInvariant(), "héllo");
        var nullString = Pool.Submit(static (string? s) => s is null, (string?)null);
        var nullArray = Pool.Submit(static (int[]? a) => a, (int[]?)null);
        var doubles = Pool.Submit(static (double[] a) => a.Sum(), new[] { 0.5, double.NaN, 1.5 });
        var record = Pool.Submit(static (Point p) => p with { Y = p.X * 10 }, new Point(3, 0));

        Assert.Equal("HÉLLO", upper.Result(Timeout));
        Assert.True(nullString.Result(Timeout));
        Assert.Null(nullArray.Result(Timeout));
        Assert.True(double.IsNaN(doubles.Result(Timeout)));
        Assert.Equal(new Point(3, 30), record.Result(Timeout));
    }

    [Fact]
    public void Submit_VarianceConversion_Refused()
    {
        Func<string, object> fn = WorkerFunctions.Identity;

        var error = Assert.Throws<ArgumentException>(() => Pool.Submit(fn, "x"));

        Assert.Contains("exact types", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Submit_Action_CompletesWithoutResult()
    {
        var future = Pool.Submit(() => Console.WriteLine("a task's console output reaches the console; frames have a channel of their own"));

        future.Wait(Timeout);
        Assert.Null(future.GetException());
        Assert.Equal(9, Pool.Submit(WorkerFunctions.Square, 3).Result(Timeout));
    }

    [Fact]
    public void Map_ChunkSizes_ResultsInInputOrder()
    {
        var expected = Enumerable.Range(0, 500).Select(x => x * x).ToList();

        Assert.Equal(expected, Pool.Map(WorkerFunctions.Square, Enumerable.Range(0, 500), Timeout).ToList());
        Assert.Equal(expected, Pool.Map(WorkerFunctions.Square, Enumerable.Range(0, 500), Timeout, chunkSize: 7).ToList());
    }

    [Fact]
    public void Map_100000ItemsChunkSize1000_RightValuesInOrder()
    {
        var results = Pool.Map(static (int x) => x * 2L, Enumerable.Range(0, 100_000), Timeout, chunkSize: 1_000).ToList();

        Assert.Equal(100_000, results.Count);
        Assert.True(results.Select((value, i) => value == i * 2L).All(ok => ok));
    }

    [Fact]
    public void Submit_TenMegabyteArray_RoundTrips()
    {
        var data = new byte[10 * 1024 * 1024];
        Random.Shared.NextBytes(data);

        var reversed = Pool.Submit(WorkerFunctions.Reverse, data).Result(Timeout);

        Array.Reverse(data);
        Assert.Equal(data, reversed);
    }

    [Fact]
    public void Submit_KnownExceptionType_RebuiltWithRemoteTrace()
    {
        var error = Pool.Submit(WorkerFunctions.ThrowArgument, 5).GetException(Timeout);

        var argument = Assert.IsType<ArgumentException>(error);
        Assert.Contains("bad value 5", argument.Message, StringComparison.Ordinal);
        var remote = Assert.IsType<RemoteException>(argument.InnerException);
        Assert.Equal("System.ArgumentException", remote.RemoteTypeName);
        Assert.Contains(nameof(WorkerFunctions.ThrowArgument), remote.RemoteStackTrace, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Pool.Submit(WorkerFunctions.ThrowArgument, 1).Result(Timeout));
    }

    [Fact]
    public void Submit_UnknownExceptionType_RemoteExceptionWithTypeName()
    {
        var error = Pool.Submit(WorkerFunctions.ThrowCustom, 3).GetException(Timeout);

        var remote = Assert.IsType<RemoteException>(error);
        Assert.Equal(typeof(CustomWorkerException).FullName, remote.RemoteTypeName);
        Assert.Equal("custom 3", remote.Message);
        Assert.Contains(nameof(WorkerFunctions.ThrowCustom), remote.RemoteStackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_ExceptionInOneChunk_ThrownWhenReached()
    {
        var results = Pool.Map(static (int x) => 10 / x, new[] { 1, 2, 0, 5 }, Timeout);

        using var e = results.GetEnumerator();
        Assert.True(e.MoveNext());
        Assert.Equal(10, e.Current);
        Assert.True(e.MoveNext());
        Assert.Throws<DivideByZeroException>(() => e.MoveNext());
    }

    [Fact]
    public void Submit_CapturingLambda_RefusedNamingCapturedVariables()
    {
        var offset = 5;
        var scale = 2;

        var error = Assert.Throws<ArgumentException>(() => Pool.Submit(() => offset * scale));

        Assert.Contains("'offset'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'scale'", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, Pool.PendingCount);
    }

    [Fact]
    public void Submit_InstanceMethodOnObject_Refused()
    {
        var list = new List<int> { 1 };

        var error = Assert.Throws<ArgumentException>(() => Pool.Submit(list.Contains, 1));

        Assert.Contains("instance method", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Submit_LambdaCapturingThis_RefusedNamingThis()
    {
        var error = Assert.Throws<ArgumentException>(() => Pool.Submit(() => Pool.MaxWorkers));

        Assert.Contains("this", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_AwaitFuture_Works()
    {
        var result = await Pool.Submit(WorkerFunctions.Add, 20, 22).AsTask().WaitAsync(Timeout);

        Assert.Equal(42, result);
    }
}

public sealed record Point(int X, int Y);
