namespace Weft;

/// <summary>Receives a submitted call with its types: what a remote executor implements to serialize a
/// <see cref="TaskCall"/> (see <see cref="TaskCall.Accept{TOut}"/>).</summary>
/// <typeparam name="TOut">What the visitor makes of the call, such as a message to send.</typeparam>
/// <remarks>
/// <para>Python has no counterpart: CPython pickles <c>fn</c> and <c>args</c> whatever their types. .NET's
/// serializers need the declared types, and only a generic method sees them without reflection (which Native
/// AOT forbids); hence one method per <see cref="TaskCallShape"/>.</para>
/// <para>Each method gets the user's own delegate (never a wrapper) and the call's future, typed as the result.
/// Finish the future with <c>SetRunning</c>, <c>SetResult</c> and <c>SetException</c> of the executor.</para>
/// </remarks>
public interface ITaskCallVisitor<out TOut>
{
    /// <summary>A <see cref="TaskCallShape.Func0"/> call: <c>fn()</c>.</summary>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="future">The call's future.</param>
    /// <param name="fn">The user's delegate.</param>
    /// <returns>What the visitor makes of the call.</returns>
    TOut VisitFunc<TResult>(Future<TResult> future, Func<TResult> fn);

    /// <summary>A <see cref="TaskCallShape.Action"/> call: <c>fn()</c>, no result.</summary>
    /// <param name="future">The call's result-less future (finish it with <c>SetResult(Future)</c>).</param>
    /// <param name="fn">The user's delegate.</param>
    /// <returns>What the visitor makes of the call.</returns>
    TOut VisitAction(Future future, Action fn);

    /// <summary>A <see cref="TaskCallShape.Func1"/> call: <c>fn(arg)</c>.</summary>
    /// <typeparam name="TArg">The argument's declared type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="future">The call's future.</param>
    /// <param name="fn">The user's delegate.</param>
    /// <param name="arg">The argument.</param>
    /// <returns>What the visitor makes of the call.</returns>
    TOut VisitFunc<TArg, TResult>(Future<TResult> future, Func<TArg, TResult> fn, TArg arg);

    /// <summary>A <see cref="TaskCallShape.Func2"/> call: <c>fn(arg1, arg2)</c>.</summary>
    /// <typeparam name="T1">The first argument's declared type.</typeparam>
    /// <typeparam name="T2">The second argument's declared type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="future">The call's future.</param>
    /// <param name="fn">The user's delegate.</param>
    /// <param name="arg1">The first argument.</param>
    /// <param name="arg2">The second argument.</param>
    /// <returns>What the visitor makes of the call.</returns>
    TOut VisitFunc<T1, T2, TResult>(Future<TResult> future, Func<T1, T2, TResult> fn, T1 arg1, T2 arg2);

    /// <summary>A <see cref="TaskCallShape.Cancellable"/> call: <c>fn(token)</c>, where the remote side passes a
    /// token of its own that fires when this executor's shutdown token does.</summary>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="future">The call's future.</param>
    /// <param name="fn">The user's delegate.</param>
    /// <returns>What the visitor makes of the call.</returns>
    TOut VisitCancellable<TResult>(Future<TResult> future, Func<CancellationToken, TResult> fn);

    /// <summary>A <see cref="TaskCallShape.Chunk"/> call: <c>fn</c> applied to every item, results in input order;
    /// a failure fails the whole chunk.</summary>
    /// <typeparam name="TSource">The item type.</typeparam>
    /// <typeparam name="TResult">The result type of one item.</typeparam>
    /// <param name="future">The chunk's future.</param>
    /// <param name="fn">The user's delegate.</param>
    /// <param name="items">The chunk's items (never empty).</param>
    /// <returns>What the visitor makes of the call.</returns>
    TOut VisitChunk<TSource, TResult>(Future<TResult[]> future, Func<TSource, TResult> fn, TSource[] items);
}
