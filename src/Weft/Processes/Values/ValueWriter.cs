using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Weft.Processes;

/// <summary>
/// The growable buffer the value codecs write to (<see cref="ValueCodec{T}"/>). Little-endian; one per thread is
/// reused (<see cref="Rent"/>), because serialising never runs user code that could serialise again on the same thread.
/// </summary>
internal sealed class ValueWriter
{
    /// <summary>How deep objects may nest; a deeper value is almost always a cycle (a node that reaches itself).</summary>
    public const int MaxDepth = 512;

    /// <summary>A buffer that grew past this is not kept for the next value on the thread.</summary>
    private const int KeptCapacity = 1 << 20;

    [ThreadStatic]
    private static ValueWriter? t_cached;

    private byte[] _buffer = new byte[256];
    private int _position;
    private int _depth;

    /// <summary>Gets the number of bytes written.</summary>
    public int Length => _position;

    /// <summary>A writer for this thread, empty; give it back with <see cref="Return"/>.</summary>
    public static ValueWriter Rent()
    {
        var writer = t_cached ?? new ValueWriter();
        t_cached = null;
        return writer;
    }

    /// <summary>Copies what was written out and keeps the writer for the thread's next value.</summary>
    public static byte[] Return(ValueWriter writer)
    {
        var bytes = writer._buffer.AsSpan(0, writer._position).ToArray();
        writer._position = 0;
        writer._depth = 0;
        if (writer._buffer.Length <= KeptCapacity)
        {
            t_cached = writer;
        }

        return bytes;
    }

    /// <summary>Drops what was written (the value was refused part way) and keeps the writer for the thread.</summary>
    public static void Discard(ValueWriter writer)
    {
        writer._position = 0;
        writer._depth = 0;
        if (writer._buffer.Length <= KeptCapacity)
        {
            t_cached = writer;
        }
    }

    public void WriteByte(byte value) => Reserve(1)[0] = value;

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Reserve(4), value);

    /// <summary>Writes the bytes of an unmanaged value as they are in memory (parent and worker share the architecture).</summary>
    public void WriteRaw<T>(T value)
        where T : unmanaged => Unsafe.WriteUnaligned(ref MemoryMarshal.GetReference(Reserve(Unsafe.SizeOf<T>())), value);

    public void WriteBytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

    /// <summary>A string as <c>[int32 UTF-16 code units, -1 for null][code units]</c>: every code unit, lone surrogates included.</summary>
    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteInt32(-1);
            return;
        }

        WriteInt32(value.Length);
        WriteBytes(MemoryMarshal.AsBytes(value.AsSpan()));
    }

    /// <summary>Counts one more level of nesting.</summary>
    /// <exception cref="NotSupportedException">The value nests deeper than <see cref="MaxDepth"/>.</exception>
    public void Enter(Type type)
    {
        if (++_depth > MaxDepth)
        {
            throw new NotSupportedException(
                $"A {ValueTypes.Describe(type)} nests more than {MaxDepth} objects deep, which is almost always a cycle (an object that " +
                "reaches itself); a value crosses as a tree, so a cycle cannot cross. Send a flat form (a list of nodes and indices).");
        }
    }

    public void Exit() => _depth--;

    private Span<byte> Reserve(int count)
    {
        if (_buffer.Length - _position < count)
        {
            Grow(count);
        }

        var span = _buffer.AsSpan(_position, count);
        _position += count;
        return span;
    }

    private void Grow(int count)
    {
        var needed = (long)_position + count;
        if (needed > Array.MaxLength)
        {
            throw new NotSupportedException($"The value is over {Array.MaxLength:N0} bytes serialized, more than one byte array holds.");
        }

        var size = Math.Max(needed, Math.Min((long)_buffer.Length * 2, Array.MaxLength));
        Array.Resize(ref _buffer, (int)size);
    }
}
