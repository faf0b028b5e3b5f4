using Weft.Tests.Futures;

namespace Weft.Tests.Processes;

/// <summary>The executor contract for <see cref="ProcessPoolExecutor"/>, as CPython runs each
/// test_concurrent_futures suite on every executor kind: the same tests as the thread pool and the cluster.</summary>
public sealed class ProcessPoolExecutorContractTests : ExecutorContractTests
{
    protected override Executor CreateExecutor(int maxWorkers) => new ProcessPoolExecutor(maxWorkers);
}
