using System.Buffers.Binary;

namespace Weft.Processes;

/// <summary>Reads the fields of a frame body in order.</summary>
internal ref struct BodyReader(ReadOnlySpan<byte> body)
{
    private ReadOnlySpan<byte> _rest = body;

    public readonly ReadOnlySpan<byte> Rest => _rest;

    public byte ReadByte()
    {
        var value = _rest[0];
        _rest = _rest[1..];
        return value;
    }

    public int ReadInt32()
    {
        var value = BinaryPrimitives.ReadInt32LittleEndian(_rest);
        _rest = _rest[4..];
        return value;
    }

    public long ReadInt64()
    {
        var value = BinaryPrimitives.ReadInt64LittleEndian(_rest);
        _rest = _rest[8..];
        return value;
    }

    public Guid ReadGuid()
    {
        var value = new Guid(_rest[..16]);
        _rest = _rest[16..];
        return value;
    }

    public string? ReadString()
    {
        var length = ReadInt32();
        if (length < 0)
        {
            return null;
        }

        if (length > _rest.Length / 2)
        {
            throw new InvalidDataException($"Corrupt frame: a string of {length} characters in {_rest.Length} bytes.");
        }

        var units = _rest[..(2 * length)];
        _rest = _rest[(2 * length)..];
        return string.Create(length, units, static (chars, units) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = (char)BinaryPrimitives.ReadUInt16LittleEndian(units[(2 * i)..]);
            }
        });
    }

    public ReadOnlySpan<byte> ReadBytes(int length)
    {
        var value = _rest[..length];
        _rest = _rest[length..];
        return value;
    }
}
