using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Weft.Processes;

/// <summary>
/// Reads what <see cref="ValueWriter"/> wrote. Every length is checked against the bytes that are actually there
/// before anything is allocated (each encoded value takes at least one byte), so corrupt input is an
/// <see cref="InvalidDataException"/>, never a huge allocation or a deep recursion.
/// </summary>
internal ref struct ValueReader(ReadOnlySpan<byte> bytes)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;
    private int _position;
    private int _depth;

    /// <summary>Gets the number of bytes not read yet.</summary>
    public readonly int Remaining => _bytes.Length - _position;

    public byte ReadByte() => Take(1)[0];

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public T ReadRaw<T>()
        where T : unmanaged => Unsafe.ReadUnaligned<T>(ref MemoryMarshal.GetReference(Take(Unsafe.SizeOf<T>())));

    public ReadOnlySpan<byte> ReadBytes(int count) => Take(count);

    public string? ReadString()
    {
        var length = ReadInt32();
        if (length == -1)
        {
            return null;
        }

        var units = Take(checked(CheckCount(length, 2) * 2));
        return new string(MemoryMarshal.Cast<byte, char>(units));
    }

    /// <summary>Reads a null flag: false for null.</summary>
    public bool ReadPresence() => ReadByte() switch
    {
        0 => false,
        1 => true,
        var other => throw new InvalidDataException($"Corrupt value: presence flag {other}."),
    };

    /// <summary>Reads an element count, -1 for null, checked against the bytes left (every element takes at least one).</summary>
    public int ReadCount()
    {
        var count = ReadInt32();
        return count == -1 ? -1 : CheckCount(count, 1);
    }

    public void Enter()
    {
        if (++_depth > ValueWriter.MaxDepth)
        {
            throw new InvalidDataException($"Corrupt value: nested more than {ValueWriter.MaxDepth} deep.");
        }
    }

    public void Exit() => _depth--;

    /// <summary>Throws unless every byte was read: a value of another type would leave some.</summary>
    public readonly void EnsureEnd()
    {
        if (_position != _bytes.Length)
        {
            throw new InvalidDataException($"Corrupt value: {_bytes.Length - _position} bytes left over after it.");
        }
    }

    private readonly int CheckCount(int count, int unitSize) =>
        count >= 0 && (long)count * unitSize <= Remaining
            ? count
            : throw new InvalidDataException($"Corrupt value: a count of {count} with {Remaining} bytes left.");

    private ReadOnlySpan<byte> Take(int count)
    {
        if ((uint)count > (uint)Remaining)
        {
            throw new InvalidDataException($"Corrupt value: {count} more bytes expected, {Remaining} left.");
        }

        var span = _bytes.Slice(_position, count);
        _position += count;
        return span;
    }
}
