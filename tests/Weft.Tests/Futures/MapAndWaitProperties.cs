using FsCheck;
using FsCheck.Xunit;
using static Weft.Tests.Futures.TestFutures;

namespace Weft.Tests.Futures;

/// <summary>Properties checked by FsCheck over generated inputs: Map's order and failure rule, Wait's partition.</summary>
public sealed class MapAndWaitProperties : IDisposable
{
    private readonly ThreadPoolExecutor _executor = new(3);

    public void Dispose() => _executor.Dispose();

    /// <summary>Every input's result, in input order, up to the chunk holding the first failure; then that failure.
    /// Any chunkSize, bufferSize (or none) and failure position (or none).</summary>
    [Property(MaxTest = 150)]
    public void Map_AnyChunkBufferAndFailure_YieldsInputOrderUpToTheFailingChunk(NonNegativeInt length, PositiveInt chunk, PositiveInt buffer, bool buffered, NonNegativeInt failure)
    {
        var n = length.Get % 40;
        var chunkSize = (chunk.Get % 7) + 1;
        int? bufferSize = buffered ? (buffer.Get % 5) + 1 : null;
        var failAt = failure.Get % (n + 1); // n: no failure
        var items = Enumerable.Range(0, n).ToArray();

        var yielded = new List<int>();
        Exception? error = null;
        try
        {
            foreach (var result in _executor.Map(x => x == failAt ? throw new InvalidOperationException($"item {x}") : x * 10, items, Long, chunkSize, bufferSize))
            {
                yielded.Add(result);
            }
        }
        catch (InvalidOperationException e)
        {
            error = e;
        }

        var expectedCount = failAt == n ? n : failAt / chunkSize * chunkSize;
        Assert.Equal(items.Take(expectedCount).Select(x => x * 10), yielded);
        Assert.Equal(failAt < n, error is not null);
        if (error is not null)
        {
            Assert.Equal($"item {failAt}", error.Message);
        }
    }

    /// <summary>Wait splits the distinct futures into done and not done, whatever their states and ReturnWhen.</summary>
    [Property(MaxTest = 200)]
    public void Wait_AnyStatesAndReturnWhen_PartitionsIntoDoneAndNotDone(byte[] states, ReturnWhen returnWhen, bool duplicate)
    {
        var futures = states.Select(s => (s % 5) switch
        {
            0 => Pending(),
            1 => Running(),
            2 => Succeeded((int)s),
            3 => Failed(new InvalidOperationException()),
            _ => Cancelled(),
        }).ToList();
        if (duplicate && futures.Count > 0)
        {
            futures.Add(futures[0]);
        }

        // A negative timeout does not block: the partition is of the states as they are.
        var result = Weft.Futures.Wait(futures, TimeSpan.FromSeconds(-1), returnWhen);

        var distinct = futures.Distinct().ToList();
        Assert.Equal(distinct.Count, result.Done.Count + result.NotDone.Count);
        Assert.All(distinct, f => Assert.True(result.Done.Contains(f) ^ result.NotDone.Contains(f)));
        Assert.All(result.Done, f => Assert.True(f.IsDone));
        Assert.All(result.NotDone, f => Assert.False(f.IsDone));
    }
}
