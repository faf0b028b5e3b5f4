using System.Buffers.Binary;

namespace Weft.Processes;

/// <summary>Writes length-prefixed frames to a pipe through a buffer; one writer at a time (callers serialize).</summary>
internal sealed class FrameWriter(Stream stream)
{
    private readonly BufferedStream _out = new(stream, 1 << 16);
    private readonly BodyWriter _fields = new();

    /// <summary>Buffers one frame with its payload; nothing reaches the pipe before <see cref="Flush"/> or a full buffer.</summary>
    public void Write<TFrame>(in TFrame frame, ReadOnlySpan<byte> payload = default)
        where TFrame : struct, IFrame<TFrame>
    {
        _fields.Clear();
        frame.WriteFields(_fields);
        Write(TFrame.Kind, _fields.WrittenSpan, payload);
    }

    /// <summary>Buffers raw bytes as a frame of <paramref name="kind"/>: for tests that must send what no frame type
    /// would (a corrupt body); the pool and the worker write through <see cref="Write{TFrame}"/>.</summary>
    public void Write(FrameKind kind, ReadOnlySpan<byte> header, ReadOnlySpan<byte> body = default)
    {
        Span<byte> prefix = stackalloc byte[5];
        BinaryPrimitives.WriteInt32LittleEndian(prefix, checked(1 + header.Length + body.Length));
        prefix[4] = (byte)kind;
        _out.Write(prefix);
        _out.Write(header);
        _out.Write(body);
    }

    public void Flush() => _out.Flush();
}
