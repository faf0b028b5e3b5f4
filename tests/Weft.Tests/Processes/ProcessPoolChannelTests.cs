using System.Buffers.Binary;
using System.Diagnostics;
using Weft.Processes;

namespace Weft.Tests.Processes;

/// <summary>The channel, the timing of results and the noticing of deaths, on real worker processes (issue 9).</summary>
public sealed class ProcessPoolChannelTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly TaskGate _gate = new();

    public void Dispose() => _gate.Dispose();

    [Fact]
    public void Submit_TaskWritesToStdoutThroughChildProcessAndRawStream_ResultIntactPoolUsable()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);

        var first = pool.Submit(WorkerFunctions.WriteToStdoutEveryWay, 21);
        var second = pool.Submit(WorkerFunctions.WriteToStdoutEveryWay, 50);

        Assert.Equal(42, first.Result(Timeout));
        Assert.Equal(100, second.Result(Timeout));
        Assert.Equal(49, pool.Submit(WorkerFunctions.Square, 7).Result(Timeout));
    }

    [Fact]
    public void Submit_TaskReadsEnvironment_WorkerStartVariablesRemoved()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);

        // A process the task starts inherits this environment: it must not take itself for a worker.
        Assert.Equal("channel=;entry=", pool.Submit(WorkerFunctions.WorkerVariables).Result(Timeout));
    }

    [Fact]
    public void Submit_ShortTaskThenBlockedTask_FirstResultArrivesWhileSecondStillRuns()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        var quick = pool.Submit(WorkerFunctions.Square, 3);
        var blocked = pool.Submit(WorkerFunctions.BlockUntilReleased, _gate.Path);
        var third = pool.Submit(WorkerFunctions.Square, 4);

        Assert.Equal(9, quick.Result(TimeSpan.FromSeconds(20)));
        Assert.True(_gate.WaitStarted(1), "the second task never started");
        Assert.True(SpinWait.SpinUntil(() => blocked.IsRunning, Timeout), "the second task was never marked Running");
        Assert.False(blocked.IsDone);
        Assert.False(third.IsRunning);

        _gate.Release();
        Assert.Equal(16, third.Result(Timeout));
    }

    /// <summary>A task starts <c>sleep 20</c> and the worker is killed: the pool breaks within the 1 s bound (3 s
    /// for a loaded box), while the grandchild still lives. With <paramref name="grandchildHoldsChannel"/> the
    /// grandchild also holds the channel's write end, so only the worker's process handle can tell.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Submit_WorkerKilledWhileGrandchildLives_BrokenWithinThreeSecondsNamingSignal(bool grandchildHoldsChannel)
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        var future = grandchildHoldsChannel
            ? pool.Submit(WorkerFunctions.StartGrandchildHoldingChannelThenBlock, _gate.Path)
            : pool.Submit(WorkerFunctions.StartGrandchildThenBlock, _gate.Path);
        Assert.True(_gate.WaitStarted(1), "the task never started");
        var grandchild = Assert.Single(_gate.Grandchildren());
        var worker = pool.WorkerProcessIds.Single();

        var watch = Stopwatch.StartNew();
        Process.GetProcessById(worker).Kill();
        var error = future.GetException(Timeout);
        watch.Stop();
        var grandchildAlive = ProcessProbe.IsAlive(grandchild);

        var broken = Assert.IsType<BrokenProcessPoolException>(error);
        Assert.Contains("signal 9 (SIGKILL)", broken.Message, StringComparison.Ordinal);
        Assert.Equal(137, broken.ExitCode);
        Assert.True(grandchildAlive, "the grandchild had already exited, so the test proved nothing");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"the pool broke after {watch.Elapsed}, not within the 1 s bound");
    }

    [Fact]
    public async Task DoneCallback_OnPoolThread_DoesNotSeeAsyncLocalOfCallThatStartedWorker()
    {
        var local = new AsyncLocal<string?> { Value = "value of the first submitter" };
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        var blocked = pool.Submit(WorkerFunctions.BlockUntilReleased, _gate.Path);   // starts the pool's threads
        local.Value = null;
        var seen = new TaskCompletionSource<(string? Value, string? Thread)>(TaskCreationOptions.RunContinuationsAsynchronously);
        blocked.AddDoneCallback(_ => seen.TrySetResult((local.Value, Thread.CurrentThread.Name)));

        _gate.Release();

        var (value, thread) = await seen.Task.WaitAsync(Timeout);
        Assert.Contains("reader", thread, StringComparison.Ordinal);
        Assert.Null(value);
    }

    [Fact]
    public void Submit_WorkerWritesFrameOfUnknownKind_PoolBrokenSayingSoAtOnce()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);

        var watch = Stopwatch.StartNew();
        var error = pool.Submit(WorkerFunctions.CorruptTheChannel, 99).GetException(Timeout);

        var broken = Assert.IsType<BrokenProcessPoolException>(error);
        Assert.Contains("not a frame", broken.Message, StringComparison.Ordinal);
        Assert.Contains("kind 99", broken.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), "the pool waited for the task instead of breaking");
        Assert.Throws<BrokenProcessPoolException>(() => pool.Submit(WorkerFunctions.Square, 1));
    }

    [Fact]
    public void FrameReader_TextInsteadOfFrames_InvalidDataNamingTheBytes()
    {
        var reader = new FrameReader(new MemoryStream("hi\nthere, this is not a frame"u8.ToArray()), FrameKinds.ToParent);

        var error = Assert.Throws<InvalidDataException>(() => reader.TryRead(out _, out _));

        Assert.Contains("Corrupt frame", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FrameReader_LengthOverCap_RefusedBeforeAllocating()
    {
        var bytes = Frame(FrameKind.Result, 5000);
        var reader = new FrameReader(new MemoryStream(bytes), FrameKinds.ToParent, maxLength: 4096);

        Assert.Throws<InvalidDataException>(() => reader.TryRead(out _, out _));
    }

    [Fact]
    public void FrameReader_HugeLengthAnnouncedFewBytesSent_EndOfStreamWithoutAllocatingTheLength()
    {
        var bytes = new byte[5 + 100];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, 1_700_000_000);
        bytes[4] = (byte)FrameKind.Result;
        var reader = new FrameReader(new MemoryStream(bytes), FrameKinds.ToParent, maxLength: int.MaxValue);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var complete = reader.TryRead(out _, out _);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.False(complete);
        Assert.True(allocated < 16 << 20, $"allocated {allocated} bytes for 100 bytes received");
    }

    [Fact]
    public void FrameReader_KindOnlyTheOtherSideReceives_Refused()
    {
        var reader = new FrameReader(new MemoryStream(Frame(FrameKind.Call, 0)), FrameKinds.ToParent);

        Assert.Throws<InvalidDataException>(() => reader.TryRead(out _, out _));
    }

    [Fact]
    public void FrameReader_LargeValidFrame_ReadWhole()
    {
        var bytes = Frame(FrameKind.Result, 3 << 20);
        bytes[^1] = 42;
        var reader = new FrameReader(new MemoryStream(bytes), FrameKinds.ToParent);

        Assert.True(reader.TryRead(out var kind, out var body));

        Assert.Equal(FrameKind.Result, kind);
        Assert.Equal(3 << 20, body.Length);
        Assert.Equal(42, body[^1]);
    }

    private static byte[] Frame(FrameKind kind, int bodyLength)
    {
        var bytes = new byte[5 + bodyLength];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, 1 + bodyLength);
        bytes[4] = (byte)kind;
        return bytes;
    }


}
