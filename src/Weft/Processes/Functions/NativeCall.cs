using System.Buffers.Binary;

namespace Weft.Processes;

/// <summary>
/// A Native AOT worker's call of a function found by <see cref="NativeFunction"/>. Every value travels in one of
/// four machine classes — integer (every integral primitive, widened to 64 bits), float, double, reference — so the
/// call goes through a function pointer of those classes, made from a closed set of instantiations compiled into
/// Weft itself, whatever types the user's function has.
/// </summary>
/// <remarks>
/// <para>Why widening is exact: on x64 (System V and Windows) and arm64 an integral argument is passed in a 64-bit
/// register that the caller fills sign- or zero-extended, which is what the conversion to <see cref="long"/> does, and
/// an integral result narrower than 64 bits is read back by truncating to its own width (<see cref="Write"/>), so the
/// bits above it, which the callee need not set, are never looked at. References travel as <see cref="object"/>, so
/// the garbage collector always sees them; floats and doubles keep their own class.</para>
/// <para>A non-capturing lambda is an instance method of the compiler's stateless <c>&lt;&gt;c</c> class; it is called
/// with a null <c>this</c>, which its body never reads (that class has no instance state).</para>
/// </remarks>
internal sealed unsafe class NativeCall(nint function, bool onLambdaSingleton, TaskShape shape, NativeValueKind[] kinds) : Invoker
{
    private enum Class
    {
        Integer,
        Single,
        Double,
        Reference,
    }

    public override byte[] Invoke(ReadOnlySpan<byte> arguments, CancellationToken cancellationToken)
    {
        switch (shape)
        {
            case TaskShape.Action:
                if (onLambdaSingleton)
                {
                    ((delegate*<object?, void>)function)(null);
                }
                else
                {
                    ((delegate*<void>)function)();
                }

                return [];
            case TaskShape.Func0:
                return Write(kinds[0], ClassOf(kinds[0]) switch
                {
                    Class.Integer => Slot.Of(Call0<long>()),
                    Class.Single => Slot.Of(Call0<float>()),
                    Class.Double => Slot.Of(Call0<double>()),
                    _ => Slot.Of(Call0<object?>()),
                });
            case TaskShape.Cancellable:
                return Write(kinds[0], Return(cancellationToken, kinds[0]));
            case TaskShape.Func1:
                return Write(kinds[1], Call(Read(kinds[0], arguments), kinds[0], kinds[1]));
            case TaskShape.Func2:
                var length = BinaryPrimitives.ReadInt32LittleEndian(arguments);
                var first = Read(kinds[0], arguments.Slice(4, length));
                var second = Read(kinds[1], arguments[(4 + length)..]);
                return Write(kinds[2], Call(first, second, kinds[0], kinds[1], kinds[2]));
            case TaskShape.Chunk:
                return CallEach(arguments);
            default:
                throw new InvalidDataException($"Unknown task shape {shape}.");
        }
    }

    private static Class ClassOf(NativeValueKind kind) => kind switch
    {
        NativeValueKind.Single => Class.Single,
        NativeValueKind.Double => Class.Double,
        NativeValueKind.String or >= NativeValueKind.Array => Class.Reference,
        _ => Class.Integer,
    };

    private byte[] CallEach(ReadOnlySpan<byte> arguments)
    {
        var (source, result) = (kinds[0], kinds[1]);
        var items = (Array?)Read(source | NativeValueKind.Array, arguments).Reference ?? throw new InvalidDataException("No chunk.");
        var results = NativeValues.NewArray(result, items.Length);
        for (var i = 0; i < items.Length; i++)
        {
            NativeValues.Set(result, results, i, Call(NativeValues.Get(source, items, i), source, result));
        }

        return Write(result | NativeValueKind.Array, Slot.Of(results));
    }

    private Slot Call(Slot argument, NativeValueKind kind, NativeValueKind result) => ClassOf(kind) switch
    {
        Class.Integer => Return(argument.Integer, result),
        Class.Single => Return((float)argument.Real, result),
        Class.Double => Return(argument.Real, result),
        _ => Return(argument.Reference, result),
    };

    private Slot Return<TArg>(TArg argument, NativeValueKind result) => ClassOf(result) switch
    {
        Class.Integer => Slot.Of(Call1<TArg, long>(argument)),
        Class.Single => Slot.Of(Call1<TArg, float>(argument)),
        Class.Double => Slot.Of(Call1<TArg, double>(argument)),
        _ => Slot.Of(Call1<TArg, object?>(argument)),
    };

    private Slot Call(Slot first, Slot second, NativeValueKind firstKind, NativeValueKind secondKind, NativeValueKind result) => ClassOf(firstKind) switch
    {
        Class.Integer => Second(first.Integer, second, secondKind, result),
        Class.Single => Second((float)first.Real, second, secondKind, result),
        Class.Double => Second(first.Real, second, secondKind, result),
        _ => Second(first.Reference, second, secondKind, result),
    };

    private Slot Second<T1>(T1 first, Slot second, NativeValueKind kind, NativeValueKind result) => ClassOf(kind) switch
    {
        Class.Integer => Return(first, second.Integer, result),
        Class.Single => Return(first, (float)second.Real, result),
        Class.Double => Return(first, second.Real, result),
        _ => Return(first, second.Reference, result),
    };

    private Slot Return<T1, T2>(T1 first, T2 second, NativeValueKind result) => ClassOf(result) switch
    {
        Class.Integer => Slot.Of(Call2<T1, T2, long>(first, second)),
        Class.Single => Slot.Of(Call2<T1, T2, float>(first, second)),
        Class.Double => Slot.Of(Call2<T1, T2, double>(first, second)),
        _ => Slot.Of(Call2<T1, T2, object?>(first, second)),
    };

    private TResult Call0<TResult>() =>
        onLambdaSingleton ? ((delegate*<object?, TResult>)function)(null) : ((delegate*<TResult>)function)();

    private TResult Call1<TArg, TResult>(TArg argument) =>
        onLambdaSingleton ? ((delegate*<object?, TArg, TResult>)function)(null, argument) : ((delegate*<TArg, TResult>)function)(argument);

    private TResult Call2<T1, T2, TResult>(T1 first, T2 second) =>
        onLambdaSingleton ? ((delegate*<object?, T1, T2, TResult>)function)(null, first, second) : ((delegate*<T1, T2, TResult>)function)(first, second);

    private static Slot Read(NativeValueKind kind, ReadOnlySpan<byte> bytes) => NativeValues.Read(kind, bytes);

    private static byte[] Write(NativeValueKind kind, Slot value) => NativeValues.Write(kind, value);
}
