using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;

namespace Weft.Diagnostics;

/// <summary>
/// The W3C trace context a task carries to a worker process or a silo: the submitter's <c>traceparent</c> and
/// <c>tracestate</c>, as strings (for Orleans' <c>RequestContext</c>) or in a compact binary form (for frames).
/// </summary>
/// <remarks>
/// <para>Binary form: one byte 0 (no context), or 1 followed by the trace id (16 bytes), the span id (8), the trace
/// flags (1), and the <c>tracestate</c> as a 2-byte little-endian length and its UTF-8 bytes: 28 bytes plus the
/// trace state. Reading checks every length and reports a malformed context as <see cref="InvalidDataException"/>.</para>
/// </remarks>
internal readonly record struct TaskTraceContext(ActivityContext Context)
{
    private const int IdsLength = 16 + 8 + 1;

    /// <summary>W3C caps <c>tracestate</c> at 32 members of at most 256 characters plus separators; 8 KiB bounds any valid one.</summary>
    private const int MaxTraceStateBytes = 8192;

    /// <summary>Gets whether there is no context (the submitter was not in a trace).</summary>
    public bool IsEmpty => Context.TraceId == default;

    /// <summary>Gets the W3C <c>traceparent</c> header value, or null when empty.</summary>
    public string? TraceParent => IsEmpty
        ? null
        : $"00-{Context.TraceId.ToHexString()}-{Context.SpanId.ToHexString()}-{(byte)Context.TraceFlags:x2}";

    /// <summary>Gets the W3C <c>tracestate</c> header value, or null.</summary>
    public string? TraceState => IsEmpty ? null : Context.TraceState;

    /// <summary>Gets the length of the binary form.</summary>
    public int EncodedLength => IsEmpty ? 1 : 1 + IdsLength + 2 + TraceStateByteCount();

    /// <summary>What a call submitted now carries: the task's own activity if it has one, else the submitter's
    /// <see cref="Activity.Current"/> (so a trace continues even when nobody listens to Weft here), else nothing.</summary>
    public static TaskTraceContext Capture(Activity? taskActivity) =>
        new((taskActivity ?? Activity.Current)?.Context ?? default);

    /// <summary>Reads the string form; a missing or malformed <paramref name="traceParent"/> gives an empty context
    /// (as W3C says a receiver must treat an invalid header: start a new trace).</summary>
    public static TaskTraceContext Parse(string? traceParent, string? traceState) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var context)
            ? new TaskTraceContext(context)
            : default;

    /// <summary>Writes the binary form.</summary>
    /// <returns>The bytes written (<see cref="EncodedLength"/>).</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="EncodedLength"/>.</exception>
    public int WriteTo(Span<byte> destination)
    {
        var length = EncodedLength;
        if (destination.Length < length)
        {
            throw new ArgumentException($"The trace context needs {length} bytes, the buffer has {destination.Length}.", nameof(destination));
        }

        if (IsEmpty)
        {
            destination[0] = 0;
            return 1;
        }

        destination[0] = 1;
        Context.TraceId.CopyTo(destination.Slice(1, 16));
        Context.SpanId.CopyTo(destination.Slice(17, 8));
        destination[25] = (byte)Context.TraceFlags;
        var stateLength = TraceStateByteCount();
        BinaryPrimitives.WriteUInt16LittleEndian(destination.Slice(26, 2), (ushort)stateLength);
        if (stateLength > 0)
        {
            Encoding.UTF8.GetBytes(Context.TraceState, destination.Slice(28, stateLength));
        }

        return length;
    }

    /// <summary>Returns the binary form as a new array.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[EncodedLength];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>Reads the binary form from the start of <paramref name="source"/>.</summary>
    /// <param name="source">The bytes; may go on past the context.</param>
    /// <param name="bytesRead">How many bytes the context took.</param>
    /// <returns>The context (a remote one).</returns>
    /// <exception cref="InvalidDataException">The bytes are not a trace context in this form.</exception>
    public static TaskTraceContext ReadFrom(ReadOnlySpan<byte> source, out int bytesRead)
    {
        if (source.IsEmpty)
        {
            throw new InvalidDataException("The trace context is missing: no bytes left.");
        }

        switch (source[0])
        {
            case 0:
                bytesRead = 1;
                return default;
            case 1:
                break;
            default:
                throw new InvalidDataException($"The trace context starts with {source[0]}, not 0 or 1.");
        }

        if (source.Length < 1 + IdsLength + 2)
        {
            throw new InvalidDataException($"The trace context is cut short: {source.Length} bytes, at least {1 + IdsLength + 2} needed.");
        }

        var traceId = ActivityTraceId.CreateFromBytes(source.Slice(1, 16));
        var spanId = ActivitySpanId.CreateFromBytes(source.Slice(17, 8));
        var flags = (ActivityTraceFlags)source[25];
        var stateLength = BinaryPrimitives.ReadUInt16LittleEndian(source.Slice(26, 2));
        if (stateLength > MaxTraceStateBytes || source.Length < 28 + stateLength)
        {
            throw new InvalidDataException($"The trace context's tracestate claims {stateLength} bytes; {Math.Max(0, source.Length - 28)} are left (at most {MaxTraceStateBytes} allowed).");
        }

        if (traceId == default || spanId == default)
        {
            throw new InvalidDataException("The trace context has an all-zero trace or span id, which W3C forbids.");
        }

        string? state;
        try
        {
            state = stateLength == 0 ? null : new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(source.Slice(28, stateLength));
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException("The trace context's tracestate is not UTF-8.", e);
        }

        bytesRead = 28 + stateLength;
        return new TaskTraceContext(new ActivityContext(traceId, spanId, flags, state, isRemote: true));
    }

    private int TraceStateByteCount()
    {
        var state = Context.TraceState;
        if (string.IsNullOrEmpty(state))
        {
            return 0;
        }

        var count = Encoding.UTF8.GetByteCount(state);
        return count <= MaxTraceStateBytes ? count : 0;   // an oversized state is dropped, not sent (W3C allows dropping it)
    }
}
