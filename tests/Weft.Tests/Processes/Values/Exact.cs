using System.Collections;
using System.Reflection;

namespace Weft.Tests.Processes.Values;

/// <summary>
/// Bit-for-bit sameness of two values, as a user would observe it: the same runtime types, every scalar with the same
/// bits (NaN payloads, signed zeros, a decimal's scale, a DateTime's Kind, every UTF-16 code unit), collections with the
/// same elements in the same order and the same comparer, and objects with every field the same. Returns where they
/// first differ, or null.
/// </summary>
internal static class Exact
{
    public static void Equal<T>(T expected, T actual)
    {
        if (Difference(expected, actual, "value") is { } where)
        {
            Assert.Fail($"Not the same: {where}");
        }
    }

    public static string? Difference(object? a, object? b, string path)
    {
        if (a is null || b is null)
        {
            return a is null && b is null ? null : $"{path}: {Show(a)} vs {Show(b)}";
        }

        var type = a.GetType();
        if (type != b.GetType())
        {
            return $"{path}: a {type} vs a {b.GetType()}";
        }

        return a switch
        {
            string s => s.Length == ((string)b).Length && s.AsSpan().SequenceEqual((string)b) ? null : $"{path}: \"{Escape(s)}\" vs \"{Escape((string)b)}\"",
            double d => BitConverter.DoubleToInt64Bits(d) == BitConverter.DoubleToInt64Bits((double)b) ? null : $"{path}: bits {BitConverter.DoubleToInt64Bits(d):X16} vs {BitConverter.DoubleToInt64Bits((double)b):X16}",
            float f => BitConverter.SingleToInt32Bits(f) == BitConverter.SingleToInt32Bits((float)b) ? null : $"{path}: bits {BitConverter.SingleToInt32Bits(f):X8} vs {BitConverter.SingleToInt32Bits((float)b):X8}",
            Half h => BitConverter.HalfToInt16Bits(h) == BitConverter.HalfToInt16Bits((Half)b) ? null : $"{path}: half bits differ",
            decimal m => decimal.GetBits(m).SequenceEqual(decimal.GetBits((decimal)b)) ? null : $"{path}: {m} vs {(decimal)b} (bits differ)",
            DateTime t => t.Ticks == ((DateTime)b).Ticks && t.Kind == ((DateTime)b).Kind ? null : $"{path}: {t:o} {t.Kind} vs {(DateTime)b:o} {((DateTime)b).Kind}",
            DateTimeOffset o => o.Ticks == ((DateTimeOffset)b).Ticks && o.Offset == ((DateTimeOffset)b).Offset ? null : $"{path}: {o:o} vs {(DateTimeOffset)b:o}",
            _ when type.IsPrimitive || type.IsEnum => a.Equals(b) ? null : $"{path}: {a} vs {b}",
            _ when type == typeof(Guid) || type == typeof(TimeSpan) || type == typeof(DateOnly) || type == typeof(TimeOnly) => a.Equals(b) ? null : $"{path}: {a} vs {b}",
            IEnumerable sequence => Comparers(a, b, path) ?? Sequence(sequence, (IEnumerable)b, path),
            _ => Fields(a, b, type, path),
        };
    }

    private static string? Comparers(object a, object b, string path)
    {
        foreach (var name in new[] { "Comparer", "KeyComparer", "ValueComparer" })
        {
            var property = a.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
            if (property is not null && !ReferenceEquals(property.GetValue(a), property.GetValue(b)))
            {
                return $"{path}.{name}: {property.GetValue(a)?.GetType()} vs {property.GetValue(b)?.GetType()}";
            }
        }

        return null;
    }

    private static string? Sequence(IEnumerable a, IEnumerable b, string path)
    {
        var left = a.Cast<object?>().ToList();
        var right = b.Cast<object?>().ToList();
        if (left.Count != right.Count)
        {
            return $"{path}: {left.Count} items vs {right.Count}";
        }

        for (var i = 0; i < left.Count; i++)
        {
            if (Difference(left[i], right[i], $"{path}[{i}]") is { } where)
            {
                return where;
            }
        }

        return null;
    }

    private static string? Fields(object a, object b, Type type, string path)
    {
        for (var t = type; t is not null && t != typeof(object) && t != typeof(ValueType); t = t.BaseType)
        {
            foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (Difference(field.GetValue(a), field.GetValue(b), $"{path}.{field.Name}") is { } where)
                {
                    return where;
                }
            }
        }

        return null;
    }

    private static string Show(object? value) => value is null ? "null" : $"a {value.GetType().Name}";

    private static string Escape(string s) =>
        string.Concat(s.Select(c => char.IsSurrogate(c) || char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString()));
}
