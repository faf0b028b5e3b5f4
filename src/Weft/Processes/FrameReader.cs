using System.Buffers.Binary;

namespace Weft.Processes;

/// <summary>Reads length-prefixed frames from a pipe; used by one thread.</summary>
internal sealed class FrameReader(Stream stream)
{
    /// <summary>Larger frames are refused as corrupt rather than allocated (2 GiB is the array limit anyway).</summary>
    private const int MaxFrameLength = int.MaxValue - 64;

    private readonly BufferedStream _in = new(stream, 1 << 16);

    /// <summary>Reads the next frame.</summary>
    /// <returns>False at the end of the stream, including one cut in the middle of a frame (the peer died).</returns>
    /// <exception cref="InvalidDataException">The length prefix is impossible.</exception>
    public bool TryRead(out FrameKind kind, out byte[] body)
    {
        kind = default;
        body = [];
        Span<byte> prefix = stackalloc byte[5];
        if (_in.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false) < prefix.Length)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(prefix);
        if (length is < 1 or > MaxFrameLength)
        {
            throw new InvalidDataException($"Corrupt frame length {length} on a worker pipe.");
        }

        kind = (FrameKind)prefix[4];
        body = length == 1 ? [] : new byte[length - 1];
        return _in.ReadAtLeast(body, body.Length, throwOnEndOfStream: false) == body.Length;
    }
}
