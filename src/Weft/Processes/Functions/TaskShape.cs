namespace Weft.Processes;

/// <summary>How a worker calls a function and what crosses the pipe for it.</summary>
internal enum TaskShape : byte
{
    /// <summary><c>Func&lt;T&gt;</c>: no arguments, a result.</summary>
    Func0 = 0,

    /// <summary><c>Action</c>: no arguments, no result.</summary>
    Action = 1,

    /// <summary><c>Func&lt;TArg, TResult&gt;</c>.</summary>
    Func1 = 2,

    /// <summary><c>Func&lt;T1, T2, TResult&gt;</c>: the arguments as a pair.</summary>
    Func2 = 3,

    /// <summary><c>Func&lt;CancellationToken, T&gt;</c>: the worker passes its own token.</summary>
    Cancellable = 4,

    /// <summary>A <c>Map</c> chunk: <c>Func&lt;TSource, TResult&gt;</c> over a <c>TSource[]</c>, giving a <c>TResult[]</c>.</summary>
    Chunk = 5,
}
