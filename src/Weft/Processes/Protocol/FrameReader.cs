using System.Buffers.Binary;
using System.Globalization;

namespace Weft.Processes;

/// <summary>Reads length-prefixed frames from a channel; used by one thread.</summary>
/// <remarks>Robust on its own against a peer that writes garbage: a length over the cap, or a kind this side
/// never receives, is an <see cref="InvalidDataException"/> before anything is allocated, and a large frame's
/// buffer grows only as its bytes actually arrive, so a bogus length costs at most what the peer really sent.</remarks>
internal sealed class FrameReader
{
    /// <summary>The AppContext setting (runtimeconfig) that caps a frame's length, in bytes.</summary>
    public const string MaxFrameLengthSetting = "Weft.ProcessPool.MaxFrameBytes";

    /// <summary>Room for a frame's own fields beside a value (ids, timing): a value may use the cap minus this.</summary>
    public const int HeaderAllowance = 256;

    /// <summary>Frames up to this size are allocated at once; larger ones grow with what arrives.</summary>
    private const int TrustedLength = 1 << 20;

    private readonly BufferedStream _in;
    private readonly Func<FrameKind, bool> _accepts;
    private readonly int _maxLength;

    /// <param name="stream">The channel.</param>
    /// <param name="accepts">The kinds this side can receive; any other is corrupt data.</param>
    /// <param name="maxLength">The largest frame, or null for <see cref="DefaultMaxLength"/>.</param>
    public FrameReader(Stream stream, Func<FrameKind, bool> accepts, int? maxLength = null)
    {
        _in = new BufferedStream(stream, 1 << 16);
        _accepts = accepts;
        _maxLength = maxLength ?? DefaultMaxLength;
    }

    /// <summary>1 GiB, or the <see cref="MaxFrameLengthSetting"/> of the application's runtimeconfig.</summary>
    /// <remarks>Read once: the runtimeconfig does not change while the process runs, and <c>AppContext.GetData</c>
    /// takes a lock, which every call and every result would otherwise pay.</remarks>
    public static int DefaultMaxLength { get; } = AppContext.GetData(MaxFrameLengthSetting) switch
    {
        int value when value > 0 => value,
        string text when int.TryParse(text, CultureInfo.InvariantCulture, out var value) && value > 0 => value,
        _ => 1 << 30,
    };

    /// <summary>The largest value a frame can carry: the cap less <see cref="HeaderAllowance"/>. Errors name this
    /// figure, the one a user's value is measured against.</summary>
    public static int MaxValueLength { get; } = DefaultMaxLength - HeaderAllowance;

    /// <summary>Reads the next frame.</summary>
    /// <returns>False at the end of the stream, including one cut in the middle of a frame (the peer died).</returns>
    /// <exception cref="InvalidDataException">The length prefix or the kind is impossible.</exception>
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
        kind = (FrameKind)prefix[4];
        if (length < 1 || length > _maxLength || !_accepts(kind))
        {
            throw new InvalidDataException(
                $"Corrupt frame on a worker channel (length {length}, kind {prefix[4]}; the cap is {_maxLength} bytes, " +
                $"settable as {MaxFrameLengthSetting}). First bytes: {Convert.ToHexString(prefix)}.");
        }

        return length - 1 <= TrustedLength ? ReadExactly(length - 1, out body) : ReadGrowing(length - 1, out body);
    }

    private bool ReadExactly(int length, out byte[] body)
    {
        body = length == 0 ? [] : new byte[length];
        return _in.ReadAtLeast(body, length, throwOnEndOfStream: false) == length;
    }

    private bool ReadGrowing(int length, out byte[] body)
    {
        body = new byte[TrustedLength];
        var filled = 0;
        while (filled < length)
        {
            if (filled == body.Length)
            {
                Array.Resize(ref body, (int)Math.Min(length, 2L * body.Length));
            }

            var read = _in.Read(body, filled, body.Length - filled);
            if (read == 0)
            {
                return false;
            }

            filled += read;
        }

        return true;
    }
}
