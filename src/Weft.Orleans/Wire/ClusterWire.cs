using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Weft.Orleans.Workers;
using Weft.Processes;

namespace Weft.Orleans.Wire;

/// <summary>How a cluster call is shaped, as the process pool's <c>TaskShape</c> (same numbers).</summary>
internal enum CallShape : byte
{
    Func0 = TaskShape.Func0,
    Action = TaskShape.Action,
    Func1 = TaskShape.Func1,
    Func2 = TaskShape.Func2,
    Cancellable = TaskShape.Cancellable,
    Chunk = TaskShape.Chunk,
}

/// <summary>A checked function as it crosses to a silo: its bytes and a name for messages.</summary>
internal sealed record FunctionRef(byte[] Bytes, string DisplayName);

/// <summary>A silo's answer to one call, read by the client.</summary>
/// <remarks><see cref="KilledWorkers"/> above 0: the task's worker process died (<see cref="WeftWorkerOptions.IsolateTasks"/>);
/// then <see cref="KillReason"/> says how, and there is neither result nor error.</remarks>
internal readonly record struct Reply(string Silo, byte[]? Result, Exception? Error, int KilledWorkers = 0, string? KillReason = null);

/// <summary>
/// The one seam between the cluster and the process pool's rules (<c>src/Weft/Processes</c>): which functions may
/// be sent (static methods and non-capturing lambdas), how a silo finds them again (only in assemblies it has
/// loaded, by assembly name, module version id and metadata token: never a type name that selects code), and how
/// arguments, results and exceptions cross (the process pool's value contract: exact or refused). Nothing else in
/// Weft.Orleans touches <c>Weft.Processes</c>.
/// </summary>
/// <remarks>Reply layout: <c>[byte kind][string silo]</c> then the result bytes (kind 0) or the process pool's error
/// record (kind 1). Orleans itself only ever serializes <c>byte[]</c>.</remarks>
internal static class ClusterWire
{
    private const byte ResultKind = 0;
    private const byte ErrorKind = 1;
    private const byte KilledKind = 2;

    private static readonly ConditionalWeakTable<TaskFunction, FunctionRef> s_refs = [];
    private static readonly ConcurrentDictionary<(Guid Module, int Token, CallShape Shape), Invoker> s_invokers = new();

    [ThreadStatic]
    private static (Delegate Delegate, CallShape Shape, FunctionRef Ref)? t_last;

    /// <summary>Checks <paramref name="fn"/> and names it for a silo; the last one is remembered per thread
    /// because <c>Map</c> submits one delegate for every item.</summary>
    /// <exception cref="ArgumentException">It captures variables, is bound to an object, or is generic.</exception>
    public static FunctionRef Function(Delegate fn, CallShape shape)
    {
        if (t_last is { } last && ReferenceEquals(last.Delegate, fn) && last.Shape == shape)
        {
            return last.Ref;
        }

        var function = TaskFunction.From(fn, (TaskShape)shape, nameof(fn));
        var reference = s_refs.GetValue(function, static f =>
        {
            var writer = new BodyWriter();
            f.WriteDefinition(writer);
            return new FunctionRef(writer.WrittenSpan.ToArray(), f.DisplayName);
        });
        t_last = (fn, shape, reference);
        return reference;
    }

    /// <summary>Serializes an argument (or a <c>Map</c> chunk) by its declared type.</summary>
    /// <exception cref="ArgumentException">The value cannot cross exactly.</exception>
    public static byte[] Serialize<T>(T value, string paramName) =>
        Refusing(() => Weft.Processes.Wire.Serialize(value), typeof(T).Name, paramName);

    /// <summary>Serializes two arguments by their declared types.</summary>
    /// <exception cref="ArgumentException">A value cannot cross exactly.</exception>
    public static byte[] SerializePair<T1, T2>(T1 first, T2 second, string paramName) =>
        Refusing(() => Weft.Processes.Wire.SerializePair(first, second), $"({typeof(T1).Name}, {typeof(T2).Name})", paramName);

    /// <summary>Reads a result as the declared type.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a <typeparamref name="T"/>.</exception>
    public static T Deserialize<T>(byte[] bytes, string displayName)
    {
        try
        {
            return Weft.Processes.Wire.Deserialize<T>(bytes);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            throw new InvalidDataException($"The result of {displayName} cannot be read as {typeof(T).Name}: {e.Message}", e);
        }
    }

    /// <summary>Splits a silo's reply into the silo's name and a result or the task's rebuilt exception.</summary>
    public static Reply ReadReply(byte[] reply)
    {
        var reader = new BodyReader(reply);
        var kind = reader.ReadByte();
        var silo = reader.ReadString() ?? "?";
        return kind switch
        {
            ResultKind => new Reply(silo, reader.Rest.ToArray(), null),
            KilledKind => new Reply(silo, null, null, reader.ReadInt32(), reader.ReadString()),
            _ => new Reply(silo, null, RemoteError.Read(ref reader)),
        };
    }

    /// <summary>Silo side: runs one call and encodes its outcome. Never throws: a function that is not allowed or
    /// cannot be found, arguments that cannot be read and the task's own exception all become an error reply.</summary>
    public static byte[] Run(byte[] function, byte[] arguments, string silo, AllowList allowed, CancellationToken cancellationToken)
    {
        byte[] result;
        try
        {
            result = Resolve(function, allowed).Invoke(arguments, cancellationToken);
        }
#pragma warning disable CA1031 // The task's exception belongs to its future on the client.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return ErrorReply(silo, e is TargetInvocationException { InnerException: { } inner } ? inner : e);
        }

        var writer = new BodyWriter();
        writer.WriteByte(ResultKind);
        writer.WriteString(silo);
        writer.WriteBytes(result);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Silo side: a reply that fails the task with <paramref name="error"/>.</summary>
    public static byte[] ErrorReply(string silo, Exception error)
    {
        var writer = new BodyWriter();
        writer.WriteByte(ErrorKind);
        writer.WriteString(silo);
        RemoteError.Write(writer, error);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Silo side: the task's worker process died, for the <paramref name="killedWorkers"/>th time.</summary>
    public static byte[] KilledReply(string silo, int killedWorkers, string reason)
    {
        var writer = new BodyWriter();
        writer.WriteByte(KilledKind);
        writer.WriteString(silo);
        writer.WriteInt32(killedWorkers);
        writer.WriteString(reason);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Silo side, before a worker process sees the call: the allow-list, then the function's assembly among
    /// those this silo loaded, in the same build. Returns the refusal, or null.</summary>
    public static Exception? Check(byte[] function, AllowList allowed)
    {
        try
        {
            _ = Resolve(function, allowed);
            return null;
        }
#pragma warning disable CA1031 // The refusal is the task's error reply.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return e;
        }
    }

    /// <summary>Worker-process side (<see cref="WeftWorkerOptions.IsolateTasks"/>): runs a call the silo has checked
    /// with <see cref="Check"/>, binding it as the process pool binds its own functions. Returns a reply naming no silo.</summary>
    public static byte[] RunChecked(byte[] function, byte[] arguments)
    {
        byte[] result;
        try
        {
            var reader = new BodyReader(function);
            result = TaskFunction.Bind(ref reader).Invoke(arguments, CancellationToken.None);
        }
#pragma warning disable CA1031 // The task's exception belongs to its future on the client.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return ErrorReply(string.Empty, e is TargetInvocationException { InnerException: { } inner } ? inner : e);
        }

        var writer = new BodyWriter();
        writer.WriteByte(ResultKind);
        writer.WriteString(string.Empty);
        writer.WriteBytes(result);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>A reply from <see cref="RunChecked"/>, naming <paramref name="silo"/>.</summary>
    public static byte[] WithSilo(byte[] reply, string silo)
    {
        var reader = new BodyReader(reply);
        var kind = reader.ReadByte();
        reader.ReadString();
        var writer = new BodyWriter();
        writer.WriteByte(kind);
        writer.WriteString(silo);
        writer.WriteBytes(reader.Rest);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a function's module version id, token and name, the numbers the allow-list checks.</summary>
    public static (Guid Module, int Token, string? Name) Identify(byte[] function)
    {
        var reader = new BodyReader(function);
        reader.ReadInt32();
        reader.ReadByte();
        reader.ReadByte();
        reader.ReadString();
        var module = reader.ReadGuid();
        var token = reader.ReadInt32();
        return (module, token, reader.ReadString());
    }

    /// <summary>Finds the function in an assembly this silo has already loaded, the very build the client used.</summary>
    private static Invoker Resolve(byte[] function, AllowList allowed)
    {
        // Deny by default: the allow-list sees the bare numbers before any assembly, type or method is looked up.
        var (allowedModule, allowedToken, allowedName) = Identify(function);
        allowed.Check(allowedModule, allowedToken, allowedName);
        var reader = new BodyReader(function);
        reader.ReadInt32();   // the client's process-local id: meaningless here
        var shape = (CallShape)reader.ReadByte();
        var onSingleton = reader.ReadByte() == 1;
        var assemblyName = reader.ReadString() ?? throw new InvalidDataException("No assembly name.");
        var moduleVersion = reader.ReadGuid();
        var token = reader.ReadInt32();
        var name = reader.ReadString();
        if (s_invokers.TryGetValue((moduleVersion, token, shape), out var known))
        {
            return known;
        }

        // Only assemblies already loaded: a name sent by a client never makes the silo load anything.
        var assembly = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => !a.IsDynamic && a.FullName == assemblyName)
            ?? throw new InvalidOperationException(
                $"This silo has not loaded {assemblyName}, so it cannot run {name}: run the application's own assembly as the silo.");
        var module = assembly.ManifestModule;
        if (module.ModuleVersionId != moduleVersion)
        {
            throw new InvalidOperationException(
                $"This silo runs a different build of {assembly.GetName().Name} than the client; cannot run {name}.");
        }

        var method = module.ResolveMethod(token) as MethodInfo ?? throw new InvalidOperationException($"{name} is not a method.");
        object? target = null;
        if (onSingleton)
        {
            target = method.DeclaringType?.GetField(TaskFunction.LambdaSingletonField, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                ?.GetValue(null) ?? throw new InvalidOperationException($"{name}: the lambda's cached instance is missing.");
        }
        else if (!method.IsStatic)
        {
            throw new InvalidOperationException($"{name} is not static.");
        }

        return s_invokers.GetOrAdd((moduleVersion, token, shape), Invoker.Create(method, target, (TaskShape)shape));
    }

    private static byte[] Refusing(Func<byte[]> serialize, string typeName, string paramName)
    {
        try
        {
            return serialize();
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new ArgumentException($"A {typeName} cannot be sent to a silo: {e.Message}", paramName, e);
        }
    }
}
