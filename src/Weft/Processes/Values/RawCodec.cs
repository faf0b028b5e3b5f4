using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Weft.Processes;

/// <summary>
/// What <see cref="Wire"/> sends without JSON: primitives, arrays of primitives and strings are copied as raw bytes
/// (parent and worker are the same process architecture, started from the same runtime), and async types as the
/// value they complete with (<see cref="AsyncCodec"/>). Chosen by the declared type <typeparamref name="T"/>, never
/// by anything read off the channel.
/// </summary>
/// <typeparam name="T">The declared type.</typeparam>
internal static class RawCodec<T>
{
    /// <summary>Null when <typeparamref name="T"/> goes through its value codec (<see cref="ValueCodecs"/>).</summary>
    public static readonly Func<T, byte[]>? Write;

    /// <summary>Null when <typeparamref name="T"/> goes through its value codec (<see cref="ValueCodecs"/>).</summary>
    public static readonly RawReader<T>? Read;

#pragma warning disable CA1810 // The codec is chosen once per type, from the type itself.
    static RawCodec()
#pragma warning restore CA1810
    {
        var type = typeof(T);
        if (RawCodec.IsRawElement(type))
        {
            Write = RawCodec.WriteScalar;
            Read = RawCodec.ReadScalar<T>;
        }
        else if (type == typeof(string))
        {
            Write = (Func<T, byte[]>)(object)new Func<string?, byte[]>(RawCodec.WriteString);
            Read = (RawReader<T>)(object)new RawReader<string?>(RawCodec.ReadString);
        }
        else if (type.IsSZArray && RawCodec.IsRawElement(type.GetElementType()!))
        {
            // One line per element type instead of MakeGenericMethod, so Native AOT compiles each of them.
            var codec = Array<bool>() ?? Array<byte>() ?? Array<sbyte>() ?? Array<short>() ?? Array<ushort>() ?? Array<int>()
                ?? Array<uint>() ?? Array<long>() ?? Array<ulong>() ?? Array<char>() ?? Array<float>() ?? Array<double>();
            Write = codec?.Write;
            Read = codec?.Read;
        }
        else if (AsyncCodec.Methods(type) is ({ } write, { } read))
        {
            Write = write.CreateDelegate<Func<T, byte[]>>();
            Read = read.CreateDelegate<RawReader<T>>();
        }
    }

    private static (Func<T, byte[]> Write, RawReader<T> Read)? Array<TElement>()
        where TElement : unmanaged =>
        typeof(T) == typeof(TElement[])
            ? ((Func<T, byte[]>)(object)new Func<TElement[]?, byte[]>(RawCodec.WriteArray),
               (RawReader<T>)(object)new RawReader<TElement[]?>(RawCodec.ReadArray<TElement>))
            : null;
}

/// <summary>Reads a <typeparamref name="T"/> from raw bytes.</summary>
/// <typeparam name="T">The declared type.</typeparam>
internal delegate T RawReader<T>(ReadOnlySpan<byte> bytes);

/// <summary>The non-generic half of <see cref="RawCodec{T}"/>. Formats: a scalar is its bytes; a string or an
/// array is <c>[byte 0 = null, 1 = value][bytes]</c>, a string's bytes its UTF-16 code units.</summary>
internal static class RawCodec
{
    public static bool IsRawElement(Type type) =>
        type.IsPrimitive && type != typeof(IntPtr) && type != typeof(UIntPtr);

    /// <summary>Whether values of <paramref name="type"/> cross as raw bytes: primitives, strings, arrays of primitives.</summary>
    public static bool Crosses(Type type) =>
        IsRawElement(type) || type == typeof(string) || (type.IsSZArray && IsRawElement(type.GetElementType()!));

    public static byte[] WriteScalar<T>(T value)
    {
        var bytes = new byte[Unsafe.SizeOf<T>()];
        Unsafe.WriteUnaligned(ref bytes[0], value);
        return bytes;
    }

    public static T ReadScalar<T>(ReadOnlySpan<byte> bytes) =>
        bytes.Length == Unsafe.SizeOf<T>()
            ? Unsafe.ReadUnaligned<T>(ref MemoryMarshal.GetReference(bytes))
            : throw new InvalidDataException($"Expected {Unsafe.SizeOf<T>()} bytes for a {typeof(T).Name}, got {bytes.Length}.");

    /// <summary>A string as its UTF-16 code units, every one of them: lone surrogates too, which UTF-8 cannot carry.</summary>
    public static byte[] WriteString(string? value) => value is null ? [0] : Present(MemoryMarshal.AsBytes(value.AsSpan()));

    public static string? ReadString(ReadOnlySpan<byte> bytes)
    {
        if (!Flag(bytes))
        {
            return null;
        }

        var data = bytes[1..];
        return data.Length % 2 == 0
            ? new string(MemoryMarshal.Cast<byte, char>(data))
            : throw new InvalidDataException($"{data.Length} bytes is not a whole number of UTF-16 code units.");
    }

    public static byte[] WriteArray<T>(T[]? value)
        where T : unmanaged =>
        value is null ? [0] : Present(MemoryMarshal.AsBytes(value.AsSpan()));

    public static T[]? ReadArray<T>(ReadOnlySpan<byte> bytes)
        where T : unmanaged
    {
        if (!Flag(bytes))
        {
            return null;
        }

        var data = bytes[1..];
        if (data.Length % Unsafe.SizeOf<T>() != 0)
        {
            throw new InvalidDataException($"{data.Length} bytes is not a whole number of {typeof(T).Name} values.");
        }

        var result = new T[data.Length / Unsafe.SizeOf<T>()];
        data.CopyTo(MemoryMarshal.AsBytes(result.AsSpan()));
        return result;
    }

    /// <summary>A value that is not null: flag 1, then its bytes.</summary>
    private static byte[] Present(ReadOnlySpan<byte> data)
    {
        var bytes = new byte[1 + data.Length];
        bytes[0] = 1;
        data.CopyTo(bytes.AsSpan(1));
        return bytes;
    }

    private static bool Flag(ReadOnlySpan<byte> bytes) => bytes.Length switch
    {
        0 => throw new InvalidDataException("Empty value."),
        _ => bytes[0] switch
        {
            0 => false,
            1 => true,
            _ => throw new InvalidDataException("Corrupt value flag."),
        },
    };
}
