namespace Weft.Tests.Futures;

/// <summary>The executor contract for <see cref="ThreadPoolExecutor"/>.</summary>
public sealed class ThreadPoolExecutorContractTests : ExecutorContractTests
{
    protected override Executor CreateExecutor(int maxWorkers) => new ThreadPoolExecutor(maxWorkers);
}
