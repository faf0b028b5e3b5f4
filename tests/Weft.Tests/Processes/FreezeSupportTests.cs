namespace Weft.Tests.Processes;

/// <summary>ProcessPoolExecutor.FreezeSupport in a process that no pool started (the test host): it returns at once
/// and changes nothing. Its other half, a published app becoming its own worker, is tests/Weft.Deploy.Tests.</summary>
public sealed class FreezeSupportTests
{
    [Fact]
    public void FreezeSupport_NotStartedAsAWorker_ReturnsAndThePoolStillWorks()
    {
        ProcessPoolExecutor.FreezeSupport();
        ProcessPoolExecutor.FreezeSupport();   // twice is harmless

        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        Assert.Equal(49, pool.Submit(static (int x) => x * x, 7).Result(TimeSpan.FromMinutes(1)));
    }
}
