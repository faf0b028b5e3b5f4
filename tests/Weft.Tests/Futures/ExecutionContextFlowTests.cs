namespace Weft.Tests.Futures;

public sealed class ExecutionContextFlowTests
{
    private static readonly AsyncLocal<string?> s_requestId = new();

    [Fact]
    public void Submit_AsyncLocalSetBySubmitter_IsSeenByTheTask()
    {
        using var executor = new ThreadPoolExecutor(maxWorkers: 1);
        s_requestId.Value = "request-42";
        var seen = executor.Submit(static () => s_requestId.Value);
        s_requestId.Value = null;

        Assert.Equal("request-42", seen.Result(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Submit_AsyncLocalSetByOneTask_DoesNotLeakIntoTheNext()
    {
        using var executor = new ThreadPoolExecutor(maxWorkers: 1);
        s_requestId.Value = "first";
        executor.Submit(static () => s_requestId.Value = "changed inside").Result(TimeSpan.FromSeconds(10));
        s_requestId.Value = null;

        var second = executor.Submit(static () => s_requestId.Value);

        Assert.Null(second.Result(TimeSpan.FromSeconds(10)));
    }
}
