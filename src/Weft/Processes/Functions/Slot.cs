namespace Weft.Processes;

/// <summary>One value of a Native AOT call in its machine class (see <see cref="NativeCall"/>).</summary>
internal readonly record struct Slot(long Integer, double Real, object? Reference)
{
    public static Slot Of(long value) => new(value, 0, null);

    public static Slot Of(double value) => new(0, value, null);

    public static Slot Of(object? value) => new(0, 0, value);
}
