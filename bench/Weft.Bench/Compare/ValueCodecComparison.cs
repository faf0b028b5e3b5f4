using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Weft.Processes;

namespace Weft.Bench.Compare;

/// <summary>
/// The value codec (Wire: the binary codec over the closed set) against System.Text.Json configured as Wire was before
/// issue 19 (fields included, named float literals), on the shapes a process pool sends: a record, a list of records, a
/// string-keyed dictionary, a string array. Each row is a serialize + deserialize round trip, median of 7 batches.
/// </summary>
public sealed class ValueCodecComparison : IComparison
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.General)
    {
        IncludeFields = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        MaxDepth = 256,
    };

    public string Name => "values";

    public string Description => "the value codec vs System.Text.Json (Wire before issue 19): round trips of records and collections";

    public void Run(string[] args)
    {
        var order = new Order(42, "alice\uD800", 3.25, 19.99m, new DateTime(2026, 12, 2, 0, 0, 0, DateTimeKind.Utc), Kind.Express, [1, 2, 3], null);
        var orders = Enumerable.Range(0, 1000).Select(i => order with { Id = i, Customer = $"customer {i}" }).ToList();
        var prices = Enumerable.Range(0, 1000).ToDictionary(i => $"item {i}", i => i * 1.5);
        var words = Enumerable.Range(0, 1000).Select(i => $"word number {i}").ToArray();

        Console.WriteLine($"First use (cold) of a record: codec {Cold(() => RoundTrip(order)) * 1e3:F2} ms, " +
            $"System.Text.Json {Cold(() => Json(order)) * 1e3:F2} ms");
        Console.WriteLine();
        Console.WriteLine($"{"round trip",-34} {"codec",12} {"STJ",12} {"STJ/codec",10} {"bytes",14}");
        Row("record (8 members)", 20_000, () => RoundTrip(order), () => Json(order), Wire.Serialize(order).Length, JsonSerializer.SerializeToUtf8Bytes(order, s_json).Length);
        Row("List of 1,000 records", 50, () => RoundTrip(orders), () => Json(orders), Wire.Serialize(orders).Length, JsonSerializer.SerializeToUtf8Bytes(orders, s_json).Length);
        Row("Dictionary<string, double> x1,000", 50, () => RoundTrip(prices), () => Json(prices), Wire.Serialize(prices).Length, JsonSerializer.SerializeToUtf8Bytes(prices, s_json).Length);
        Row("string[1,000]", 200, () => RoundTrip(words), () => Json(words), Wire.Serialize(words).Length, JsonSerializer.SerializeToUtf8Bytes(words, s_json).Length);
    }

    private static T RoundTrip<T>(T value) => Wire.Deserialize<T>(Wire.Serialize(value));

    private static T Json<T>(T value) => JsonSerializer.Deserialize<T>(JsonSerializer.SerializeToUtf8Bytes(value, s_json), s_json)!;

    private static double Cold(Action action)
    {
        var start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private static void Row(string name, int iterations, Action codec, Action json, int codecBytes, int jsonBytes)
    {
        var a = Median(codec, iterations);
        var b = Median(json, iterations);
        Console.WriteLine($"{name,-34} {Format(a),12} {Format(b),12} {b / a,9:F2}x {codecBytes,6:N0}/{jsonBytes,-7:N0}");
    }

    private static double Median(Action action, int iterations)
    {
        for (var i = 0; i < iterations; i++)
        {
            action();   // warm: tiered JIT
        }

        var times = new double[7];
        for (var run = 0; run < times.Length; run++)
        {
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < iterations; i++)
            {
                action();
            }

            times[run] = Stopwatch.GetElapsedTime(start).TotalSeconds / iterations;
        }

        Array.Sort(times);
        return times[times.Length / 2];
    }

    private static string Format(double seconds) => seconds < 1e-3 ? $"{seconds * 1e6:F2} µs" : $"{seconds * 1e3:F2} ms";

    public enum Kind
    {
        Standard,
        Express,
    }

    public sealed record Order(int Id, string Customer, double Weight, decimal Total, DateTime Placed, Kind Kind, int[] Lines, string? Note);
}
