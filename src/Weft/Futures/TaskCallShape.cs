namespace Weft;

/// <summary>The form of a submitted call, as a <see cref="TaskCall"/> describes it to an executor.</summary>
/// <remarks>Python has one form, <c>fn(*args, **kwargs)</c>; .NET delegates are typed, so a remote executor
/// needs to know which of the <c>Submit</c> overloads (or which <c>Map</c> path) made the call to send it.</remarks>
public enum TaskCallShape
{
    /// <summary><c>Submit(Func&lt;T&gt;)</c>: no arguments, a result.</summary>
    Func0 = 0,

    /// <summary><c>Submit(Action)</c>: no arguments, no result.</summary>
    Action = 1,

    /// <summary><c>Submit(Func&lt;TArg, TResult&gt;, arg)</c>, and each item of <c>Map</c> at <c>chunkSize</c> 1.</summary>
    Func1 = 2,

    /// <summary><c>Submit(Func&lt;T1, T2, TResult&gt;, arg1, arg2)</c>.</summary>
    Func2 = 3,

    /// <summary><c>Submit(Func&lt;CancellationToken, T&gt;)</c>: the task takes the executor's shutdown token.</summary>
    Cancellable = 4,

    /// <summary>A <c>Map</c> chunk: <c>Func&lt;TSource, TResult&gt;</c> over a <c>TSource[]</c>, giving a <c>TResult[]</c>.</summary>
    Chunk = 5,
}
