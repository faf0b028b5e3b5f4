using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Weft.Processes;

/// <summary>
/// How arguments and results cross the process boundary: System.Text.Json by the declared (parent) or
/// parameter (worker) type. JSON carries no type names unless polymorphism is configured, and it is not
/// here, so nothing read off the pipe ever chooses a type to instantiate. Primitives, arrays of primitives and
/// strings skip JSON and go as raw bytes (<see cref="RawCodec{T}"/>).
/// </summary>
/// <remarks>Why not MessagePack 2.5: it is 2-3.5x faster on large numeric arrays, but its first use costs
/// ~70 ms in every new worker against ~30 ms here, which is most of a worker's start-up budget, it would be
/// a dependency of every Weft user pinned to an old major version, and for the small items that dominate a
/// process pool the pipe, not the serializer, is the cost (see docs/processes.md).</remarks>
internal static class Wire
{
    private const string ReflectionOnly = "Reached only with reflection-based JSON on (ReflectionJson); in a trimmed or " +
        "Native AOT app WireContract refuses, at Submit, every type that is not raw (RawCodec), so nothing gets here.";

    /// <summary>Gets the serializer's settings, shared with <see cref="WireContract"/> so the check sees what is serialized.
    /// Made on first use: a Native AOT app, whose values are all raw, never makes them.</summary>
    public static JsonSerializerOptions Options => JsonSettings.Options;

    /// <summary>Gets a value indicating whether values other than raw ones (<see cref="RawCodec"/>) can cross: reflection-based
    /// JSON is on, as it is by default except in trimmed and Native AOT apps (where it would write <c>{}</c> for types
    /// whose members the trimmer removed, so Weft never uses it there, even when an app turns it on).</summary>
    public static bool ReflectionJson => RuntimeFeature.IsDynamicCodeSupported && JsonSerializer.IsReflectionEnabledByDefault;

    public static byte[] Serialize<T>(T value)
    {
        if (typeof(T) == typeof(VoidResult))
        {
            return [];
        }

        return RawCodec<T>.Write is { } write ? write(value) : SerializeByReflection(value);
    }

    public static T Deserialize<T>(ReadOnlySpan<byte> bytes)
    {
        if (typeof(T) == typeof(VoidResult))
        {
            return default!;
        }

        return RawCodec<T>.Read is { } read ? read(bytes) : DeserializeByReflection<T>(bytes);
    }

    /// <summary>Two arguments as <c>[int32 length of the first][first][second]</c>.</summary>
    public static byte[] SerializePair<T1, T2>(T1 first, T2 second)
    {
        var a = Serialize(first);
        var b = Serialize(second);
        var result = new byte[4 + a.Length + b.Length];
        BinaryPrimitives.WriteInt32LittleEndian(result, a.Length);
        a.CopyTo(result.AsSpan(4));
        b.CopyTo(result.AsSpan(4 + a.Length));
        return result;
    }

    public static (T1, T2) DeserializePair<T1, T2>(ReadOnlySpan<byte> bytes)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        return (Deserialize<T1>(bytes.Slice(4, length)), Deserialize<T2>(bytes[(4 + length)..]));
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = ReflectionOnly)]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = ReflectionOnly)]
    private static byte[] SerializeByReflection<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = ReflectionOnly)]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = ReflectionOnly)]
    private static T DeserializeByReflection<T>(ReadOnlySpan<byte> bytes) => JsonSerializer.Deserialize<T>(bytes, Options)!;

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = ReflectionOnly)]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = ReflectionOnly)]
    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            IncludeFields = true,                                              // value tuples and plain structs
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, // NaN and infinities
            MaxDepth = 256,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { SetNonPublicSetters, RefuseDerivedTypes } },
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Properties with a private setter, or get-only auto-properties, are written back through that
    /// setter or their backing field, so <c>{ get; private set; }</c> crosses exactly instead of arriving as default.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = ReflectionOnly)]
    private static void SetNonPublicSetters(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (var property in info.Properties)
        {
            if (property.Set is not null || property.AssociatedParameter is not null || property.AttributeProvider is not PropertyInfo member)
            {
                continue;
            }

            if (member.GetSetMethod(nonPublic: true) is { } setter)
            {
                property.Set = (target, value) => setter.Invoke(target, [value]);
            }
            else if (member.DeclaringType?.GetField($"<{member.Name}>k__BackingField", BindingFlags.Instance | BindingFlags.NonPublic) is { } field)
            {
                property.Set = field.SetValue;
            }
        }
    }

    /// <summary>A value is serialized by its declared type; an instance of a derived type would lose its own
    /// members, so it is refused when it is met.</summary>
    private static void RefuseDerivedTypes(JsonTypeInfo info)
    {
        var declared = info.Type;
        if (info.Kind != JsonTypeInfoKind.Object || declared.IsValueType || declared.IsSealed)
        {
            return;
        }

        info.OnSerializing = value =>
        {
            if (value.GetType() != declared)
            {
                throw new NotSupportedException(
                    $"A {value.GetType().FullName} declared as {declared.FullName} cannot cross to or from a worker process: " +
                    "it would arrive as a plain " + declared.Name + ", without its own members. Declare the exact type.");
            }
        };
    }

    /// <summary>Holds the options so they are made on first use only.</summary>
    private static class JsonSettings
    {
        public static readonly JsonSerializerOptions Options = CreateOptions();
    }
}
