namespace Weft.Threading;

/// <summary>The order in which a <see cref="JoinableQueue{T}"/> hands out its items.</summary>
public enum QueueOrder
{
    /// <summary>First in, first out. Python: <c>queue.Queue</c>.</summary>
    Fifo,

    /// <summary>Last in, first out. Python: <c>queue.LifoQueue</c>.</summary>
    Lifo,

    /// <summary>Smallest item first; equal items in insertion order. Python: <c>queue.PriorityQueue</c>.</summary>
    Priority,
}
