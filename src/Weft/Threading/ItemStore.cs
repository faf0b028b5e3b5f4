namespace Weft.Threading;

/// <summary>The storage discipline behind a <see cref="JoinableQueue{T}"/>; the queue serialises every call under its lock.</summary>
/// <typeparam name="T">The item type.</typeparam>
internal abstract class ItemStore<T>
{
    public abstract int Count { get; }

    public abstract void Add(T item);

    public abstract T Take();

    public abstract void Clear();

    public static ItemStore<T> Create(QueueOrder order, IComparer<T>? comparer) => order switch
    {
        QueueOrder.Fifo => new FifoStore(),
        QueueOrder.Lifo => new LifoStore(),
        QueueOrder.Priority => new PriorityStore(comparer ?? DefaultComparer()),
        _ => throw new ArgumentOutOfRangeException(nameof(order), order, "Unknown queue order."),
    };

    private static Comparer<T> DefaultComparer()
    {
        // Refuse at construction what CPython only discovers at the first put ("'<' not supported"),
        // where a throwing comparison could leave the heap half updated.
        if (!typeof(IComparable<T>).IsAssignableFrom(typeof(T)) && !typeof(IComparable).IsAssignableFrom(typeof(T)))
        {
            throw new ArgumentException($"A priority queue of {typeof(T).Name} needs a comparer: the type does not implement IComparable<{typeof(T).Name}>.", "comparer");
        }

        return Comparer<T>.Default;
    }

    private sealed class FifoStore : ItemStore<T>
    {
        private readonly Queue<T> _items = new();

        public override int Count => _items.Count;

        public override void Add(T item) => _items.Enqueue(item);

        public override T Take() => _items.Dequeue();

        public override void Clear() => _items.Clear();
    }

    private sealed class LifoStore : ItemStore<T>
    {
        private readonly Stack<T> _items = new();

        public override int Count => _items.Count;

        public override void Add(T item) => _items.Push(item);

        public override T Take() => _items.Pop();

        public override void Clear() => _items.Clear();
    }

    /// <summary>A binary heap keyed by (item, insertion number), so equal items leave in the order they came (CPython's heap gives no such promise).</summary>
    private sealed class PriorityStore(IComparer<T> comparer) : ItemStore<T>
    {
        private readonly PriorityQueue<T, (T Item, long Sequence)> _items = new(new KeyComparer(comparer));
        private long _sequence;

        public override int Count => _items.Count;

        public override void Add(T item) => _items.Enqueue(item, (item, _sequence++));

        public override T Take() => _items.Dequeue();

        public override void Clear() => _items.Clear();

        private sealed class KeyComparer(IComparer<T> comparer) : IComparer<(T Item, long Sequence)>
        {
            public int Compare((T Item, long Sequence) x, (T Item, long Sequence) y)
            {
                var order = comparer.Compare(x.Item, y.Item);
                return order != 0 ? order : x.Sequence.CompareTo(y.Sequence);
            }
        }
    }
}
