using FsCheck;
using FsCheck.Fluent;

namespace Weft.Tests.Processes.Values;

/// <summary>
/// Generated values through a REAL worker process, with a fixed seed: each comes back bit for bit (the worker reads it
/// by its parameter type and writes it back by its result type), or, when only the value shows it cannot cross, is
/// refused at Submit before anything runs. Values travel in Map chunks and pair arguments so a few round trips carry
/// hundreds of them.
/// </summary>
public sealed class WorkerRoundTripProperties(PoolFixture fixture) : IClassFixture<PoolFixture>
{
    private const ulong Seed = 1912;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private ProcessPoolExecutor Pool => fixture.Pool;

    [Fact]
    public void Map_GeneratedTrees_ComeBackBitForBit()
    {
        var trees = Gen.Sample(ValueSamples.Tree, 10, new Rnd(Seed), 300);

        var echoed = Pool.Map(static (Tree t) => t, trees, Timeout, chunkSize: 50).ToList();

        Assert.Equal(trees.Length, echoed.Count);
        for (var i = 0; i < trees.Length; i++)
        {
            Exact.Equal(trees[i], echoed[i]);
        }
    }

    [Fact]
    public void Map_ValuesMadeInTheWorker_SameAsMadeHere()
    {
        var trees = Gen.Sample(ValueSamples.Tree, 10, new Rnd(Seed + 1), 200);

        var grown = Pool.Map(ValueFunctions.Grow, trees, Timeout, chunkSize: 50).ToList();

        for (var i = 0; i < trees.Length; i++)
        {
            Exact.Equal(ValueFunctions.Grow(trees[i]), grown[i]);
        }
    }

    [Fact]
    public void Submit_GeneratedStringsAndLeavesAsTwoArguments_ComeBackBitForBit()
    {
        var texts = Gen.Sample(ValueSamples.Text, 20, new Rnd(Seed + 2), 2000);
        var leaves = Gen.Sample(ValueSamples.Leaf, 10, new Rnd(Seed + 3), 500);

        var (text, leaf) = Pool.Submit(static (string?[] t, Leaf[] l) => (t, l), texts, leaves).Result(Timeout);
        var bare = Pool.Map(static (string? s) => s, texts.Take(100), Timeout).ToList();

        Exact.Equal(texts, text);
        Exact.Equal(leaves, leaf);
        Exact.Equal(texts.Take(100).ToList(), bare);
    }

    [Fact]
    public void Submit_GeneratedTreesWithAnUnknownComparer_RefusedBeforeAnythingRuns()
    {
        foreach (var tree in Gen.Sample(ValueSamples.Tree, 5, new Rnd(Seed + 4), 20))
        {
            tree.Tags = new HashSet<string>(tree.Tags, new LengthComparer());

            var error = Assert.Throws<ArgumentException>(() => Pool.Submit(static (Tree t) => t.Count, tree));

            Assert.Contains("Tree.Tags", error.Message, StringComparison.Ordinal);
            Assert.Contains(nameof(LengthComparer), error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(0, Pool.PendingCount);
    }

    [Fact]
    public void Submit_ResultOfASubclassWhereItsBaseIsDeclared_FailsTheTaskNamingIt()
    {
        var error = Pool.Submit(static (int tricks) => (Animal)new Dog { Name = "rex", Tricks = tricks }, 3).GetException(Timeout);

        Assert.NotNull(error);
        Assert.Contains(typeof(Dog).FullName!, error.Message, StringComparison.Ordinal);
    }

    private sealed class LengthComparer : IEqualityComparer<string>
    {
        public bool Equals(string? x, string? y) => x?.Length == y?.Length;

        public int GetHashCode(string obj) => obj.Length;
    }
}

/// <summary>Functions the round-trip tests run in the worker.</summary>
internal static class ValueFunctions
{
    /// <summary>A new tree made from the old one: new strings with lone surrogates, new collections with comparers.</summary>
    public static Tree Grow(Tree tree) => new()
    {
        Head = tree.Head with { Text = tree.Head.Text + "\uDBFF", Real = -tree.Head.Real, Money = -tree.Head.Money },
        Items = [.. tree.Items, tree.Head],
        ByName = new Dictionary<string, double>(tree.ByName, StringComparer.OrdinalIgnoreCase.Equals(tree.ByName.Comparer) ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase),
        Tags = new HashSet<string>(tree.Tags.Select(static t => "\uDC00" + t), tree.Tags.Comparer),
        Ordered = new SortedSet<string>(tree.Ordered, StringComparer.OrdinalIgnoreCase),
        Pile = new Stack<int>(tree.Pile),
        Child = tree,
        Count = tree.Count + 1,
        Hidden = tree.Hidden + "\uD800",
    };
}
