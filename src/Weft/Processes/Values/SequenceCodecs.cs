using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Weft.Processes;

/// <summary><c>[int32 count, -1 for null][elements]</c>; elements of a raw type (<see cref="RawValueCodec{T}"/>) as one block.</summary>
internal sealed class ArrayCodec<T> : ValueCodec<T[]?>
{
    private ValueCodec<T> _element = null!;
    private bool _raw;

    public override void Link(Func<Type, ValueCodec> codecOf)
    {
        _element = (ValueCodec<T>)codecOf(typeof(T));
        _raw = _element.GetType().IsGenericType && _element.GetType().GetGenericTypeDefinition() == typeof(RawValueCodec<>);
    }

    public override void Write(ValueWriter writer, T[]? value)
    {
        if (value is null)
        {
            writer.WriteInt32(-1);
            return;
        }

        writer.WriteInt32(value.Length);
        Elements.Write(writer, _element, _raw, value);
    }

    public override T[]? Read(ref ValueReader reader)
    {
        var count = reader.ReadCount();
        if (count < 0)
        {
            return null;
        }

        var result = new T[count];
        Elements.Read(ref reader, _element, _raw, result);
        return result;
    }
}

/// <summary>A <see cref="List{T}"/> like an array (its capacity is not part of the value).</summary>
internal sealed class ListCodec<T> : ValueCodec<List<T>?>
{
    private ValueCodec<T> _element = null!;
    private bool _raw;

    public override void Link(Func<Type, ValueCodec> codecOf)
    {
        _element = (ValueCodec<T>)codecOf(typeof(T));
        _raw = _element.GetType().IsGenericType && _element.GetType().GetGenericTypeDefinition() == typeof(RawValueCodec<>);
    }

    public override void Write(ValueWriter writer, List<T>? value)
    {
        if (value is null)
        {
            writer.WriteInt32(-1);
            return;
        }

        Elements.EnsureExact(value, typeof(List<T>));
        writer.WriteInt32(value.Count);
        Elements.Write(writer, _element, _raw, CollectionsMarshal.AsSpan(value));
    }

    public override List<T>? Read(ref ValueReader reader)
    {
        var count = reader.ReadCount();
        if (count < 0)
        {
            return null;
        }

        var result = new List<T>(count);
        CollectionsMarshal.SetCount(result, count);
        Elements.Read(ref reader, _element, _raw, CollectionsMarshal.AsSpan(result));
        return result;
    }
}

/// <summary>
/// Any other collection of the closed set: <c>[int32 count, -1 for null][byte comparer, if it has one][elements in
/// enumeration order]</c>, rebuilt from the elements in that order (and with that comparer, <see cref="KnownComparers"/>).
/// </summary>
/// <typeparam name="TCollection">The declared collection type.</typeparam>
/// <typeparam name="T">Its element (a <see cref="KeyValuePair{TKey, TValue}"/> for a dictionary).</typeparam>
internal sealed class CollectionCodec<TCollection, T> : ValueCodec<TCollection>
{
    private readonly Func<TCollection, IEnumerable<T>?> _items;
    private readonly Func<TCollection, byte>? _comparer;
    private readonly Func<byte, T[], TCollection> _build;
    private readonly bool _exact;
    private ValueCodec<T> _element = null!;

    /// <param name="items">The elements, or null for a null (or default) collection.</param>
    /// <param name="comparer">The comparer's tag, for kinds that carry one.</param>
    /// <param name="build">Rebuilds the collection from the comparer's tag and the elements.</param>
    /// <param name="exact">Whether an instance of a subclass is refused (false for an interface, whose every
    /// implementation is read through the interface alone).</param>
    public CollectionCodec(Func<TCollection, IEnumerable<T>?> items, Func<TCollection, byte>? comparer, Func<byte, T[], TCollection> build, bool exact)
    {
        _items = items;
        _comparer = comparer;
        _build = build;
        _exact = exact;
    }

    public override void Link(Func<Type, ValueCodec> codecOf) => _element = (ValueCodec<T>)codecOf(typeof(T));

    public override void Write(ValueWriter writer, TCollection value)
    {
        var items = _items(value);
        if (items is null)
        {
            writer.WriteInt32(-1);
            return;
        }

        if (_exact)
        {
            Elements.EnsureExact(value!, typeof(TCollection));
        }

        var list = items switch
        {
            ICollection<T> or IReadOnlyCollection<T> => items,
            _ => items.ToList(),   // a lazy sequence: enumerated once, here
        };
        var count = list is ICollection<T> c ? c.Count : ((IReadOnlyCollection<T>)list).Count;
        writer.WriteInt32(count);
        if (_comparer is not null)
        {
            writer.WriteByte(_comparer(value));
        }

        var written = 0;
        foreach (var item in list)
        {
            _element.Write(writer, item);
            written++;
        }

        if (written != count)
        {
            throw new InvalidOperationException(
                $"The {ValueTypes.Describe(typeof(TCollection))} changed while it was being sent ({count} items counted, {written} enumerated).");
        }
    }

    public override TCollection Read(ref ValueReader reader)
    {
        var count = reader.ReadCount();
        if (count < 0)
        {
            return default!;
        }

        var tag = _comparer is null ? (byte)0 : reader.ReadByte();
        var items = new T[count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = _element.Read(ref reader);
        }

        return _build(tag, items);
    }
}

/// <summary>A key and its value, one after the other.</summary>
internal sealed class PairCodec<TKey, TValue> : ValueCodec<KeyValuePair<TKey, TValue>>
{
    private ValueCodec<TKey> _key = null!;
    private ValueCodec<TValue> _value = null!;

    public override void Link(Func<Type, ValueCodec> codecOf)
    {
        _key = (ValueCodec<TKey>)codecOf(typeof(TKey));
        _value = (ValueCodec<TValue>)codecOf(typeof(TValue));
    }

    public override void Write(ValueWriter writer, KeyValuePair<TKey, TValue> value)
    {
        _key.Write(writer, value.Key);
        _value.Write(writer, value.Value);
    }

    public override KeyValuePair<TKey, TValue> Read(ref ValueReader reader)
    {
        var key = _key.Read(ref reader);
        return new(key, _value.Read(ref reader));
    }
}

/// <summary>What the sequence codecs share.</summary>
internal static class Elements
{
    public static void EnsureExact(object value, Type declared)
    {
        if (value.GetType() != declared)
        {
            throw new CrossingRefusedException(
                $"a {ValueTypes.Describe(value.GetType())} declared as {ValueTypes.Describe(declared)} cannot cross: it would arrive as a plain " +
                $"{ValueTypes.Describe(declared)}, without what the subclass adds. Declare the exact type, or hold the collection in a member.");
        }
    }

    public static void Write<T>(ValueWriter writer, ValueCodec<T> element, bool raw, ReadOnlySpan<T> items)
    {
        if (raw)
        {
            writer.WriteBytes(MemoryMarshal.CreateReadOnlySpan(
                ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(items)), items.Length * Unsafe.SizeOf<T>()));
            return;
        }

        foreach (var item in items)
        {
            element.Write(writer, item);
        }
    }

    public static void Read<T>(ref ValueReader reader, ValueCodec<T> element, bool raw, Span<T> items)
    {
        if (raw)
        {
            reader.ReadBytes(checked(items.Length * Unsafe.SizeOf<T>()))
                .CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(items)), items.Length * Unsafe.SizeOf<T>()));
            return;
        }

        for (var i = 0; i < items.Length; i++)
        {
            items[i] = element.Read(ref reader);
        }
    }
}
