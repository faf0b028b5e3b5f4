namespace Weft;

/// <summary>The shape and delegate of a future's pending work, whatever is stored for it.</summary>
/// <param name="Shape">The form of the call.</param>
/// <param name="Function">The user's delegate.</param>
internal readonly record struct CallInfo(TaskCallShape Shape, Delegate Function);

/// <summary>
/// A call with arguments, stored in its <see cref="Future{T}"/> until a worker runs it: one object instead of
/// the closure and delegate a lambda would need, and typed, so a remote executor can serialize the arguments.
/// Calls without arguments store the user's delegate itself (see <c>Future&lt;T&gt;.RunUnpublished</c>).
/// </summary>
/// <typeparam name="TResult">The future's result type.</typeparam>
internal abstract class TaskWork<TResult>
{
    public abstract CallInfo Info { get; }

    /// <summary>Runs the call on the calling thread.</summary>
    public abstract TResult Run();

    public abstract TOut Accept<TOut>(Future<TResult> future, ITaskCallVisitor<TOut> visitor);
}

/// <summary><c>fn(arg)</c>.</summary>
internal sealed class FuncCall<TArg, TResult>(Func<TArg, TResult> fn, TArg arg) : TaskWork<TResult>
{
    public override CallInfo Info => new(TaskCallShape.Func1, fn);

    public override TResult Run() => fn(arg);

    public override TOut Accept<TOut>(Future<TResult> future, ITaskCallVisitor<TOut> visitor) => visitor.VisitFunc(future, fn, arg);
}

/// <summary><c>fn(arg1, arg2)</c>.</summary>
internal sealed class FuncCall<T1, T2, TResult>(Func<T1, T2, TResult> fn, T1 arg1, T2 arg2) : TaskWork<TResult>
{
    public override CallInfo Info => new(TaskCallShape.Func2, fn);

    public override TResult Run() => fn(arg1, arg2);

    public override TOut Accept<TOut>(Future<TResult> future, ITaskCallVisitor<TOut> visitor) => visitor.VisitFunc(future, fn, arg1, arg2);
}

/// <summary>A <c>Map</c> chunk: <c>fn</c> over every item, results in input order.</summary>
internal sealed class ChunkCall<TSource, TResult>(Func<TSource, TResult> fn, TSource[] items) : TaskWork<TResult[]>
{
    public override CallInfo Info => new(TaskCallShape.Chunk, fn);

    public override TResult[] Run()
    {
        var results = new TResult[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            results[i] = fn(items[i]);
        }

        return results;
    }

    public override TOut Accept<TOut>(Future<TResult[]> future, ITaskCallVisitor<TOut> visitor) => visitor.VisitChunk(future, fn, items);
}
