using System.Text.Json;
using Weft.Processes;

namespace Weft;

/// <summary>The Submit hooks: each checks the user's own delegate and serializes its arguments on the caller's thread.</summary>
public sealed partial class ProcessPoolExecutor
{
    private protected override Future<T> SubmitFunc<T>(Func<T> fn)
    {
        var future = new Future<T>(null, this);
        return Add(new WorkItem<T>(future, Function(fn, TaskShape.Func0), []), future);
    }

    private protected override Future SubmitAction(Action fn)
    {
        var future = new Future<VoidResult>(null, this);
        return Add(new WorkItem<VoidResult>(future, Function(fn, TaskShape.Action), []), future);
    }

    private protected override Future<TResult> SubmitFunc<TArg, TResult>(Func<TArg, TResult> fn, TArg arg)
    {
        var function = Function(fn, TaskShape.Func1);
        var future = new Future<TResult>(null, this);
        return Add(new WorkItem<TResult>(future, function, Serialize(arg, nameof(arg))), future);
    }

    private protected override Future<TResult> SubmitFunc<T1, T2, TResult>(Func<T1, T2, TResult> fn, T1 arg1, T2 arg2)
    {
        var function = Function(fn, TaskShape.Func2);
        var future = new Future<TResult>(null, this);
        byte[] arguments;
        try
        {
            arguments = Wire.SerializePair(arg1, arg2);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new ArgumentException($"The arguments cannot be sent to a worker process: {e.Message}", nameof(arg1), e);
        }

        return Add(new WorkItem<TResult>(future, function, arguments), future);
    }

    private protected override Future<T> SubmitCancellable<T>(Func<CancellationToken, T> fn)
    {
        var future = new Future<T>(null, this);
        return Add(new WorkItem<T>(future, Function(fn, TaskShape.Cancellable), []), future);
    }

    private protected override Future<TResult[]> SubmitChunk<TSource, TResult>(Func<TSource, TResult> fn, TSource[] items)
    {
        var function = Function(fn, TaskShape.Chunk);
        var future = new Future<TResult[]>(null, this);
        return Add(new WorkItem<TResult[]>(future, function, Serialize(items, "source")), future);
    }

    /// <summary>The checked function of <paramref name="fn"/>; the last one is remembered per thread, because
    /// <c>Map</c> submits the same delegate for every item.</summary>
    private static TaskFunction Function(Delegate fn, TaskShape shape)
    {
        var last = t_lastFunction;
        if (last is not null && ReferenceEquals(last.Value.Delegate, fn) && last.Value.Function.Shape == shape)
        {
            return last.Value.Function;
        }

        var function = TaskFunction.From(fn, shape, nameof(fn));
        t_lastFunction = (fn, function);
        return function;
    }

    [ThreadStatic]
    private static (Delegate Delegate, TaskFunction Function)? t_lastFunction;

    private static byte[] Serialize<T>(T value, string paramName)
    {
        try
        {
            return Wire.Serialize(value);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new ArgumentException($"A {typeof(T).Name} cannot be sent to a worker process: {e.Message}", paramName, e);
        }
    }
}
