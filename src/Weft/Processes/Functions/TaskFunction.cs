using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Weft.Processes;

/// <summary>
/// A function that can run in a worker process: a static method, or a lambda that captures nothing (the
/// compiler puts those on the cached singleton of its <c>&lt;&gt;c</c> class, which the worker finds again).
/// Identified by its module's version id and metadata token, so parent and worker must load the same build.
/// </summary>
/// <remarks>The narrow entry points another executor (Weft.Orleans) reuses: <see cref="From"/> (describe a delegate
/// or throw <see cref="ArgumentException"/>, values checked by <see cref="WireContract"/>), <see cref="WriteDefinition"/>,
/// <see cref="Resolve"/> with <see cref="Invoker.Create"/> (a description back to something to call), and
/// <see cref="Wire"/> for the values themselves.</remarks>
internal sealed class TaskFunction
{
    /// <summary>The compiler's field holding the singleton instance of a <c>&lt;&gt;c</c> lambda class.</summary>
    internal const string LambdaSingletonField = "<>9";

    private static readonly ConcurrentDictionary<(MethodInfo, TaskShape), TaskFunction> s_cache = new();
    private static int s_nextId;

    private TaskFunction(MethodInfo method, TaskShape shape, bool onLambdaSingleton)
    {
        Id = Interlocked.Increment(ref s_nextId);
        Method = method;
        Shape = shape;
        OnLambdaSingleton = onLambdaSingleton;
    }

    /// <summary>Process-wide id, used in Call frames after a Define frame.</summary>
    public int Id { get; }

    public MethodInfo Method { get; }

    public TaskShape Shape { get; }

    public bool OnLambdaSingleton { get; }

    public string DisplayName => $"{Method.DeclaringType?.FullName}.{Method.Name}";

    /// <summary>Checks that <paramref name="fn"/> can be sent to a worker and returns its reference.</summary>
    /// <exception cref="ArgumentException">It captures variables, is bound to an object, is generic, or is
    /// not a compiled method of a loaded assembly; the message says which and what to do.</exception>
    public static TaskFunction From(Delegate fn, TaskShape shape, string paramName)
    {
        var method = fn.Method;
        var target = fn.Target;
        CheckExactSignature(fn, method, paramName);
        if (target is null && method.IsStatic)
        {
            return Lookup(method, shape, onLambdaSingleton: false, paramName);
        }

        if (target is not null && !method.IsStatic && IsLambdaSingleton(target))
        {
            return Lookup(method, shape, onLambdaSingleton: true, paramName);
        }

        if (fn.HasSingleTarget is false)
        {
            throw new ArgumentException(
                $"A multicast delegate cannot run in a worker process; submit its functions one by one.", paramName);
        }

        throw new ArgumentException(DescribeCapture(method, target), paramName);
    }

    /// <summary>Writes <c>[int32 id][byte shape][byte onSingleton][string assembly][guid mvid][int32 token][string name]</c>
    /// (Native AOT: <see cref="NativeFunction.WriteDefinition"/>).</summary>
    public void WriteDefinition(BodyWriter writer)
    {
        if (NativeFunction.IsNative)
        {
            NativeFunction.WriteDefinition(this, writer);
            return;
        }

        writer.WriteInt32(Id);
        writer.WriteByte((byte)Shape);
        writer.WriteByte(OnLambdaSingleton ? (byte)1 : (byte)0);
        writer.WriteString(Method.Module.Assembly.FullName);
        writer.WriteGuid(Method.Module.ModuleVersionId);
        writer.WriteInt32(Method.MetadataToken);
        writer.WriteString(DisplayName);
    }

    /// <summary>Finds the function a definition names and binds it for its shape: by offset in a Native AOT worker
    /// (<see cref="NativeFunction"/>), else by module and metadata token (<see cref="Resolve"/>).</summary>
    /// <exception cref="InvalidOperationException">The worker is another build, or the function does not fit its shape.</exception>
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Invoker.Create is reached only in a process with a JIT " +
        "(NativeFunction.IsNative is false), where run-time generic code exists even if the app's runtimeconfig says otherwise.")]
    internal static Invoker Bind(ref BodyReader reader, bool hasId = true)
    {
        if (NativeFunction.IsNative)
        {
            return NativeFunction.Bind(ref reader, hasId);
        }

        var (method, target, shape) = Resolve(ref reader, hasId);
        return Invoker.Create(method, target, shape);
    }

    private static TaskFunction Lookup(MethodInfo method, TaskShape shape, bool onLambdaSingleton, string paramName)
    {
        if (s_cache.TryGetValue((method, shape), out var known))
        {
            return known;
        }

        if (method.IsGenericMethod || method.DeclaringType is { IsGenericType: true })
        {
            throw new ArgumentException(
                $"{method.DeclaringType?.FullName}.{method.Name} is generic (or is a lambda inside a generic method or type); " +
                "a worker process runs only non-generic static methods and non-capturing lambdas of non-generic code.",
                paramName);
        }

        if (method.DeclaringType is null || method.Module.Assembly.IsDynamic)
        {
            throw new ArgumentException(
                $"{method.Name} was generated at run time (a dynamic method or compiled expression); a worker process can only run methods compiled into an assembly.",
                paramName);
        }

        CheckValuesCanCross(method, shape, paramName);
        return s_cache.GetOrAdd((method, shape), static (key, singleton) => new TaskFunction(key.Item1, key.Item2, singleton), onLambdaSingleton);
    }

    /// <summary>Refuses, before anything runs, a function whose arguments or result would not arrive exactly.</summary>
    private static void CheckValuesCanCross(MethodInfo method, TaskShape shape, string paramName)
    {
        if (NativeFunction.IsNative)
        {
            NativeFunction.EnsureCanCross(method, shape, paramName);
            return;
        }

        if (method.ReturnType == typeof(void) && method.IsDefined(typeof(AsyncStateMachineAttribute), inherit: false))
        {
            throw new ArgumentException(
                $"{method.DeclaringType?.FullName}.{method.Name} is async void: the worker could not wait for it. Return a Task.", paramName);
        }

        foreach (var parameter in method.GetParameters())
        {
            if (!(shape == TaskShape.Cancellable && parameter.ParameterType == typeof(CancellationToken)))
            {
                WireContract.EnsureCanCross(parameter.ParameterType, "argument", paramName);
            }
        }

        if (method.ReturnType != typeof(void))
        {
            WireContract.EnsureCanCross(method.ReturnType, "result", paramName);
        }
    }

    /// <summary>Parent and worker each serialize by their own view of the types (the delegate's and the method's),
    /// so a variance conversion (a <c>string M(object)</c> used as a <c>Func&lt;string, object&gt;</c>) is refused.</summary>
    private static void CheckExactSignature(Delegate fn, MethodInfo method, string paramName)
    {
        var declared = fn.GetType();
        if (!declared.IsGenericType)
        {
            return;
        }

        var parameters = method.GetParameters();
        var arguments = declared.GetGenericArguments();
        var exact = arguments.Length == parameters.Length + 1
            && arguments[^1] == method.ReturnType
            && parameters.Select(p => p.ParameterType).SequenceEqual(arguments[..^1]);
        if (!exact)
        {
            throw new ArgumentException(
                $"{method.DeclaringType?.FullName}.{method.Name} is used as a {declared.Name} with other types than its own " +
                "(a variance conversion); a worker process needs the exact types: wrap it in a static lambda with the declared types.",
                paramName);
        }
    }

    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "The <>9 field is read by the compiler's code that " +
        "created this very delegate, so the trimmer keeps it. Native AOT, which keeps no field metadata, decides by the name alone.")]
    private static bool IsLambdaSingleton(object target)
    {
        var type = target.GetType();
        if (NativeFunction.IsNative)
        {
            return type.Name == "<>c";   // the compiler's stateless lambda class; a closure is <>c__DisplayClass…
        }

        if (type.Name != "<>c" || !type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false))
        {
            return false;
        }

        var field = type.GetField(LambdaSingletonField, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static);
        return field is not null && ReferenceEquals(field.GetValue(null), target);
    }

    private static string DescribeCapture(MethodInfo method, object? target)
    {
        const string Advice = "A worker process receives only the function and its arguments: make the lambda static and pass " +
            "the values as arguments (Submit(fn, arg), Submit(fn, arg1, arg2) or Map), or use a static method.";
        if (target is null)
        {
            return $"{method.Name} is an instance method without a target. {Advice}";
        }

        var type = target.GetType();
        if (type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false))
        {
            var names = CapturedVariables.UsedBy(method).ToList();
            if (names.Count == 0)
            {
                CollectCaptures(target, names, depth: 0);   // captures reached indirectly (a local function): name the scope's
            }

            return $"The lambda captures {string.Join(", ", names)}, which cannot be sent to a worker process. {Advice}";
        }

        if (method.Name.StartsWith('<'))
        {
            return $"The lambda captures this (a {type.FullName}), which cannot be sent to a worker process. {Advice}";
        }

        return $"{method.DeclaringType?.FullName}.{method.Name} is an instance method bound to a {type.FullName}, which cannot be " +
            $"sent to a worker process. {Advice}";
    }

    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "Only the message of a refused lambda: a trimmed field is a name left out.")]
    private static void CollectCaptures(object closure, List<string> names, int depth)
    {
        foreach (var field in closure.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            if (field.Name.EndsWith("__this", StringComparison.Ordinal))
            {
                names.Add("this");
            }
            else if (field.Name.StartsWith("CS$<>", StringComparison.Ordinal) && depth < 8 && field.GetValue(closure) is { } outer)
            {
                CollectCaptures(outer, names, depth + 1);   // variables of an enclosing scope
            }
            else
            {
                names.Add($"'{field.Name}'");
            }
        }

        if (names.Count == 0)
        {
            names.Add("its enclosing scope");
        }
    }

    /// <summary>The name to load an assembly by: its simple name when the rest is the usual version, neutral culture and
    /// token, because parsing those (<c>new AssemblyName(fullName)</c>) loads the ICU libraries, milliseconds of a fresh
    /// worker's first call. Which build it is, is checked by the module version id after loading, which is stricter.</summary>
    private static AssemblyName LoadName(string fullName)
    {
        var comma = fullName.IndexOf(',', StringComparison.Ordinal);
        var simple = comma < 0 ? fullName : fullName[..comma];
        return simple.AsSpan().IndexOfAny('\\', '"', '=') < 0 && fullName.Contains("Culture=neutral", StringComparison.Ordinal)
            ? new AssemblyName { Name = simple.Trim() }
            : new AssemblyName(fullName);
    }

    /// <summary>Finds the function a definition (<see cref="WriteDefinition"/>) names; the assembly must be the very
    /// build the describing process loaded. Bind it with <see cref="Invoker.Create"/>.</summary>
    /// <exception cref="InvalidOperationException">The assembly is another build, or the token is not a method.</exception>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Parent and worker load the same files, so a trimmed " +
        "assembly's tokens agree in both; the method is kept because the parent's code made a delegate of it.")]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "The <>9 field is read by the compiler's code that created the delegate.")]
    internal static (MethodInfo Method, object? Target, TaskShape Shape) Resolve(ref BodyReader reader, bool hasId = true)
    {
        if (hasId)
        {
            reader.ReadInt32();
        }

        var shape = (TaskShape)reader.ReadByte();
        var onSingleton = reader.ReadByte() == 1;
        var assemblyName = reader.ReadString() ?? throw new InvalidDataException("No assembly name.");
        var moduleVersion = reader.ReadGuid();
        var token = reader.ReadInt32();
        var name = reader.ReadString();

        // Assembly.Load only resolves through the application's own dependency graph (its deps.json).
        var assembly = Assembly.Load(LoadName(assemblyName));
        var module = assembly.ManifestModule;
        if (module.ModuleVersionId != moduleVersion)
        {
            throw new InvalidOperationException(
                $"The worker loaded a different build of {assembly.GetName().Name} than the parent; cannot run {name}.");
        }

        var method = module.ResolveMethod(token) as MethodInfo
            ?? throw new InvalidOperationException($"{name} is not a method.");
        object? target = null;
        if (onSingleton)
        {
            target = method.DeclaringType?.GetField(LambdaSingletonField, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                ?.GetValue(null) ?? throw new InvalidOperationException($"{name}: the lambda's cached instance is missing.");
        }

        return (method, target, shape);
    }
}
