using System.Collections.Immutable;
using System.Text.Json.Serialization;
using FsCheck;
using FsCheck.Fluent;

namespace Weft.Tests.Processes.Values;

public enum Shade : short
{
    Blue = -3,
    Red = 1,
    Green = 2,
}

/// <summary>Every scalar of the closed set whose bits the old JSON path could lose.</summary>
public sealed record Leaf(string? Text, char Letter, double Real, float Single, decimal Money, DateTime When, DateTimeOffset Stamp,
    long Count, Guid Id, Shade Color, double? Maybe, Half Small);

/// <summary>Nested records, collections with and without comparers, a hidden property and a private field named like a property.</summary>
public sealed class Tree
{
#pragma warning disable SA1401, CA1051 // Public fields are part of what is tested.
    public (int Number, string? Name) Pair;
    public int[] Numbers = [];
    public string?[] Words = [];
    public Tree? Child;
#pragma warning restore SA1401, CA1051

    private int count;

    public Leaf Head { get; set; } = null!;

    public List<Leaf> Items { get; set; } = [];

    public Dictionary<string, double> ByName { get; set; } = [];

    public HashSet<string> Tags { get; set; } = [];

    public SortedSet<string> Ordered { get; set; } = [];

    public SortedDictionary<decimal, string> Prices { get; set; } = [];

    public Dictionary<double, int> ByReal { get; set; } = [];

    public Queue<char> Letters { get; set; } = new();

    public Stack<int> Pile { get; set; } = new();

    public ImmutableDictionary<string, int> Frozen { get; set; } = ImmutableDictionary<string, int>.Empty;

    public ImmutableSortedSet<string> FrozenOrder { get; set; } = [];

    public IReadOnlyList<DateTime> Dates { get; set; } = [];

    [JsonIgnore]
    public string? Hidden { get; set; }

    public int Count
    {
        get => count;
        set => count = value;
    }
}

/// <summary>Generators of the values above, with the awkward cases weighted up: lone and reversed surrogates, NaN
/// payloads, signed zeros, the ends of the date range, every known comparer.</summary>
internal static class ValueSamples
{
    public static readonly StringComparer?[] StringComparers =
        [null, StringComparer.Ordinal, StringComparer.OrdinalIgnoreCase, StringComparer.InvariantCulture, StringComparer.InvariantCultureIgnoreCase];

    private static readonly char[] s_awkward = ['\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\0', '\uFFFD', '\uFFFF', '\uFEFF', 'é', 'A', 'a', '"', '\\'];

    public static Gen<int> Int => Gen.Choose(int.MinValue, int.MaxValue);

    public static Gen<long> Long => Gen.Zip(Int, Int, static (hi, lo) => ((long)hi << 32) | (uint)lo);

    public static Gen<char> Char => Gen.Frequency(
        (3, Gen.Choose(32, 126).Select(static c => (char)c)),
        (3, Gen.Elements(s_awkward)),
        (1, Gen.Choose(0, 0xFFFF).Select(static c => (char)c)));

    /// <summary>Strings whose code units include lone high and low surrogates, reversed pairs and valid pairs.</summary>
    public static Gen<string?> Text => Gen.Frequency(
        (1, Gen.Constant<string?>(null)),
        (8, Gen.Choose(0, 8).SelectMany(n => Gen.ArrayOf(Gen.Frequency(
            (4, Char.Select(static c => c.ToString())),
            (1, Gen.Constant("\uDC00\uD800")),    // a reversed pair: two lone surrogates
            (1, Gen.Constant("\uD83D\uDE00"))), n)).Select(static parts => (string?)string.Concat(parts))));

    public static Gen<double> Real => Gen.Frequency(
        (3, Long.Select(BitConverter.Int64BitsToDouble)),
        (2, Gen.Elements(
            BitConverter.Int64BitsToDouble(0x7FF8000000000123), BitConverter.Int64BitsToDouble(unchecked((long)0xFFF8000000000000)),
            BitConverter.Int64BitsToDouble(0x7FF0000000000001), -0.0, 0.0, double.PositiveInfinity, double.NegativeInfinity,
            double.Epsilon, double.MaxValue, -double.MaxValue)),
        (1, Gen.Choose(-1000, 1000).Select(static i => i / 7.0)));

    public static Gen<float> Single => Gen.Frequency(
        (3, Int.Select(BitConverter.Int32BitsToSingle)),
        (1, Gen.Elements(BitConverter.Int32BitsToSingle(0x7FC00123), -0f, float.NegativeInfinity, float.Epsilon)));

    /// <summary>Any sign, any scale 0-28, including negative zero (-0.000m).</summary>
    public static Gen<decimal> Money =>
        from lo in Int
        from mid in Int
        from hi in Gen.Frequency((1, Gen.Constant(0)), (2, Int))
        from negative in Gen.Elements(true, false)
        from scale in Gen.Choose(0, 28)
        from zero in Gen.Frequency((1, Gen.Constant(true)), (4, Gen.Constant(false)))
        select zero ? new decimal(0, 0, 0, negative, (byte)scale) : new decimal(lo, mid, hi, negative, (byte)scale);

    public static Gen<DateTime> When =>
        from ticks in Gen.Frequency(
            (4, Long.Select(static l => (long)((ulong)l % (ulong)(DateTime.MaxValue.Ticks + 1)))),
            (1, Gen.Elements(0L, DateTime.MaxValue.Ticks)))
        from kind in Gen.Elements(DateTimeKind.Unspecified, DateTimeKind.Utc, DateTimeKind.Local)
        select new DateTime(ticks, kind);

    public static Gen<DateTimeOffset> Stamp =>
        from ticks in Long.Select(static l => TimeSpan.TicksPerDay + (long)((ulong)l % (ulong)(DateTime.MaxValue.Ticks - (2 * TimeSpan.TicksPerDay))))
        from minutes in Gen.Choose(-14 * 60, 14 * 60)
        select new DateTimeOffset(ticks, TimeSpan.FromMinutes(minutes));

    public static Gen<Leaf> Leaf =>
        from text in Text
        from letter in Char
        from real in Real
        from single in Single
        from money in Money
        from when in When
        from stamp in Stamp
        from count in Long
        from id in Gen.ArrayOf(Gen.Choose(0, 255).Select(static b => (byte)b), 16).Select(static b => new Guid(b))
        from color in Gen.Elements(Shade.Blue, Shade.Red, Shade.Green, (Shade)77)
        from maybe in Gen.Frequency((1, Gen.Constant<double?>(null)), (2, Real.Select(static r => (double?)r)))
        from small in Gen.Choose(0, 0xFFFF).Select(static h => BitConverter.Int16BitsToHalf((short)h))
        select new Leaf(text, letter, real, single, money, when, stamp, count, id, color, maybe, small);

    public static Gen<Tree> Tree => Gen.Sized(size => TreeOf(Math.Min(size, 2)));

    /// <summary>Sorted sets and dictionaries with each known comparer, and the Comparer the set uses by default.</summary>
    public static Gen<IComparer<string>?> Ordering => Gen.Elements<IComparer<string>?>(
        null, Comparer<string>.Default, StringComparer.Ordinal, StringComparer.OrdinalIgnoreCase, StringComparer.InvariantCultureIgnoreCase);

    private static Gen<T[]> Few<T>(Gen<T> item) => Gen.Choose(0, 4).SelectMany(n => Gen.ArrayOf(item, n));

    private static Gen<string> Key => Text.Select(static t => t ?? "");

    private static Gen<Tree> TreeOf(int depth) =>
        from head in Leaf
        from items in Few(Leaf)
        from names in Few(Gen.Zip(Key, Real))
        from nameComparer in Gen.Elements(StringComparers)
        from tags in Few(Key)
        from tagComparer in Gen.Elements(StringComparers)
        from ordered in Few(Key)
        from ordering in Ordering
        from prices in Few(Gen.Zip(Money, Text.Select(static t => t ?? "")))
        from reals in Few(Real)
        from pair in Gen.Zip(Int, Text)
        from numbers in Few(Int)
        from words in Few(Text)
        from letters in Few(Char)
        from pile in Few(Int)
        from frozen in Few(Gen.Zip(Key, Int))
        from frozenComparer in Gen.Elements(StringComparers)
        from frozenOrder in Few(Key)
        from dates in Few(When)
        from hidden in Text
        from count in Int
        from child in depth == 0 ? Gen.Constant<Tree?>(null) : Gen.Frequency((1, Gen.Constant<Tree?>(null)), (1, TreeOf(depth - 1).Select(static t => (Tree?)t)))
        select new Tree
        {
            Head = head,
            Items = [.. items],
            ByName = Distinct(names, nameComparer),
            Tags = new HashSet<string>(tags, nameComparer ?? (IEqualityComparer<string>)EqualityComparer<string>.Default),
            Ordered = new SortedSet<string>(ordered, ordering),
            Prices = new SortedDictionary<decimal, string>(prices.DistinctBy(static p => p.Item1).ToDictionary(static p => p.Item1, static p => p.Item2)),
            ByReal = reals.Distinct().Select(static (r, i) => (r, i)).ToDictionary(static p => p.r, static p => p.i),
            Pair = pair,
            Numbers = numbers,
            Words = words,
            Letters = new Queue<char>(letters),
            Pile = new Stack<int>(pile),
            Frozen = ImmutableDictionary.CreateRange(frozenComparer, frozen.DistinctBy(static p => p.Item1, frozenComparer ?? (IEqualityComparer<string>)EqualityComparer<string>.Default)
                .Select(static p => KeyValuePair.Create(p.Item1, p.Item2))),
            FrozenOrder = ImmutableSortedSet.CreateRange(ordering, frozenOrder),
            Dates = dates.ToList(),
            Child = child,
            Hidden = hidden,
            Count = count,
        };

    private static Dictionary<string, double> Distinct((string, double)[] pairs, StringComparer? comparer)
    {
        var result = new Dictionary<string, double>(comparer);
        foreach (var (key, value) in pairs)
        {
            result.TryAdd(key, value);
        }

        return result;
    }
}
