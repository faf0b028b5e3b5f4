namespace Weft.Processes;

/// <summary>
/// One message of the pool's protocol (see <see cref="FrameKind"/> for the list): a small value type that owns
/// its layout, so the pool, the worker host, the outbox and the tests write and read it in one way only.
/// </summary>
/// <typeparam name="TSelf">The frame type itself.</typeparam>
/// <remarks>A frame on the channel is <c>[int32 length][byte kind][fields][payload]</c>: <see cref="WriteFields"/>
/// writes the fields; a payload (a call's arguments, a result's value) is a serialized value that follows them
/// unchanged, written by the caller so that it is never copied into a second buffer.</remarks>
internal interface IFrame<TSelf>
    where TSelf : struct, IFrame<TSelf>
{
    /// <summary>Gets the kind byte that names this frame on the channel.</summary>
    static abstract FrameKind Kind { get; }

    /// <summary>Reads the frame from a body whose kind was <see cref="Kind"/>; a payload is what remains in it.</summary>
    /// <exception cref="InvalidDataException">The body is too short or a field is impossible.</exception>
    static abstract TSelf Read(ReadOnlyMemory<byte> body);

    /// <summary>Writes the frame's fields (not its payload).</summary>
    void WriteFields(BodyWriter writer);
}
