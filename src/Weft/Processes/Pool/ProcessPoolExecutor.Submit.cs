using System.Diagnostics;
using System.Text.Json;
using Weft.Diagnostics;
using Weft.Processes;

namespace Weft;

/// <summary>The Submit hooks: each checks the user's own delegate and serializes its arguments on the caller's thread.</summary>
public sealed partial class ProcessPoolExecutor
{
    /// <inheritdoc/>
    protected override void Schedule(Future future, TaskCall call)
    {
        var item = call.Accept(WorkItems.Instance);
        if (Activity.Current is not null || TaskActivity.Source.HasListeners())
        {
            // The submitter's trace goes with the call (issue 23); with no activity nothing is captured.
            var trace = call.WireTraceContext;
            item.Trace = trace.IsEmpty ? null : trace.ToBytes();
        }

        Add(item);
    }

    /// <summary>Makes the work item of a call: checks the user's own delegate, then serializes its arguments.</summary>
    private sealed class WorkItems : ITaskCallVisitor<WorkItem>
    {
        public static readonly WorkItems Instance = new();

        public WorkItem VisitFunc<T>(Future<T> future, Func<T> fn) => new WorkItem<T>(future, Function(fn, TaskShape.Func0), []);

        public WorkItem VisitAction(Future future, Action fn) =>
            new WorkItem<VoidResult>((Future<VoidResult>)future, Function(fn, TaskShape.Action), []);

        public WorkItem VisitFunc<TArg, TResult>(Future<TResult> future, Func<TArg, TResult> fn, TArg arg)
        {
            var function = Function(fn, TaskShape.Func1);
            return new WorkItem<TResult>(future, function, Serialize(arg, nameof(arg)));
        }

        public WorkItem VisitFunc<T1, T2, TResult>(Future<TResult> future, Func<T1, T2, TResult> fn, T1 arg1, T2 arg2)
        {
            var function = Function(fn, TaskShape.Func2);
            byte[] arguments;
            try
            {
                arguments = Wire.SerializePair(arg1, arg2);
            }
            catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
            {
                throw new ArgumentException($"The arguments cannot be sent to a worker process: {e.Message}", nameof(arg1), e);
            }

            return new WorkItem<TResult>(future, function, arguments);
        }

        public WorkItem VisitCancellable<T>(Future<T> future, Func<CancellationToken, T> fn) =>
            new WorkItem<T>(future, Function(fn, TaskShape.Cancellable), []);

        public WorkItem VisitChunk<TSource, TResult>(Future<TResult[]> future, Func<TSource, TResult> fn, TSource[] items)
        {
            var function = Function(fn, TaskShape.Chunk);
            return new WorkItem<TResult[]>(future, function, Serialize(items, "source"));
        }
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
