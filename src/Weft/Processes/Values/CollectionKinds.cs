using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace Weft.Processes;

/// <summary>
/// The collection kinds of the closed set, each as a <see cref="CollectionCodec{TCollection, T}"/>: how to read its
/// elements (in enumeration order) and its comparer, and how to rebuild it. Chosen by <see cref="ValueCodecs"/> from the
/// declared type's generic definition; one method per kind so each is plain generic code.
/// </summary>
internal static class CollectionKinds
{
    public static ValueCodec Queue<T>() => Sequence<Queue<T>, T>(static q => q, static items => new Queue<T>(items), exact: true);

    /// <summary>Enumerated from the top; pushed back bottom first, so the top stays on top.</summary>
    public static ValueCodec Stack<T>() => Sequence<Stack<T>, T>(static s => s, static items => new Stack<T>(Enumerable.Reverse(items)), exact: true);

    public static ValueCodec LinkedList<T>() => Sequence<LinkedList<T>, T>(static l => l, static items => new LinkedList<T>(items), exact: true);

    public static ValueCodec ImmutableArray<T>() => Sequence<ImmutableArray<T>, T>(
        static a => a.IsDefault ? null : a, static items => ImmutableCollectionsMarshal.AsImmutableArray(items), exact: false);

    public static ValueCodec ImmutableList<T>() => Sequence<ImmutableList<T>, T>(static l => l, static items => [.. items], exact: true);

    public static ValueCodec ImmutableQueue<T>() => Sequence<ImmutableQueue<T>, T>(
        static q => q, static items => System.Collections.Immutable.ImmutableQueue.CreateRange(items), exact: true);

    public static ValueCodec ImmutableStack<T>() => Sequence<ImmutableStack<T>, T>(
        static s => s, static items => System.Collections.Immutable.ImmutableStack.CreateRange(Enumerable.Reverse(items)), exact: true);

    /// <summary>IEnumerable, IReadOnlyCollection, IReadOnlyList, ICollection, IList of T: the elements in order, and whether
    /// they were a <c>T[]</c> (which arrives as a <c>T[]</c>); any other implementation arrives as a <see cref="List{T}"/>, the
    /// interface showing the same elements either way.</summary>
    public static ValueCodec SequenceInterface<TInterface, T>()
        where TInterface : class, IEnumerable<T> => new CollectionCodec<TInterface?, T>(
        static s => s, static s => s is T[]? (byte)1 : (byte)0,
        static (tag, items) => tag == 1 ? (TInterface)(object)items : (TInterface)(object)new List<T>(items), exact: false);

    public static ValueCodec HashSet<T>() => new CollectionCodec<HashSet<T>?, T>(
        static s => s, static s => KnownComparers.Tag(s!.Comparer, typeof(HashSet<T>)),
        static (tag, items) => new HashSet<T>(items, KnownComparers.Equality<T>(tag)), exact: true);

    /// <summary>ISet and IReadOnlySet: the value must be a <see cref="System.Collections.Generic.HashSet{T}"/>, which
    /// arrives with its comparer; any other set would answer Contains by rules the worker does not have.</summary>
    public static ValueCodec SetInterface<TInterface, T>()
        where TInterface : class, IEnumerable<T> => new CollectionCodec<TInterface?, T>(
        static s => s is null ? null : Required<HashSet<T>>(s, typeof(TInterface)),
        static s => KnownComparers.Tag(((HashSet<T>)(object)s!).Comparer, typeof(HashSet<T>)),
        static (tag, items) => (TInterface)(object)new HashSet<T>(items, KnownComparers.Equality<T>(tag)), exact: false);

    public static ValueCodec SortedSet<T>() => new CollectionCodec<SortedSet<T>?, T>(
        static s => s, static s => KnownComparers.Tag(s!.Comparer, typeof(SortedSet<T>)),
        static (tag, items) => new SortedSet<T>(items, KnownComparers.Ordering<T>(tag)), exact: true);

    public static ValueCodec ImmutableHashSet<T>() => new CollectionCodec<ImmutableHashSet<T>?, T>(
        static s => s, static s => KnownComparers.Tag(s!.KeyComparer, typeof(ImmutableHashSet<T>)),
        static (tag, items) => System.Collections.Immutable.ImmutableHashSet.CreateRange(KnownComparers.Equality<T>(tag), items), exact: true);

    public static ValueCodec ImmutableSortedSet<T>() => new CollectionCodec<ImmutableSortedSet<T>?, T>(
        static s => s, static s => KnownComparers.Tag(s!.KeyComparer, typeof(ImmutableSortedSet<T>)),
        static (tag, items) => System.Collections.Immutable.ImmutableSortedSet.CreateRange(KnownComparers.Ordering<T>(tag), items), exact: true);

    public static ValueCodec Dictionary<TKey, TValue>()
        where TKey : notnull => new CollectionCodec<Dictionary<TKey, TValue>?, KeyValuePair<TKey, TValue>>(
        static d => d, static d => KnownComparers.Tag(d!.Comparer, typeof(Dictionary<TKey, TValue>)),
        static (tag, items) => Fill(new Dictionary<TKey, TValue>(items.Length, KnownComparers.Equality<TKey>(tag)), items), exact: true);

    /// <summary>IDictionary and IReadOnlyDictionary: the value must be a <see cref="System.Collections.Generic.Dictionary{TKey, TValue}"/>,
    /// which arrives with its comparer (see <see cref="SetInterface{TInterface, T}"/>).</summary>
    public static ValueCodec DictionaryInterface<TInterface, TKey, TValue>()
        where TInterface : class, IEnumerable<KeyValuePair<TKey, TValue>>
        where TKey : notnull => new CollectionCodec<TInterface?, KeyValuePair<TKey, TValue>>(
        static d => d is null ? null : Required<Dictionary<TKey, TValue>>(d, typeof(TInterface)),
        static d => KnownComparers.Tag(((Dictionary<TKey, TValue>)(object)d!).Comparer, typeof(Dictionary<TKey, TValue>)),
        static (tag, items) => (TInterface)(object)Fill(new Dictionary<TKey, TValue>(items.Length, KnownComparers.Equality<TKey>(tag)), items),
        exact: false);

    public static ValueCodec SortedDictionary<TKey, TValue>()
        where TKey : notnull => new CollectionCodec<SortedDictionary<TKey, TValue>?, KeyValuePair<TKey, TValue>>(
        static d => d, static d => KnownComparers.Tag(d!.Comparer, typeof(SortedDictionary<TKey, TValue>)),
        static (tag, items) => Fill(new SortedDictionary<TKey, TValue>(KnownComparers.Ordering<TKey>(tag)), items), exact: true);

    public static ValueCodec SortedList<TKey, TValue>()
        where TKey : notnull => new CollectionCodec<SortedList<TKey, TValue>?, KeyValuePair<TKey, TValue>>(
        static d => d, static d => KnownComparers.Tag(d!.Comparer, typeof(SortedList<TKey, TValue>)),
        static (tag, items) => Fill(new SortedList<TKey, TValue>(items.Length, KnownComparers.Ordering<TKey>(tag)), items), exact: true);

    /// <summary>Its key comparer in the low four bits of the tag, its value comparer in the high four.</summary>
    public static ValueCodec ImmutableDictionary<TKey, TValue>()
        where TKey : notnull => new CollectionCodec<ImmutableDictionary<TKey, TValue>?, KeyValuePair<TKey, TValue>>(
        static d => d,
        static d => (byte)(KnownComparers.Tag(d!.KeyComparer, typeof(ImmutableDictionary<TKey, TValue>))
            | (KnownComparers.Tag(d.ValueComparer, typeof(ImmutableDictionary<TKey, TValue>)) << 4)),
        static (tag, items) => Unique(System.Collections.Immutable.ImmutableDictionary.CreateRange(
            KnownComparers.Equality<TKey>((byte)(tag & 0xF)), KnownComparers.Equality<TValue>((byte)(tag >> 4)), items), items.Length),
        exact: true);

    public static ValueCodec ImmutableSortedDictionary<TKey, TValue>()
        where TKey : notnull => new CollectionCodec<ImmutableSortedDictionary<TKey, TValue>?, KeyValuePair<TKey, TValue>>(
        static d => d,
        static d => (byte)(KnownComparers.Tag(d!.KeyComparer, typeof(ImmutableSortedDictionary<TKey, TValue>))
            | (KnownComparers.Tag(d.ValueComparer, typeof(ImmutableSortedDictionary<TKey, TValue>)) << 4)),
        static (tag, items) => Unique(System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(
            KnownComparers.Ordering<TKey>((byte)(tag & 0xF)), KnownComparers.Equality<TValue>((byte)(tag >> 4)), items), items.Length),
        exact: true);

    private static CollectionCodec<TCollection, T> Sequence<TCollection, T>(
        Func<TCollection, IEnumerable<T>?> items, Func<T[], TCollection> build, bool exact) =>
        new(items, comparer: null, (_, elements) => build(elements), exact);

    private static TRequired Required<TRequired>(object value, Type declared)
    {
        if (value.GetType() == typeof(TRequired))
        {
            return (TRequired)value;
        }

        throw new CrossingRefusedException(
            $"a {ValueTypes.Describe(value.GetType())} declared as {ValueTypes.Describe(declared)} cannot cross: behind this interface only a " +
            $"{ValueTypes.Describe(typeof(TRequired))} crosses (with its comparer); declare the concrete type you send.");
    }

    private static TDictionary Fill<TDictionary, TKey, TValue>(TDictionary dictionary, KeyValuePair<TKey, TValue>[] items)
        where TDictionary : IDictionary<TKey, TValue>
    {
        foreach (var (key, value) in items)
        {
            if (!dictionary.TryAdd(key, value))
            {
                throw new InvalidDataException($"Corrupt value: the key {key} twice.");
            }
        }

        return dictionary;
    }

    private static T Unique<T>(T dictionary, int expected)
        where T : System.Collections.ICollection =>
        dictionary.Count == expected ? dictionary : throw new InvalidDataException("Corrupt value: a key twice.");
}
