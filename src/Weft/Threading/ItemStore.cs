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

    /// <summary>
    /// A binary heap keyed by (item, insertion number), so equal items leave in the order they came
    /// (CPython's heapq gives no such promise). Each operation makes all its comparisons before it moves
    /// anything, so a comparer that throws leaves the heap as it was (CPython test_queue's FailingQueueTest).
    /// </summary>
    private sealed class PriorityStore(IComparer<T> comparer) : ItemStore<T>
    {
        private readonly List<(T Item, long Sequence)> _heap = [];
        private long _sequence;

        public override int Count => _heap.Count;

        public override void Add(T item)
        {
            var node = (item, _sequence);
            var position = _heap.Count;
            while (position > 0 && Less(node, _heap[(position - 1) / 2]))
            {
                position = (position - 1) / 2;
            }

            // Comparisons done: shift the ancestors on the path down one level and drop the node in.
            _heap.Add(node);
            for (var i = _heap.Count - 1; i > position; i = (i - 1) / 2)
            {
                _heap[i] = _heap[(i - 1) / 2];
            }

            _heap[position] = node;
            _sequence++;
        }

        public override T Take()
        {
            var top = _heap[0].Item;
            var size = _heap.Count - 1;
            var last = _heap[size];
            Span<int> path = stackalloc int[64];
            var depth = 0;
            var position = 0;
            while (true)
            {
                var child = (2 * position) + 1;
                if (child >= size)
                {
                    break;
                }

                if (child + 1 < size && Less(_heap[child + 1], _heap[child]))
                {
                    child++;
                }

                if (!Less(_heap[child], last))
                {
                    break;
                }

                path[depth++] = child;
                position = child;
            }

            // Comparisons done: move the smaller children on the path up one level each.
            for (var i = 0; i < depth; i++)
            {
                _heap[(path[i] - 1) / 2] = _heap[path[i]];
            }

            _heap[position] = last;
            _heap.RemoveAt(size);
            return top;
        }

        public override void Clear() => _heap.Clear();

        private bool Less((T Item, long Sequence) x, (T Item, long Sequence) y)
        {
            var order = comparer.Compare(x.Item, y.Item);
            return order != 0 ? order < 0 : x.Sequence < y.Sequence;
        }
    }
}
