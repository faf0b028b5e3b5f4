namespace Weft.Processes;

/// <summary>
/// The comparers a collection may carry across, as one byte: 0 the type's default (<c>EqualityComparer&lt;T&gt;.Default</c>,
/// <c>Comparer&lt;T&gt;.Default</c>), then, for string keys, <see cref="StringComparer.Ordinal"/>,
/// <see cref="StringComparer.OrdinalIgnoreCase"/>, <see cref="StringComparer.InvariantCulture"/> and
/// <see cref="StringComparer.InvariantCultureIgnoreCase"/>. Any other comparer is code, which a value never carries: refused.
/// </summary>
internal static class KnownComparers
{
    private static readonly StringComparer[] s_strings =
    [
        StringComparer.Ordinal, StringComparer.OrdinalIgnoreCase, StringComparer.InvariantCulture, StringComparer.InvariantCultureIgnoreCase,
    ];

    private static readonly string[] s_names = ["Ordinal", "OrdinalIgnoreCase", "InvariantCulture", "InvariantCultureIgnoreCase"];

    public static byte Tag<T>(IEqualityComparer<T>? comparer, Type collection) =>
        comparer is null || ReferenceEquals(comparer, EqualityComparer<T>.Default) ? (byte)0 : StringTag(comparer, collection);

    public static byte Tag<T>(IComparer<T>? comparer, Type collection) =>
        comparer is null || ReferenceEquals(comparer, Comparer<T>.Default) ? (byte)0 : StringTag(comparer, collection);

    /// <summary>The equality comparer of <paramref name="tag"/>, null for the default.</summary>
    public static IEqualityComparer<T>? Equality<T>(byte tag) => tag == 0 ? null : (IEqualityComparer<T>)FromTag<T>(tag);

    /// <summary>The ordering of <paramref name="tag"/>, null for the default.</summary>
    public static IComparer<T>? Ordering<T>(byte tag) => tag == 0 ? null : (IComparer<T>)FromTag<T>(tag);

    private static StringComparer FromTag<T>(byte tag) =>
        typeof(T) == typeof(string) && tag <= s_strings.Length
            ? s_strings[tag - 1]
            : throw new InvalidDataException($"Corrupt value: comparer {tag} for {ValueTypes.Describe(typeof(T))} keys.");

    private static byte StringTag(object comparer, Type collection)
    {
        var index = Array.FindIndex(s_strings, known => ReferenceEquals(known, comparer));
        if (index >= 0)
        {
            return (byte)(index + 1);
        }

        throw new CrossingRefusedException(
            $"a {ValueTypes.Describe(collection)} whose comparer is a {ValueTypes.Describe(comparer.GetType())} cannot cross: a comparer is " +
            $"code, and only the default comparer and StringComparer.{string.Join("/", s_names)} are carried, so the worker would " +
            "find and order its items differently. Use one of those, or send the items as a list.");
    }
}
