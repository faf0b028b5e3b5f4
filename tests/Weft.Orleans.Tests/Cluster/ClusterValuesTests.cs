using System.Collections.Concurrent;
using Weft.Tests.Futures;
using Weft.Tests.Processes.Values;

namespace Weft.Orleans.Tests.Cluster;

/// <summary>Issue 19's contract on the cluster, through the process pool's codec: a value crosses to a silo and back
/// bit for bit, or Submit refuses it before anything is sent.</summary>
public sealed class ClusterValuesTests(ThreeSiloCluster fixture) : IClassFixture<ThreeSiloCluster>
{
    private const string Lone = "a\uD800b\uDFFFc\uDC00\uD800";   // lone high, lone low, a reversed pair

    [Fact]
    public void LoneSurrogates_ArgumentsResultsAndMapItems_Exact()
    {
        using var executor = new ClusterExecutor(fixture.Cluster.Client);
        string[] items = ["\uD800", "\uDC00", Lone, "\uDBFF\uDBFF"];

        Assert.Equal(Lone + Lone, executor.Submit(static (string s) => s + s, Lone).Result(TestFutures.Long));
        Assert.Equal("\uDC00|\uD800", executor.Submit(static (string a, string b) => a + "|" + b, "\uDC00", "\uD800").Result(TestFutures.Long));
        Assert.Equal(items, executor.Map(static (string s) => s, items, TestFutures.Long, chunkSize: 2));
        Assert.Equal(2, executor.Submit(static (Dictionary<string, int> d) => d.Count, new Dictionary<string, int> { ["\uD800"] = 1, ["\uDBFF"] = 2 }).Result(TestFutures.Long));
    }

    [Fact]
    public void Scalars_NaNPayloadSignedZerosDecimalScaleDateKindAndOffset_Exact()
    {
        using var executor = new ClusterExecutor(fixture.Cluster.Client);
        var value = new Scalars(
            BitConverter.Int64BitsToDouble(0x7FF8000000000123),
            -0.0,
            BitConverter.Int32BitsToSingle(0x7FC00123),
            -0.000m,
            new DateTime(2026, 12, 3, 10, 0, 0, DateTimeKind.Local).AddTicks(1),
            new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.FromMinutes(-570)).AddTicks(3),
            '\uDC00');

        var back = executor.Submit(static (Scalars s) => s, value).Result(TestFutures.Long);

        Exact.Equal(value, back);
    }

    [Fact]
    public void Comparer_IgnoringCase_TheSiloFindsKEY()
    {
        using var executor = new ClusterExecutor(fixture.Cluster.Client);
        var dictionary = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase) { ["key"] = 1 };
        var set = new HashSet<string>(StringComparer.InvariantCultureIgnoreCase) { "key" };

        Assert.True(executor.Submit(static (Dictionary<string, int> d) => d.ContainsKey("KEY"), dictionary).Result(TestFutures.Long));
        Assert.True(executor.Submit(static (HashSet<string> s) => s.Contains("KEY"), set).Result(TestFutures.Long));
    }

    [Fact]
    public void Refused_ReversedComparerAndConcurrentBag_AtSubmitNamingTheType()
    {
        using var executor = new ClusterExecutor(fixture.Cluster.Client);
        var descending = Comparer<int>.Create(static (a, b) => b.CompareTo(a));

        Refused(() => executor.Submit(static (SortedSet<int> s) => s.Min, new SortedSet<int>([1, 2, 3], descending)), "SortedSet");
        Refused(() => executor.Submit(static (ConcurrentBag<int> b) => b.Count, new ConcurrentBag<int>([1])), "ConcurrentBag");
        Assert.Equal(0, executor.Resent);
    }

    private static void Refused(Action submit, string named)
    {
        var error = Assert.Throws<ArgumentException>(submit);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}

public sealed record Scalars(double Nan, double NegativeZero, float SingleNan, decimal DecimalZero, DateTime Local, DateTimeOffset Offset, char Letter);
