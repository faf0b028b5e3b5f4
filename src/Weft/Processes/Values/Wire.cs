using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Weft.Processes;

/// <summary>
/// How arguments and results cross a process (or machine) boundary, exactly or not at all. The receiver reads by
/// the declared type (the parent's) or the parameter type (the worker's), so nothing read off the wire ever chooses
/// a type or code. Primitives, strings and arrays of primitives go as raw bytes (<see cref="RawCodec{T}"/>, also in
/// Native AOT apps); every other type of the closed set (<see cref="ValueShapes"/>) through its binary codec
/// (<see cref="ValueCodecs"/>): every field, every bit, every UTF-16 code unit, with the comparers of collections.
/// </summary>
/// <remarks>Why not System.Text.Json (used before): it was built for interchange, not exact round trips, and dropped
/// lone surrogates, NaN payloads inside objects, a decimal's negative zero, comparers and fields no property carries.
/// Why not MessagePack-CSharp or MemoryPack: each would make every Weft user depend on a serializer whose contract
/// (attributes, formatters, what it does with a type it does not know) is wider than the closed set, so the refusals
/// would still be ours to write; the codec over the closed set is a few hundred lines and measured faster than
/// System.Text.Json on every shape (bench/Weft.Bench/Micro/WireBenchmarks.cs, docs/processes.md).</remarks>
internal static class Wire
{
    /// <summary>Gets a value indicating whether values other than raw ones (<see cref="RawCodec"/>) can cross: the codecs
    /// emit field accessors and read every field of a type, which needs a JIT and an untrimmed app (trimming removes
    /// fields and the feature switch that System.Text.Json reads tells such apps apart).</summary>
    public static bool FullCodec { get; } = RuntimeFeature.IsDynamicCodeSupported
        && !(AppContext.TryGetSwitch("System.Text.Json.JsonSerializer.IsReflectionEnabledByDefault", out var reflection) && !reflection);

    /// <summary>Serializes <paramref name="value"/> by its declared type <typeparamref name="T"/>.</summary>
    /// <exception cref="NotSupportedException">The value cannot cross (the type is refused, or only the value shows it:
    /// a subclass instance, a comparer outside the closed set, a cycle); the message names the type and the member.</exception>
    public static byte[] Serialize<T>(T value)
    {
        if (typeof(T) == typeof(VoidResult))
        {
            return [];
        }

        if (RawCodec<T>.Write is { } write)
        {
            return write(value);
        }

        var codec = Codec<T>();
        var writer = ValueWriter.Rent();
        try
        {
            codec.Write(writer, value);
        }
        catch
        {
            ValueWriter.Discard(writer);
            throw;
        }

        return ValueWriter.Return(writer);
    }

    /// <summary>Reads a <typeparamref name="T"/> that <see cref="Serialize{T}"/> wrote.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a <typeparamref name="T"/>.</exception>
    public static T Deserialize<T>(ReadOnlySpan<byte> bytes)
    {
        if (typeof(T) == typeof(VoidResult))
        {
            return default!;
        }

        if (RawCodec<T>.Read is { } read)
        {
            return read(bytes);
        }

        var reader = new ValueReader(bytes);
        var value = Codec<T>().Read(ref reader);
        reader.EnsureEnd();
        return value;
    }

    /// <summary>Two arguments as <c>[int32 length of the first][first][second]</c>.</summary>
    public static byte[] SerializePair<T1, T2>(T1 first, T2 second)
    {
        var a = Serialize(first);
        var b = Serialize(second);
        var result = new byte[4 + a.Length + b.Length];
        BinaryPrimitives.WriteInt32LittleEndian(result, a.Length);
        a.CopyTo(result.AsSpan(4));
        b.CopyTo(result.AsSpan(4 + a.Length));
        return result;
    }

    public static (T1, T2) DeserializePair<T1, T2>(ReadOnlySpan<byte> bytes)
    {
        var length = bytes.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(bytes) : -1;
        if ((uint)length > (uint)(bytes.Length - 4))
        {
            throw new InvalidDataException($"Corrupt pair of arguments: the first is {length} bytes of {bytes.Length}.");
        }

        return (Deserialize<T1>(bytes.Slice(4, length)), Deserialize<T2>(bytes[(4 + length)..]));
    }

    private static ValueCodec<T> Codec<T>() =>
        FullCodec
            ? ValueCodecs.Of<T>()
            : throw new CrossingRefusedException(
                $"a {ValueTypes.Describe(typeof(T))} cannot cross in a trimmed or Native AOT app, where only primitives, strings and arrays of " +
                "primitives do");
}
