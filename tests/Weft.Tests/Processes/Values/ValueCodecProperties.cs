using FsCheck;
using FsCheck.Fluent;
using Weft.Processes;

namespace Weft.Tests.Processes.Values;

/// <summary>The codec alone (no process), over many generated values with a fixed seed: every value comes back bit for
/// bit, and what only a value can show (a comparer outside the closed set, a subclass) is refused naming it.</summary>
public sealed class ValueCodecProperties
{
    private const ulong Seed = 20261202;

    [Fact]
    public void Trees_RoundTripBitForBit()
    {
        foreach (var tree in Gen.Sample(ValueSamples.Tree, 10, new Rnd(Seed), 2000))
        {
            Exact.Equal(tree, Wire.Deserialize<Tree>(Wire.Serialize(tree)));
        }
    }

    [Fact]
    public void Leaves_AsArrayListAndPairArguments_RoundTripBitForBit()
    {
        var leaves = Gen.Sample(ValueSamples.Leaf, 10, new Rnd(Seed + 1), 3000);
        Exact.Equal(leaves, Wire.Deserialize<Leaf[]>(Wire.Serialize(leaves)));
        var list = leaves.ToList();
        Exact.Equal(list, Wire.Deserialize<List<Leaf>>(Wire.Serialize(list)));
        var pair = Wire.DeserializePair<Leaf, Leaf[]>(Wire.SerializePair(leaves[0], leaves));
        Exact.Equal((leaves[0], leaves), pair);
    }

    [Fact]
    public void Strings_EveryCodeUnit_RoundTripBareInArraysAndAsChars()
    {
        var texts = Gen.Sample(ValueSamples.Text, 20, new Rnd(Seed + 2), 5000);
        foreach (var text in texts)
        {
            Exact.Equal(text, Wire.Deserialize<string?>(Wire.Serialize(text)));
        }

        Exact.Equal(texts, Wire.Deserialize<string?[]>(Wire.Serialize(texts)));
        var chars = Enumerable.Range(0, 0x10000).Select(static c => (char)c).ToList();
        Exact.Equal(chars, Wire.Deserialize<List<char>>(Wire.Serialize(chars)));
    }

    [Fact]
    public void Trees_WithAComparerOutsideTheClosedSet_RefusedNamingTheCollectionAndMember()
    {
        foreach (var tree in Gen.Sample(ValueSamples.Tree, 5, new Rnd(Seed + 3), 50))
        {
            tree.Ordered = new SortedSet<string>(tree.Ordered, Comparer<string>.Create(static (a, b) => string.CompareOrdinal(b, a)));

            var error = Assert.ThrowsAny<NotSupportedException>(() => Wire.Serialize(tree));

            Assert.Contains("Tree.Ordered", error.Message, StringComparison.Ordinal);
            Assert.Contains("System.Collections.Generic.SortedSet<System.String>", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Cycle_RefusedSayingSo_NotAStackOverflow()
    {
        var tree = Gen.Sample(ValueSamples.Tree, 1, new Rnd(Seed + 5), 1)[0];
        tree.Child = tree;

        var error = Assert.ThrowsAny<NotSupportedException>(() => Wire.Serialize(tree));

        Assert.Contains("cycle", error.Message, StringComparison.Ordinal);
        Assert.Equal(["a"], Wire.Deserialize<List<string>>(Wire.Serialize(new List<string> { "a" })));   // the thread's writer is usable again
    }

    [Fact]
    public void CorruptBytes_AreInvalidData_NeverAHugeAllocation()
    {
        var bytes = Wire.Serialize(Gen.Sample(ValueSamples.Tree, 5, new Rnd(Seed + 4), 1)[0]);
        for (var cut = 0; cut < bytes.Length; cut += Math.Max(1, bytes.Length / 64))
        {
            Assert.Throws<InvalidDataException>(() => Wire.Deserialize<Tree>(bytes.AsSpan(0, cut)));
        }

        Assert.Throws<InvalidDataException>(() => Wire.Deserialize<List<string>>([0xFF, 0xFF, 0xFF, 0x7F]));
    }
}
