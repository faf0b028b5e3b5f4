namespace Weft.Processes;

/// <summary>What a value of a Native AOT task is (a closed list: raw values only, never a type name), and so how a
/// worker reads it, writes it and passes it to the function. An array is its element kind plus <see cref="Array"/>.</summary>
internal enum NativeValueKind : byte
{
    Void = 0,
    Boolean,
    Byte,
    SByte,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    UInt64,
    Char,
    Single,
    Double,
    String,

    /// <summary>Flag: an array of the primitive kind in the low bits.</summary>
    Array = 0x40,
}
