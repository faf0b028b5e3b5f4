namespace Weft.Processes;

/// <summary>Raw values (the format of <see cref="RawCodec"/>) read into and written from <see cref="Slot"/>s by their
/// <see cref="NativeValueKind"/>: a switch over a closed list instead of generic code made per user type.</summary>
internal static class NativeValues
{
    public static Slot Read(NativeValueKind kind, ReadOnlySpan<byte> bytes) => kind switch
    {
        NativeValueKind.Boolean => Slot.Of(RawCodec.ReadScalar<bool>(bytes) ? 1L : 0L),
        NativeValueKind.Byte => Slot.Of(RawCodec.ReadScalar<byte>(bytes)),
        NativeValueKind.SByte => Slot.Of(RawCodec.ReadScalar<sbyte>(bytes)),
        NativeValueKind.Int16 => Slot.Of(RawCodec.ReadScalar<short>(bytes)),
        NativeValueKind.UInt16 => Slot.Of(RawCodec.ReadScalar<ushort>(bytes)),
        NativeValueKind.Int32 => Slot.Of(RawCodec.ReadScalar<int>(bytes)),
        NativeValueKind.UInt32 => Slot.Of(RawCodec.ReadScalar<uint>(bytes)),
        NativeValueKind.Int64 => Slot.Of(RawCodec.ReadScalar<long>(bytes)),
        NativeValueKind.UInt64 => Slot.Of((long)RawCodec.ReadScalar<ulong>(bytes)),
        NativeValueKind.Char => Slot.Of(RawCodec.ReadScalar<char>(bytes)),
        NativeValueKind.Single => Slot.Of(RawCodec.ReadScalar<float>(bytes)),
        NativeValueKind.Double => Slot.Of(RawCodec.ReadScalar<double>(bytes)),
        NativeValueKind.String => Slot.Of((object?)RawCodec.ReadString(bytes)),
        _ => Slot.Of((object?)ReadArray(kind & ~NativeValueKind.Array, bytes)),
    };

    /// <summary>Writes <paramref name="value"/> as <paramref name="kind"/>; an integer is first cut to its own width.</summary>
    public static byte[] Write(NativeValueKind kind, Slot value) => kind switch
    {
        NativeValueKind.Boolean => RawCodec.WriteScalar((byte)value.Integer != 0),
        NativeValueKind.Byte => RawCodec.WriteScalar((byte)value.Integer),
        NativeValueKind.SByte => RawCodec.WriteScalar((sbyte)value.Integer),
        NativeValueKind.Int16 => RawCodec.WriteScalar((short)value.Integer),
        NativeValueKind.UInt16 => RawCodec.WriteScalar((ushort)value.Integer),
        NativeValueKind.Int32 => RawCodec.WriteScalar((int)value.Integer),
        NativeValueKind.UInt32 => RawCodec.WriteScalar((uint)value.Integer),
        NativeValueKind.Int64 => RawCodec.WriteScalar(value.Integer),
        NativeValueKind.UInt64 => RawCodec.WriteScalar((ulong)value.Integer),
        NativeValueKind.Char => RawCodec.WriteScalar((char)value.Integer),
        NativeValueKind.Single => RawCodec.WriteScalar((float)value.Real),
        NativeValueKind.Double => RawCodec.WriteScalar(value.Real),
        NativeValueKind.String => RawCodec.WriteString((string?)value.Reference),
        _ => WriteArray(kind & ~NativeValueKind.Array, (Array?)value.Reference),
    };

    public static Array NewArray(NativeValueKind element, int length) => element switch
    {
        NativeValueKind.Boolean => new bool[length],
        NativeValueKind.Byte => new byte[length],
        NativeValueKind.SByte => new sbyte[length],
        NativeValueKind.Int16 => new short[length],
        NativeValueKind.UInt16 => new ushort[length],
        NativeValueKind.Int32 => new int[length],
        NativeValueKind.UInt32 => new uint[length],
        NativeValueKind.Int64 => new long[length],
        NativeValueKind.UInt64 => new ulong[length],
        NativeValueKind.Char => new char[length],
        NativeValueKind.Single => new float[length],
        NativeValueKind.Double => new double[length],
        _ => throw new InvalidDataException($"No array of {element}."),
    };

    public static Slot Get(NativeValueKind element, Array array, int index) => element switch
    {
        NativeValueKind.Boolean => Slot.Of(((bool[])array)[index] ? 1L : 0L),
        NativeValueKind.Byte => Slot.Of(((byte[])array)[index]),
        NativeValueKind.SByte => Slot.Of(((sbyte[])array)[index]),
        NativeValueKind.Int16 => Slot.Of(((short[])array)[index]),
        NativeValueKind.UInt16 => Slot.Of(((ushort[])array)[index]),
        NativeValueKind.Int32 => Slot.Of(((int[])array)[index]),
        NativeValueKind.UInt32 => Slot.Of(((uint[])array)[index]),
        NativeValueKind.Int64 => Slot.Of(((long[])array)[index]),
        NativeValueKind.UInt64 => Slot.Of((long)((ulong[])array)[index]),
        NativeValueKind.Char => Slot.Of(((char[])array)[index]),
        NativeValueKind.Single => Slot.Of(((float[])array)[index]),
        NativeValueKind.Double => Slot.Of(((double[])array)[index]),
        _ => throw new InvalidDataException($"No array of {element}."),
    };

    public static void Set(NativeValueKind element, Array array, int index, Slot value)
    {
        switch (element)
        {
            case NativeValueKind.Boolean: ((bool[])array)[index] = (byte)value.Integer != 0; break;
            case NativeValueKind.Byte: ((byte[])array)[index] = (byte)value.Integer; break;
            case NativeValueKind.SByte: ((sbyte[])array)[index] = (sbyte)value.Integer; break;
            case NativeValueKind.Int16: ((short[])array)[index] = (short)value.Integer; break;
            case NativeValueKind.UInt16: ((ushort[])array)[index] = (ushort)value.Integer; break;
            case NativeValueKind.Int32: ((int[])array)[index] = (int)value.Integer; break;
            case NativeValueKind.UInt32: ((uint[])array)[index] = (uint)value.Integer; break;
            case NativeValueKind.Int64: ((long[])array)[index] = value.Integer; break;
            case NativeValueKind.UInt64: ((ulong[])array)[index] = (ulong)value.Integer; break;
            case NativeValueKind.Char: ((char[])array)[index] = (char)value.Integer; break;
            case NativeValueKind.Single: ((float[])array)[index] = (float)value.Real; break;
            case NativeValueKind.Double: ((double[])array)[index] = value.Real; break;
            default: throw new InvalidDataException($"No array of {element}.");
        }
    }

    private static Array? ReadArray(NativeValueKind element, ReadOnlySpan<byte> bytes) => element switch
    {
        NativeValueKind.Boolean => RawCodec.ReadArray<bool>(bytes),
        NativeValueKind.Byte => RawCodec.ReadArray<byte>(bytes),
        NativeValueKind.SByte => RawCodec.ReadArray<sbyte>(bytes),
        NativeValueKind.Int16 => RawCodec.ReadArray<short>(bytes),
        NativeValueKind.UInt16 => RawCodec.ReadArray<ushort>(bytes),
        NativeValueKind.Int32 => RawCodec.ReadArray<int>(bytes),
        NativeValueKind.UInt32 => RawCodec.ReadArray<uint>(bytes),
        NativeValueKind.Int64 => RawCodec.ReadArray<long>(bytes),
        NativeValueKind.UInt64 => RawCodec.ReadArray<ulong>(bytes),
        NativeValueKind.Char => RawCodec.ReadArray<char>(bytes),
        NativeValueKind.Single => RawCodec.ReadArray<float>(bytes),
        NativeValueKind.Double => RawCodec.ReadArray<double>(bytes),
        _ => throw new InvalidDataException($"No array of {element}."),
    };

    private static byte[] WriteArray(NativeValueKind element, Array? array) => element switch
    {
        NativeValueKind.Boolean => RawCodec.WriteArray((bool[]?)array),
        NativeValueKind.Byte => RawCodec.WriteArray((byte[]?)array),
        NativeValueKind.SByte => RawCodec.WriteArray((sbyte[]?)array),
        NativeValueKind.Int16 => RawCodec.WriteArray((short[]?)array),
        NativeValueKind.UInt16 => RawCodec.WriteArray((ushort[]?)array),
        NativeValueKind.Int32 => RawCodec.WriteArray((int[]?)array),
        NativeValueKind.UInt32 => RawCodec.WriteArray((uint[]?)array),
        NativeValueKind.Int64 => RawCodec.WriteArray((long[]?)array),
        NativeValueKind.UInt64 => RawCodec.WriteArray((ulong[]?)array),
        NativeValueKind.Char => RawCodec.WriteArray((char[]?)array),
        NativeValueKind.Single => RawCodec.WriteArray((float[]?)array),
        NativeValueKind.Double => RawCodec.WriteArray((double[]?)array),
        _ => throw new InvalidDataException($"No array of {element}."),
    };
}
