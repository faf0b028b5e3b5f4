namespace Weft.Tests.Processes;

/// <summary>Failures that must stay with their own task (issue 9.4, 9.8).</summary>
public sealed class ProcessPoolFailureTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly TaskGate _gate = new();

    public void Dispose() => _gate.Dispose();

    [Fact]
    public void Submit_ExceptionWhoseMessageThrows_OnlyThatTaskFailsOtherWorkerUnharmed()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 2);
        var innocent = pool.Submit(WorkerFunctions.BlockUntilReleased, _gate.Path);
        Assert.True(_gate.WaitStarted(1), "the innocent task never started");

        var error = pool.Submit(WorkerFunctions.ThrowUnreadable, 1).GetException(Timeout);
        _gate.Release();

        var remote = Assert.IsType<RemoteException>(error);
        Assert.Equal(typeof(UnreadableException).FullName, remote.RemoteTypeName);
        Assert.Contains("could not be read", remote.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(WorkerFunctions.ThrowUnreadable), remote.RemoteStackTrace, StringComparison.Ordinal);
        Assert.True(innocent.Result(Timeout) > 0);
        Assert.Equal(16, pool.Submit(WorkerFunctions.Square, 4).Result(Timeout));
    }

    [Fact]
    public void Submit_AggregateExceptionWithTwoInner_BothComeBack()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);

        var error = pool.Submit(WorkerFunctions.ThrowAggregate, 7).GetException(Timeout);

        var aggregate = Assert.IsType<AggregateException>(error);
        Assert.Collection(
            aggregate.InnerExceptions,
            first => Assert.Equal("first 7", Assert.IsType<InvalidOperationException>(first).Message),
            second => Assert.Equal("second 7", Assert.IsType<KeyNotFoundException>(second).Message));
        Assert.StartsWith("two failed", aggregate.Message, StringComparison.Ordinal);
        Assert.Equal(2, aggregate.Message.Split("(first 7)").Length);   // said once, not repeated on the way
    }

    [Fact]
    public void Submit_LambdaCapturingOneOfTwoScopeVariables_ErrorNamesOnlyTheOneUsed()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        var used = 5;
        var unusedHere = "only the other lambda reads me";
        Func<int> other = () => unusedHere.Length;   // same scope: the compiler shares one closure class

        var error = Assert.Throws<ArgumentException>(() => pool.Submit(() => used * 2));

        Assert.Contains("'used'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("unusedHere", error.Message, StringComparison.Ordinal);
        Assert.Equal(other(), unusedHere.Length);
    }
}
