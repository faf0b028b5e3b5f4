using System.Buffers.Binary;

namespace Weft.Images;

/// <summary>Generates real, distinct PNG files of about a requested size (stored deflate blocks, so
/// the size is exact to within one row and generation is cheap).</summary>
internal static class PngImages
{
    private const int Width = 128;
    private const int RowBytes = 1 + (Width * 3); // filter byte + RGB
    private static readonly uint[] s_crcTable = BuildCrcTable();

    /// <summary>Builds image <paramref name="index"/>; the same index always gives the same bytes.</summary>
    public static byte[] Create(int index, int approximateSize)
    {
        var rows = Math.Max(1, (approximateSize - 80) / RowBytes);
        var raw = new byte[rows * RowBytes];
        var random = new Random(unchecked((index * 7919) + 17));
        random.NextBytes(raw);
        for (var r = 0; r < rows; r++)
        {
            raw[r * RowBytes] = 0; // filter type None
        }

        using var png = new MemoryStream(raw.Length + 256);
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);

        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, Width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], rows);
        ihdr[8] = 8;  // bit depth
        ihdr[9] = 2;  // colour type RGB
        ihdr[10] = 0; // compression
        ihdr[11] = 0; // filter
        ihdr[12] = 0; // interlace
        WriteChunk(png, "IHDR"u8, ihdr);
        WriteChunk(png, "IDAT"u8, Zlib(raw));
        WriteChunk(png, "IEND"u8, []);
        return png.ToArray();
    }

    private static byte[] Zlib(byte[] raw)
    {
        var blocks = Math.Max(1, (raw.Length + 65534) / 65535);
        var output = new byte[2 + (blocks * 5) + raw.Length + 4];
        output[0] = 0x78;
        output[1] = 0x01;
        var at = 2;
        for (var offset = 0; offset < raw.Length || at == 2; offset += 65535)
        {
            var length = Math.Min(65535, raw.Length - offset);
            output[at++] = (byte)(offset + length >= raw.Length ? 1 : 0);
            BinaryPrimitives.WriteUInt16LittleEndian(output.AsSpan(at), (ushort)length);
            BinaryPrimitives.WriteUInt16LittleEndian(output.AsSpan(at + 2), (ushort)~length);
            at += 4;
            raw.AsSpan(offset, length).CopyTo(output.AsSpan(at));
            at += length;
        }

        uint a = 1, b = 0;
        foreach (var x in raw)
        {
            a = (a + x) % 65521;
            b = (b + a) % 65521;
        }

        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(at), (b << 16) | a);
        return output;
    }

    private static void WriteChunk(Stream stream, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        stream.Write(word);
        stream.Write(type);
        stream.Write(data);
        var crc = Crc(0xFFFFFFFFu, type);
        crc = Crc(crc, data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        stream.Write(word);
    }

    private static uint Crc(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var x in data)
        {
            crc = s_crcTable[(crc ^ x) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
