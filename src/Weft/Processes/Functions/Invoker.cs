using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Weft.Processes;

/// <summary>
/// Worker side: calls one function with arguments read from a frame and serializes its result, typed by
/// the method's own signature (the worker never reads a type name from the pipe).
/// </summary>
internal abstract class Invoker
{
    public abstract byte[] Invoke(ReadOnlySpan<byte> arguments, CancellationToken cancellationToken);

    /// <summary>The function's name as the submitter's trace shows it (<c>Type.Method</c>); null where the worker
    /// knows only an address (Native AOT).</summary>
    public string? Name { get; private set; }

    /// <summary>Binds <paramref name="method"/> (on <paramref name="target"/>, the lambda singleton, or static) for <paramref name="shape"/>.</summary>
    /// <exception cref="InvalidOperationException">The method does not fit the shape.</exception>
    /// <remarks>Reachable in a Native AOT build (the worker tells JIT from AOT at run time, see
    /// <see cref="NativeFunction.IsNative"/>), but only ever called where a JIT runs; the DynamicDependency attributes keep
    /// the invokers' constructors for trimmed JIT apps.</remarks>
    [RequiresDynamicCode("Makes generic invokers for the method's own types at run time; a Native AOT worker uses NativeFunction instead.")]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(ActionInvoker))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(Func0Invoker<>))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(CancellableInvoker<>))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(Func1Invoker<,>))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(ChunkInvoker<,>))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(Func2Invoker<,,>))]
    [UnconditionalSuppressMessage("Trimming", "IL2077", Justification = "Every type passed to CreateInstance is one of the " +
        "nested invokers above, whose public constructors the DynamicDependency attributes keep.")]
    public static Invoker Create(MethodInfo method, object? target, TaskShape shape)
    {
        var parameters = Array.ConvertAll(method.GetParameters(), p => p.ParameterType);
        var result = method.ReturnType;
        (Type invoker, Type signature) = (shape, parameters.Length) switch
        {
            (TaskShape.Action, 0) when result == typeof(void) => (typeof(ActionInvoker), typeof(Action)),
            (TaskShape.Func0, 0) => (typeof(Func0Invoker<>).MakeGenericType(result), typeof(Func<>).MakeGenericType(result)),
            (TaskShape.Cancellable, 1) when parameters[0] == typeof(CancellationToken) =>
                (typeof(CancellableInvoker<>).MakeGenericType(result), typeof(Func<,>).MakeGenericType(parameters[0], result)),
            (TaskShape.Func1, 1) => (typeof(Func1Invoker<,>).MakeGenericType(parameters[0], result), typeof(Func<,>).MakeGenericType(parameters[0], result)),
            (TaskShape.Chunk, 1) => (typeof(ChunkInvoker<,>).MakeGenericType(parameters[0], result), typeof(Func<,>).MakeGenericType(parameters[0], result)),
            (TaskShape.Func2, 2) => (typeof(Func2Invoker<,,>).MakeGenericType(parameters[0], parameters[1], result),
                typeof(Func<,,>).MakeGenericType(parameters[0], parameters[1], result)),
            _ => throw new InvalidOperationException($"{method.DeclaringType?.FullName}.{method.Name} does not match a {shape} task."),
        };
        var function = method.CreateDelegate(signature, target);
        var created = (Invoker)Activator.CreateInstance(invoker, function)!;
        created.Name = Weft.Diagnostics.TaskActivity.FunctionName(function);
        return created;
    }

    private sealed class ActionInvoker(Action fn) : Invoker
    {
        public override byte[] Invoke(ReadOnlySpan<byte> arguments, CancellationToken cancellationToken)
        {
            fn();
            return [];
        }
    }

    private sealed class Func0Invoker<T>(Func<T> fn) : Invoker
    {
        public override byte[] Invoke(ReadOnlySpan<byte> arguments, CancellationToken cancellationToken) => Wire.Serialize(fn());
    }

    private sealed class CancellableInvoker<T>(Func<CancellationToken, T> fn) : Invoker
    {
        public override byte[] Invoke(ReadOnlySpan<byte> arguments, CancellationToken cancellationToken) => Wire.Serialize(fn(cancellationToken));
    }

    private sealed class Func1Invoker<TArg, TResult>(Func<TArg, TResult> fn) : Invoker
    {
        public override byte[] Invoke(ReadOnlySpan<byte> arguments, CancellationToken cancellationToken) =>
            Wire.Serialize(fn(Wire.Deserialize<TArg>(arguments)));
    }

    private sealed class Func2Invoker<T1, T2, TResult>(Func<T1, T2, TResult> fn) : Invoker
    {
        public override byte[] Invoke(ReadOnlySpan<byte> arguments, CancellationToken cancellationToken)
        {
            var (a, b) = Wire.DeserializePair<T1, T2>(arguments);
            return Wire.Serialize(fn(a, b));
        }
    }

    private sealed class ChunkInvoker<TSource, TResult>(Func<TSource, TResult> fn) : Invoker
    {
        public override byte[] Invoke(ReadOnlySpan<byte> arguments, CancellationToken cancellationToken)
        {
            var items = Wire.Deserialize<TSource[]>(arguments);
            var results = new TResult[items.Length];
            for (var i = 0; i < items.Length; i++)
            {
                results[i] = fn(items[i]);
            }

            return Wire.Serialize(results);
        }
    }
}
