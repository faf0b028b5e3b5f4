using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Weft.Tests.Processes.Values;

/// <summary>One test per value issue 19 found coming back different (or refused late) through a real worker; each
/// failed on the System.Text.Json codec (commit 0b78603).</summary>
public sealed class IssueNineteenTests(PoolFixture fixture) : IClassFixture<PoolFixture>
{
    private const string Lone = "a\uD800b\uDFFFc\uDC00\uD800";   // lone high, lone low, a reversed pair
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private ProcessPoolExecutor Pool => fixture.Pool;

    [Fact]
    public void LoneSurrogates_BareStringArgumentAndResult_Exact() =>
        Assert.Equal(Lone + Lone, Pool.Submit(static (string s) => s + s, Lone).Result(Timeout));

    [Fact]
    public void LoneSurrogates_InRecordsArraysListsAndTuples_Exact()
    {
        var value = new Letters(Lone, '\uDC00', [Lone, "\uD800"], [Lone], (Lone, '\uDBFF'));

        var back = Pool.Submit(static (Letters l) => l, value).Result(Timeout);

        Exact.Equal(value, back);
    }

    [Fact]
    public void LoneSurrogates_BothArgumentsOfSubmit_Exact() =>
        Assert.Equal("\uDC00|\uD800", Pool.Submit(static (string a, string b) => a + "|" + b, "\uDC00", "\uD800").Result(Timeout));

    [Fact]
    public void LoneSurrogates_InMapChunks_Exact()
    {
        string[] items = ["\uD800", "\uDC00", Lone, "\uDBFF\uDBFF"];

        Assert.Equal(items, Pool.Map(static (string s) => s, items, Timeout, chunkSize: 2));
    }

    [Fact]
    public void LoneSurrogates_ResultMadeInTheWorker_Exact() =>
        Assert.Equal("\uD800\uD800", Pool.Submit(static () => new string('\uD800', 2)).Result(Timeout));

    [Fact]
    public void LoneSurrogates_TwoDictionaryKeys_StayTwoEntries()
    {
        var value = new Dictionary<string, int> { ["\uD800"] = 1, ["\uDBFF"] = 2 };

        Assert.Equal(2, Pool.Submit(static (Dictionary<string, int> d) => d.Count, value).Result(Timeout));
    }

    [Fact]
    public void Comparer_DictionaryAndHashSetIgnoringCase_FindKEYInTheWorker()
    {
        var dictionary = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase) { ["key"] = 1 };
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "key" };
        var immutable = ImmutableDictionary.Create<string, int>(StringComparer.InvariantCultureIgnoreCase).Add("key", 1);

        Assert.True(Pool.Submit(static (Dictionary<string, int> d) => d.ContainsKey("KEY"), dictionary).Result(Timeout));
        Assert.True(Pool.Submit(static (HashSet<string> s) => s.Contains("KEY"), set).Result(Timeout));
        Assert.True(Pool.Submit(static (ImmutableDictionary<string, int> d) => d.ContainsKey("KEY"), immutable).Result(Timeout));
    }

    [Fact]
    public void Comparer_SortedSetIgnoringCase_KeepsItsOrderAndLookups()
    {
        var set = new SortedSet<string>(StringComparer.OrdinalIgnoreCase) { "b", "A", "c" };

        var back = Pool.Submit(static (SortedSet<string> s) => (s.Contains("B"), s.ToArray()), set).Result(Timeout);

        Assert.True(back.Item1);
        Assert.Equal(["A", "b", "c"], back.Item2);
    }

    [Fact]
    public void Comparer_Reversed_RefusedAtSubmitForEverySortedKind()
    {
        var descending = Comparer<int>.Create(static (a, b) => b.CompareTo(a));

        Refused(() => Pool.Submit(static (SortedSet<int> s) => s.Min, new SortedSet<int>([1, 2, 3], descending)), "SortedSet");
        Refused(() => Pool.Submit(static (SortedDictionary<int, int> d) => d.Count, new SortedDictionary<int, int>(descending) { [1] = 1 }), "SortedDictionary");
        Refused(() => Pool.Submit(static (SortedList<int, int> d) => d.Count, new SortedList<int, int>(descending) { [1] = 1 }), "SortedList");
        Refused(() => Pool.Submit(static (ImmutableSortedSet<int> s) => s.Min, ImmutableSortedSet.Create(descending, 1, 2)), "ImmutableSortedSet");
        Assert.Equal(0, Pool.PendingCount);
    }

    [Fact]
    public void State_ListAndDictionarySubclassesWithMembers_RefusedAtSubmit()
    {
        Refused(() => Pool.Submit(static (TaggedList l) => l.Tag, new TaggedList { Tag = "important" }), nameof(TaggedList));
        Refused(() => Pool.Submit(static (TaggedMap m) => m.Tag, new TaggedMap { Tag = "important" }), nameof(TaggedMap));
    }

    [Fact]
    public void State_SubclassInstanceInAListTypedMember_RefusedAtSubmit()
    {
        var holder = new Holder(new TaggedList { Tag = "important" });

        var error = Refused(() => Pool.Submit(static (Holder h) => h.Items.Count, holder), nameof(TaggedList));

        Assert.Contains("Holder.Items", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void State_JsonIgnoredProperty_ArrivesExact() =>
        Assert.Equal("s", Pool.Submit(static (Shadowing s) => s, new Shadowing { Secret = "s" }).Result(Timeout).Secret);

    [Fact]
    public void State_NewShadowedProperty_BothArriveExact()
    {
        var value = new Shadowing { Size = "large" };
        ((Sized)value).Size = 42;

        var back = Pool.Submit(static (Shadowing s) => s, value).Result(Timeout);

        Assert.Equal("large", back.Size);
        Assert.Equal(42, ((Sized)back).Size);
    }

    [Fact]
    public void State_PrivateFieldNamedLikeAProperty_ArrivesExact()
    {
        var value = new Shadowing { Count = 5 };
        value.Hit();
        value.Hit();

        var back = Pool.Submit(static (Shadowing s) => s, value).Result(Timeout);

        Assert.Equal(2, back.Hits);
        Assert.Equal(5, back.Count);
        Exact.Equal(value, back);
    }

    [Fact]
    public void Bits_NaNPayloadInARecord_Exact()
    {
        var nan = BitConverter.Int64BitsToDouble(0x7FF8000000000123);

        var back = Pool.Submit(static (Measure m) => m, new Measure(nan, -0.0, BitConverter.Int32BitsToSingle(0x7FC00123))).Result(Timeout);

        Assert.Equal(0x7FF8000000000123, BitConverter.DoubleToInt64Bits(back.Value));
        Assert.Equal(unchecked((long)0x8000000000000000), BitConverter.DoubleToInt64Bits(back.Zero));
        Assert.Equal(0x7FC00123, BitConverter.SingleToInt32Bits(back.Single));
    }

    [Fact]
    public void Bits_DecimalNegativeZero_KeepsSignAndScaleAlsoAsAKey()
    {
        var negativeZero = -0.000m;
        var value = new Dictionary<decimal, decimal> { [negativeZero] = negativeZero };

        var back = Pool.Submit(static (Dictionary<decimal, decimal> d) => d, value).Result(Timeout);

        var (key, item) = Assert.Single(back);
        Assert.Equal(decimal.GetBits(negativeZero), decimal.GetBits(key));
        Assert.Equal(decimal.GetBits(negativeZero), decimal.GetBits(item));
        Assert.True(decimal.IsNegative(item));
    }

    [Fact]
    public void Bits_DateTimeKindAndDateTimeOffsetOffset_Exact()
    {
        var local = new DateTime(2026, 12, 2, 10, 0, 0, DateTimeKind.Local).AddTicks(1);
        var stamp = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.FromMinutes(-570)).AddTicks(3);

        var back = Pool.Submit(static (DateTime d, DateTimeOffset o) => (d, o), local, stamp).Result(Timeout);

        Exact.Equal((local, stamp), back);
    }

    [Fact]
    public void Late_ConcurrentBagAndArraySegment_RefusedAtSubmit()
    {
        Refused(() => Pool.Submit(static (ConcurrentBag<int> b) => b.Count, new ConcurrentBag<int>([1])), "ConcurrentBag");
        Refused(() => Pool.Submit(static (ArraySegment<int> s) => s.Count, new ArraySegment<int>([1, 2, 3], 1, 1)), "ArraySegment");
        Refused(() => Pool.Submit(static () => new ConcurrentBag<int>()), "ConcurrentBag");
    }

    [Fact]
    public void Late_DictionaryWithInfiniteAndNaNKeys_Crosses()
    {
        var value = new Dictionary<double, int> { [double.PositiveInfinity] = 1, [double.NegativeInfinity] = 2, [double.NaN] = 3, [-0.0] = 4 };

        var back = Pool.Submit(static (Dictionary<double, int> d) => d, value).Result(Timeout);

        Exact.Equal(value, back);
    }

    private static ArgumentException Refused(Action submit, string named)
    {
        var error = Assert.Throws<ArgumentException>(submit);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        return error;
    }
}

public sealed record Letters(string Text, char Letter, string[] Array, List<string> List, (string, char) Tuple);

public sealed record Measure(double Value, double Zero, float Single);

public sealed class TaggedList : List<int>
{
    public string Tag { get; set; } = "";
}

public sealed class TaggedMap : Dictionary<string, int>
{
    public string Tag { get; set; } = "";
}

public sealed record Holder(List<int> Items);

public class Sized
{
    public int Size { get; set; }
}

/// <summary>A [JsonIgnore] property, a property shadowing its base's with <c>new</c>, and a private field whose name
/// matches a property's but which no property writes.</summary>
public sealed class Shadowing : Sized
{
    private int count;

    [JsonIgnore]
    public string? Secret { get; set; }

    public new string? Size { get; set; }

    public int Count { get; set; }

    public int Hits => count;

    public void Hit() => count++;
}
