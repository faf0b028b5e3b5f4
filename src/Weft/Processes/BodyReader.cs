using System.Buffers.Binary;
using System.Text;

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

        var value = Encoding.UTF8.GetString(_rest[..length]);
        _rest = _rest[length..];
        return value;
    }

    public ReadOnlySpan<byte> ReadBytes(int length)
    {
        var value = _rest[..length];
        _rest = _rest[length..];
        return value;
    }
}
