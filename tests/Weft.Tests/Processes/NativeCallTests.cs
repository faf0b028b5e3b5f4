using Weft.Processes;

namespace Weft.Tests.Processes;

/// <summary>
/// The Native AOT worker's call path (NativeCall), run here under the JIT, where function pointers behave the same:
/// every value kind and machine class crosses exactly, including the widened integers (sign and zero extension,
/// results narrower than a register) that a wrong ABI assumption would corrupt.
/// </summary>
public sealed class NativeCallTests
{
    [Fact]
    public void Func1_SignedAndUnsignedIntegers_CrossExactly()
    {
        Assert.Equal(5, Call<int, int>(Negate, -5));
        Assert.Equal(255, Call<byte, int>(WidenByte, 255));
        Assert.Equal(-1, Call<sbyte, int>(WidenSByte, -1));
        Assert.Equal(ulong.MaxValue, Call<ulong, ulong>(Same, ulong.MaxValue));
        Assert.Equal(short.MinValue, Call<short, short>(SameShort, short.MinValue));
        Assert.True(Call<long, bool>(IsOdd, 7));
        Assert.False(Call<long, bool>(IsOdd, 8));
        Assert.Equal(uint.MaxValue, Call<uint, uint>(SameUInt, uint.MaxValue));
    }

    [Fact]
    public void Func1_FloatsStringsAndArrays_CrossExactly()
    {
        Assert.Equal(0.25f, Call<float, float>(Half, 0.5f));
        Assert.Equal(double.NaN, Call<double, double>(SameDouble, double.NaN));
        Assert.Equal("xxx", Call<char, string>(Three, 'x'));
        Assert.Null(Call<string?, string?>(Echo, null));
        Assert.Equal([3L, 2L, 1L], Call<long[], long[]>(Reverse, [1L, 2L, 3L]));
        Assert.Equal(6.0, Call<int[], double>(Sum, [1, 2, 3]));
    }

    [Fact]
    public void Func2_MixedMachineClasses_CrossExactly()
    {
        Assert.Equal(-7.5, Call<int, double, double>(Scale, -3, 2.5));
        Assert.Equal("a:3", Call<string, long[], string>(Describe, "a", [1, 2, 3]));
        Assert.Equal(-2f, Call<float, short, float>(Times, 0.5f, (short)-4));
    }

    [Fact]
    public void NonCapturingLambda_IsCalledWithoutItsInstance()
    {
        Func<int, int> triple = static x => x * 3;
        Assert.Equal(-21, Call(triple, -7));
    }

    [Fact]
    public void Func0ActionAndCancellable_RunAndReturn()
    {
        Assert.Equal('z', Decode<char>(Invoke(LastLetter, TaskShape.Func0, [])));
        Assert.Empty(Invoke(Nothing, TaskShape.Action, []));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var call = Bind(IsCancelled, TaskShape.Cancellable);
        Assert.True(Decode<bool>(call.Invoke([], cancelled.Token)));
        Assert.False(Decode<bool>(call.Invoke([], CancellationToken.None)));
    }

    [Fact]
    public void Chunk_EachItemCrossesExactly()
    {
        var results = Decode<short[]>(Bind(new Func<sbyte, short>(Twice), TaskShape.Chunk).Invoke(Wire.Serialize(new sbyte[] { -3, 0, 100 }), default));
        Assert.Equal([(short)-6, (short)0, (short)200], results);
    }

    [Fact]
    public void EnsureCanCross_RecordOrAsyncResult_RefusedNamingTheType()
    {
        var record = Assert.Throws<ArgumentException>(() =>
            NativeFunction.EnsureCanCross(new Func<int, Point>(MakePoint).Method, TaskShape.Func1, "fn"));
        Assert.Contains("Point", record.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() =>
            NativeFunction.EnsureCanCross(new Func<int, Task<int>>(Later).Method, TaskShape.Func1, "fn"));
        Assert.Throws<ArgumentException>(() =>
            NativeFunction.EnsureCanCross(new Func<string, int>(Length).Method, TaskShape.Chunk, "fn"));
        NativeFunction.EnsureCanCross(new Func<long[], string>(Echo).Method, TaskShape.Func1, "fn");
    }

    private static TResult Call<TArg, TResult>(Func<TArg, TResult> fn, TArg argument) =>
        Decode<TResult>(Bind(fn, TaskShape.Func1).Invoke(Wire.Serialize(argument), default));

    private static TResult Call<T1, T2, TResult>(Func<T1, T2, TResult> fn, T1 first, T2 second) =>
        Decode<TResult>(Bind(fn, TaskShape.Func2).Invoke(Wire.SerializePair(first, second), default));

    private static byte[] Invoke(Delegate fn, TaskShape shape, byte[] arguments) => Bind(fn, shape).Invoke(arguments, default);

    private static T Decode<T>(byte[] bytes) => Wire.Deserialize<T>(bytes);

    /// <summary>What a definition frame gives a worker: the function's code address and the kinds of its values.</summary>
    /// <summary>Issue 18.10: a build is identified by the application's entry module, not by Weft's own code, so
    /// two apps (or two builds of one app) that share Weft's build are told apart.</summary>
    [Fact]
    public void BuildId_FollowsTheEntryModuleNotWeft()
    {
        var app = typeof(NativeCallTests).Assembly;
        var other = typeof(Xunit.FactAttribute).Assembly;

        Assert.Equal(app.ManifestModule.ModuleVersionId, NativeFunction.BuildIdOf(app, null));
        Assert.NotEqual(NativeFunction.BuildIdOf(app, null), NativeFunction.BuildIdOf(other, null));
    }

    /// <summary>Issue 18.10: where the entry module has no MVID to read, the executable's bytes name the build, so an
    /// executable replaced in place by another build is told apart.</summary>
    [Fact]
    public void BuildId_WithoutEntryModule_HashOfTheExecutableChangesWithItsBytes()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [1, 2, 3]);
            var first = NativeFunction.BuildIdOf(null, path);
            File.WriteAllBytes(path, [1, 2, 4]);
            var replaced = NativeFunction.BuildIdOf(null, path);

            Assert.NotEqual(Guid.Empty, first);
            Assert.NotEqual(first, replaced);
            Assert.Equal(replaced, NativeFunction.BuildIdOf(null, path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static NativeCall Bind(Delegate fn, TaskShape shape)
    {
        var method = fn.Method;
        var kinds = new List<NativeValueKind>();
        foreach (var parameter in method.GetParameters().Where(p => p.ParameterType != typeof(CancellationToken)))
        {
            kinds.Add(KindOf(parameter.ParameterType));
        }

        if (shape != TaskShape.Action)
        {
            kinds.Add(KindOf(method.ReturnType));
        }

        return new NativeCall(method.MethodHandle.GetFunctionPointer(), !method.IsStatic, shape, [.. kinds]);
    }

    private static NativeValueKind KindOf(Type type) =>
        NativeFunction.KindOf(type) ?? throw new InvalidOperationException($"{type} has no kind.");

    private static int Negate(int x) => -x;

    private static int WidenByte(byte b) => b;

    private static int WidenSByte(sbyte b) => b;

    private static ulong Same(ulong x) => x;

    private static uint SameUInt(uint x) => x;

    private static short SameShort(short x) => x;

    private static bool IsOdd(long x) => (x & 1) == 1;

    private static float Half(float x) => x / 2;

    private static double SameDouble(double x) => x;

    private static string Three(char c) => new(c, 3);

    private static string? Echo(string? s) => s;

    private static string Echo(long[] values) => string.Join(',', values);

    private static long[] Reverse(long[] values) => [.. values.Reverse()];

    private static double Sum(int[] values) => values.Sum();

    private static double Scale(int a, double b) => a * b;

    private static string Describe(string name, long[] values) => $"{name}:{values.Length}";

    private static float Times(float a, short b) => a * b;

    private static char LastLetter() => 'z';

    private static void Nothing()
    {
    }

    private static bool IsCancelled(CancellationToken token) => token.IsCancellationRequested;

    private static short Twice(sbyte value) => (short)(value * 2);

    private static Point MakePoint(int x) => new(x, x);

    private static Task<int> Later(int x) => Task.FromResult(x);

    private static int Length(string s) => s.Length;

    private sealed record Point(int X, int Y);
}
