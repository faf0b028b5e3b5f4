namespace Weft.Processes;

/// <summary>
/// The typed halves of <see cref="NativeFunction"/>: one generic method per task shape that reads the arguments,
/// calls the function at a code address, and writes the result, each typed by the submitting call's own type
/// arguments. Each accessor returns the address of its instantiation; only a Native AOT process asks for them.
/// </summary>
/// <remarks>A non-capturing lambda is an instance method of the compiler's stateless <c>&lt;&gt;c</c> class and is
/// called with a null <c>this</c>, which its body never reads (the class has no instance state); a static method
/// is called as it is.</remarks>
internal static unsafe class NativeEntries
{
    public static nint Action() => (nint)(delegate*<nint, bool, ReadOnlySpan<byte>, CancellationToken, byte[]>)&RunAction;

    public static nint Func0<T>() => (nint)(delegate*<nint, bool, ReadOnlySpan<byte>, CancellationToken, byte[]>)&RunFunc0<T>;

    public static nint Cancellable<T>() => (nint)(delegate*<nint, bool, ReadOnlySpan<byte>, CancellationToken, byte[]>)&RunCancellable<T>;

    public static nint Func1<TArg, TResult>() => (nint)(delegate*<nint, bool, ReadOnlySpan<byte>, CancellationToken, byte[]>)&RunFunc1<TArg, TResult>;

    public static nint Func2<T1, T2, TResult>() => (nint)(delegate*<nint, bool, ReadOnlySpan<byte>, CancellationToken, byte[]>)&RunFunc2<T1, T2, TResult>;

    public static nint Chunk<TSource, TResult>() => (nint)(delegate*<nint, bool, ReadOnlySpan<byte>, CancellationToken, byte[]>)&RunChunk<TSource, TResult>;

    private static byte[] RunAction(nint fn, bool instance, ReadOnlySpan<byte> arguments, CancellationToken cancellationToken)
    {
        if (instance)
        {
            ((delegate*<object?, void>)fn)(null);
        }
        else
        {
            ((delegate*<void>)fn)();
        }

        return [];
    }

    private static byte[] RunFunc0<T>(nint fn, bool instance, ReadOnlySpan<byte> arguments, CancellationToken cancellationToken) =>
        Wire.Serialize(instance ? ((delegate*<object?, T>)fn)(null) : ((delegate*<T>)fn)());

    private static byte[] RunCancellable<T>(nint fn, bool instance, ReadOnlySpan<byte> arguments, CancellationToken cancellationToken) =>
        Wire.Serialize(instance
            ? ((delegate*<object?, CancellationToken, T>)fn)(null, cancellationToken)
            : ((delegate*<CancellationToken, T>)fn)(cancellationToken));

    private static byte[] RunFunc1<TArg, TResult>(nint fn, bool instance, ReadOnlySpan<byte> arguments, CancellationToken cancellationToken) =>
        Wire.Serialize(Call<TArg, TResult>(fn, instance, Wire.Deserialize<TArg>(arguments)));

    private static byte[] RunFunc2<T1, T2, TResult>(nint fn, bool instance, ReadOnlySpan<byte> arguments, CancellationToken cancellationToken)
    {
        var (a, b) = Wire.DeserializePair<T1, T2>(arguments);
        return Wire.Serialize(instance
            ? ((delegate*<object?, T1, T2, TResult>)fn)(null, a, b)
            : ((delegate*<T1, T2, TResult>)fn)(a, b));
    }

    private static byte[] RunChunk<TSource, TResult>(nint fn, bool instance, ReadOnlySpan<byte> arguments, CancellationToken cancellationToken)
    {
        var items = Wire.Deserialize<TSource[]>(arguments);
        var results = new TResult[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            results[i] = Call<TSource, TResult>(fn, instance, items[i]);
        }

        return Wire.Serialize(results);
    }

    private static TResult Call<TArg, TResult>(nint fn, bool instance, TArg argument) =>
        instance ? ((delegate*<object?, TArg, TResult>)fn)(null, argument) : ((delegate*<TArg, TResult>)fn)(argument);
}
