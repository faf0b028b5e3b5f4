using System.Reflection;
using System.Runtime.CompilerServices;

namespace Weft.Processes;

/// <summary>
/// How a Native AOT app names a function for its worker, without <c>Assembly.Location</c>, metadata tokens or
/// reflection lookups (none of which exist there). The worker is the very same executable
/// (<see cref="ProcessPoolExecutor.FreezeSupport"/>), so a method's code sits at the same offset from any other
/// method's code in both processes, even though each process is mapped at its own address: a function is its
/// offset from <see cref="Anchor"/>, read from its method handle, which Native AOT keeps for every delegate target.
/// </summary>
/// <remarks>
/// <para>Definition frame: <c>[int32 id][byte shape][byte onLambdaSingleton][guid build][int64 function]
/// [byte kind]×(parameters, result)[string name]</c>. The kinds (<see cref="NativeValueKind"/>) are a closed list, so the
/// worker needs no generic code made for the user's types: it reads each argument into one of four machine classes
/// (integer, float, double, reference) and calls through a function pointer of those classes (<see cref="NativeCall"/>).</para>
/// <para>The build is <see cref="BuildId"/> (the entry module's MVID, or a hash of the executable): a worker whose
/// executable was replaced by another build since the parent started sees another value and refuses the function
/// instead of jumping into foreign code. The frame comes only
/// from the parent that started this worker (the channel's token proves it), as every other frame does.</para>
/// </remarks>
internal static unsafe class NativeFunction
{
    /// <summary>Gets a value indicating whether this process is Native AOT, where functions are named by offset.</summary>
    /// <remarks><c>RuntimeFeature.IsDynamicCodeSupported</c> alone does not say so: an app with <c>PublishAot</c> set
    /// reports false under <c>dotnet run</c> too (a feature switch in its runtimeconfig, so that AOT limits show early),
    /// yet there each process JIT-compiles its methods at addresses of its own, and offsets would not match. Only a
    /// process without a JIT has compiled no method at all by the time a pool starts.</remarks>
    public static bool IsNative => s_isNative;

    private static readonly bool s_isNative = !RuntimeFeature.IsDynamicCodeSupported && System.Runtime.JitInfo.GetCompiledMethodCount() == 0;

    /// <remarks>Not inlined: the compiler folds the difference of two code addresses into a wrong constant.</remarks>
    private static nint Anchor
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        get
        {
            delegate*<void> anchor = &AnchorMethod;
            return (nint)anchor;
        }
    }

    /// <summary>Gets the identity of this build of the application: the entry module's MVID (which the compiler
    /// changes with any change to the user's code), or, where it cannot be read, a hash of the executable file.</summary>
    /// <remarks>Not an offset of Weft's own code: that stays the same when only the user's code changes, so an
    /// executable replaced in place by another build of the app would pass and jump into foreign code (issue 18.10).</remarks>
    internal static Guid BuildId => s_buildId.Value;

    private static readonly Lazy<Guid> s_buildId = new(static () => BuildIdOf(System.Reflection.Assembly.GetEntryAssembly(), Environment.ProcessPath));

    /// <summary>The identity of a build whose entry assembly is <paramref name="entry"/> and executable <paramref name="executable"/>.</summary>
    internal static Guid BuildIdOf(Assembly? entry, string? executable)
    {
        try
        {
            if (entry?.ManifestModule.ModuleVersionId is { } mvid && mvid != Guid.Empty)
            {
                return mvid;
            }
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException)
        {
            // Not kept in this build: hash the file instead.
        }

        if (executable is null || !File.Exists(executable))
        {
            return Guid.Empty;
        }

        using var file = File.OpenRead(executable);
        return new Guid(System.Security.Cryptography.SHA256.HashData(file).AsSpan(0, 16));
    }

    /// <summary>Refuses at Submit what a Native AOT worker cannot receive or return: values that are not primitives,
    /// strings or arrays of primitives (and, in a Map chunk, anything but primitives).</summary>
    /// <exception cref="ArgumentException">A parameter or the result has another type; the message names it.</exception>
    public static void EnsureCanCross(MethodInfo method, TaskShape shape, string paramName)
    {
        foreach (var (type, role) in Positions(method, shape))
        {
            var kind = KindOf(type);
            var ok = kind is { } k && (shape != TaskShape.Chunk || k is not (NativeValueKind.String or >= NativeValueKind.Array));
            if (!ok && !(role == "result" && type == typeof(void)))
            {
                throw new ArgumentException(
                    $"The {role} type {type.Name} of {method.DeclaringType?.Name}.{method.Name} cannot cross to a worker process in a " +
                    "Native AOT app, where values cross without reflection: use primitives, strings and arrays of primitives" +
                    (shape == TaskShape.Chunk ? " (Map with a chunk size above 1: primitives only)." : "."),
                    paramName);
            }
        }
    }

    /// <summary>Writes the definition of <paramref name="function"/> (see the remarks).</summary>
    public static void WriteDefinition(TaskFunction function, BodyWriter writer)
    {
        writer.WriteInt32(function.Id);
        writer.WriteByte((byte)function.Shape);
        writer.WriteByte(function.OnLambdaSingleton ? (byte)1 : (byte)0);
        writer.WriteGuid(BuildId);
        writer.WriteInt64(OffsetOf(function.Method.MethodHandle.GetFunctionPointer()));
        foreach (var (type, _) in Positions(function.Method, function.Shape))
        {
            writer.WriteByte((byte)(KindOf(type) ?? NativeValueKind.Void));
        }

        writer.WriteString(function.DisplayName);
    }

    /// <summary>Reads a definition written by <see cref="WriteDefinition"/> and returns what calls it.</summary>
    /// <exception cref="InvalidOperationException">The parent is another build of this executable.</exception>
    public static Invoker Bind(ref BodyReader reader, bool hasId)
    {
        if (hasId)
        {
            reader.ReadInt32();
        }

        var shape = (TaskShape)reader.ReadByte();
        var onSingleton = reader.ReadByte() == 1;
        var build = reader.ReadGuid();
        var function = reader.ReadInt64();
        var kinds = new NativeValueKind[PositionCount(shape)];
        for (var i = 0; i < kinds.Length; i++)
        {
            kinds[i] = (NativeValueKind)reader.ReadByte();
        }

        var name = reader.ReadString();
        if (build != BuildId)
        {
            throw new InvalidOperationException(
                $"The worker is another build of the app than the parent (was the executable replaced while it ran?); cannot run {name}.");
        }

        return new NativeCall(AddressOf(function), onSingleton, shape, kinds);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long OffsetOf(nint address) => address - Anchor;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static nint AddressOf(long offset) => (nint)(Anchor + offset);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AnchorMethod()
    {
    }

    /// <summary>The values a shape carries, parameters first, then the result (a chunk: the element types).</summary>
    private static IEnumerable<(Type Type, string Role)> Positions(MethodInfo method, TaskShape shape)
    {
        foreach (var parameter in method.GetParameters())
        {
            if (!(shape == TaskShape.Cancellable && parameter.ParameterType == typeof(CancellationToken)))
            {
                yield return (parameter.ParameterType, "argument");
            }
        }

        if (shape != TaskShape.Action)
        {
            yield return (method.ReturnType, "result");
        }
    }

    private static int PositionCount(TaskShape shape) => shape switch
    {
        TaskShape.Action => 0,
        TaskShape.Func0 or TaskShape.Cancellable => 1,
        TaskShape.Func1 or TaskShape.Chunk => 2,
        TaskShape.Func2 => 3,
        _ => throw new InvalidDataException($"Unknown task shape {shape}."),
    };

    internal static NativeValueKind? KindOf(Type type)
    {
        if (type == typeof(string))
        {
            return NativeValueKind.String;
        }

        if (type.IsSZArray && KindOf(type.GetElementType()!) is { } element && element < NativeValueKind.String)
        {
            return element | NativeValueKind.Array;
        }

        return Type.GetTypeCode(type) switch
        {
            _ when !type.IsPrimitive => null,
            TypeCode.Boolean => NativeValueKind.Boolean,
            TypeCode.Byte => NativeValueKind.Byte,
            TypeCode.SByte => NativeValueKind.SByte,
            TypeCode.Int16 => NativeValueKind.Int16,
            TypeCode.UInt16 => NativeValueKind.UInt16,
            TypeCode.Int32 => NativeValueKind.Int32,
            TypeCode.UInt32 => NativeValueKind.UInt32,
            TypeCode.Int64 => NativeValueKind.Int64,
            TypeCode.UInt64 => NativeValueKind.UInt64,
            TypeCode.Char => NativeValueKind.Char,
            TypeCode.Single => NativeValueKind.Single,
            TypeCode.Double => NativeValueKind.Double,
            _ => null,
        };
    }
}
