namespace Weft.Processes;

/// <summary>What every frame type's <c>Read</c> shares: the length check and the error record.</summary>
internal static class Frame
{
    /// <summary>A reader over <paramref name="body"/>, which must hold at least <paramref name="fieldsLength"/> bytes.</summary>
    /// <exception cref="InvalidDataException">It does not.</exception>
    public static BodyReader Reader(FrameKind kind, ReadOnlyMemory<byte> body, int fieldsLength) =>
        body.Length < fieldsLength ? throw TooShort(kind, body) : new BodyReader(body.Span);

    public static InvalidDataException TooShort(FrameKind kind, ReadOnlyMemory<byte> body) =>
        new($"Corrupt {kind} frame: its body is {body.Length} bytes, too short for its fields.");

    /// <summary>Reads an error record, turning any failure to parse it into an <see cref="InvalidDataException"/>.</summary>
    public static Exception ReadError(FrameKind kind, ref BodyReader reader)
    {
        try
        {
            return RemoteError.Read(ref reader);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException or InvalidDataException)
        {
            throw new InvalidDataException($"Corrupt {kind} frame: its error record cannot be read ({e.Message}).", e);
        }
    }
}
