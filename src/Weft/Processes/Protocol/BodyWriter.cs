using System.Buffers;
using System.Buffers.Binary;

namespace Weft.Processes;

/// <summary>Builds a frame body field by field (little-endian; a string is <c>[int32 chars or -1][UTF-16LE units]</c>).</summary>
internal sealed class BodyWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(64);

    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    public void Clear() => _buffer.ResetWrittenCount();

    public void WriteByte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    public void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void WriteGuid(Guid value)
    {
        value.TryWriteBytes(_buffer.GetSpan(16));
        _buffer.Advance(16);
    }

    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteInt32(-1);
            return;
        }

        // UTF-16 code units as they are, not UTF-8: a lone surrogate (legal in a .NET string, common in messages
        // cut at a fixed length) survives instead of becoming U+FFFD.
        var bytes = checked(2 * value.Length);
        WriteInt32(value.Length);
        var span = _buffer.GetSpan(bytes);
        for (var i = 0; i < value.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span[(2 * i)..], value[i]);
        }

        _buffer.Advance(bytes);
    }

    public void WriteBytes(ReadOnlySpan<byte> value) => _buffer.Write(value);
}
