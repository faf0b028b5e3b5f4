namespace Weft.Processes;

/// <summary>The codec of one declared type of the closed set (<see cref="ValueCodecs"/>): the receiver knows the type, so
/// nothing on the wire names one.</summary>
internal abstract class ValueCodec
{
    /// <summary>Called once every codec the value needs exists, so recursive types can refer to themselves.</summary>
    public virtual void Link(Func<Type, ValueCodec> codecOf)
    {
    }
}

/// <summary>Writes and reads values declared as <typeparamref name="T"/>, exactly.</summary>
/// <typeparam name="T">The declared type.</typeparam>
internal abstract class ValueCodec<T> : ValueCodec
{
    /// <exception cref="NotSupportedException">Only the value shows that it cannot cross (a subclass instance, a comparer
    /// outside the closed set, a cycle); the message names the type and the member.</exception>
    public abstract void Write(ValueWriter writer, T value);

    /// <exception cref="InvalidDataException">The bytes are not a <typeparamref name="T"/>.</exception>
    public abstract T Read(ref ValueReader reader);
}

/// <summary>An unmanaged value as its bytes in memory: every bit (NaN payloads, signed zeros, a decimal's sign and scale,
/// a DateTime's Kind), because parent and worker are the same runtime on the same architecture.</summary>
internal sealed class RawValueCodec<T> : ValueCodec<T>
    where T : unmanaged
{
    public override void Write(ValueWriter writer, T value) => writer.WriteRaw(value);

    public override T Read(ref ValueReader reader) => reader.ReadRaw<T>();
}

/// <summary>Every UTF-16 code unit, lone surrogates included (UTF-8 would turn them into U+FFFD).</summary>
internal sealed class StringCodec : ValueCodec<string?>
{
    public override void Write(ValueWriter writer, string? value) => writer.WriteString(value);

    public override string? Read(ref ValueReader reader) => reader.ReadString();
}

/// <summary>Its clock time and its offset, both exact (the offset is whole minutes).</summary>
internal sealed class DateTimeOffsetCodec : ValueCodec<DateTimeOffset>
{
    public override void Write(ValueWriter writer, DateTimeOffset value)
    {
        writer.WriteRaw(value.Ticks);
        writer.WriteRaw((short)value.TotalOffsetMinutes);
    }

    public override DateTimeOffset Read(ref ValueReader reader)
    {
        var ticks = reader.ReadRaw<long>();
        var minutes = reader.ReadRaw<short>();
        try
        {
            return new DateTimeOffset(ticks, TimeSpan.FromMinutes(minutes));
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"Corrupt DateTimeOffset: {e.Message}", e);
        }
    }
}

/// <summary><c>[byte 0 = null, 1 = value][value]</c>.</summary>
internal sealed class NullableCodec<T> : ValueCodec<T?>
    where T : struct
{
    private ValueCodec<T> _value = null!;

    public override void Link(Func<Type, ValueCodec> codecOf) => _value = (ValueCodec<T>)codecOf(typeof(T));

    public override void Write(ValueWriter writer, T? value)
    {
        if (value is not { } present)
        {
            writer.WriteByte(0);
            return;
        }

        writer.WriteByte(1);
        _value.Write(writer, present);
    }

    public override T? Read(ref ValueReader reader) => reader.ReadPresence() ? _value.Read(ref reader) : null;
}

/// <summary><c>[int32 byte count][two's complement bytes]</c>.</summary>
internal sealed class BigIntegerCodec : ValueCodec<System.Numerics.BigInteger>
{
    public override void Write(ValueWriter writer, System.Numerics.BigInteger value)
    {
        var bytes = value.ToByteArray();
        writer.WriteInt32(bytes.Length);
        writer.WriteBytes(bytes);
    }

    public override System.Numerics.BigInteger Read(ref ValueReader reader) => new(reader.ReadBytes(reader.ReadCount()));
}
