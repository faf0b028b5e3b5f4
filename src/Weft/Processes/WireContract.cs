using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Weft.Processes;

/// <summary>
/// The rule for what crosses a process boundary: a value arrives exactly as it left, or the type is refused up
/// front (at <c>Submit</c>, before any work runs) with an <see cref="ArgumentException"/> naming the type and
/// the member that cannot cross. Checked once per type, by walking the serializer's own contract of it.
/// </summary>
/// <remarks>Crosses: primitives, strings, enums, the BCL's value types with converters (decimal, DateTime, Guid,
/// ...), arrays and collections of what crosses, dictionaries with simple keys, records, tuples, classes and
/// structs whose every piece of state is reachable through a public property or field (with a public, init or
/// private setter, or a constructor parameter), and as results <c>Task</c>/<c>ValueTask</c> (of what crosses).
/// Refused: <c>object</c>, interfaces and abstract classes (no type name is ever read off the wire), delegates,
/// reflection and stream-like types, <c>Stack&lt;T&gt;</c> (it would come back reversed), and any type with a field
/// that no property or constructor parameter carries.</remarks>
internal static class WireContract
{
    private const string ReflectionOnly = "Reached only with reflection-based JSON on (Wire.ReflectionJson): EnsureCanCross " +
        "returns before this in trimmed and Native AOT apps, which cross raw values only.";

    private static readonly ConcurrentDictionary<Type, string?> s_verdicts = new();

    private static readonly HashSet<Type> s_simpleKeys =
    [
        typeof(string), typeof(char), typeof(Guid), typeof(decimal), typeof(DateTime), typeof(DateTimeOffset),
        typeof(TimeSpan), typeof(DateOnly), typeof(TimeOnly),
    ];

    /// <summary>Throws unless values of <paramref name="type"/> cross exactly.</summary>
    /// <param name="type">The declared type.</param>
    /// <param name="role">What the value is, for the message ("argument", "result").</param>
    /// <param name="paramName">The parameter the exception names.</param>
    /// <exception cref="ArgumentException">The type cannot cross; the message names it and the member at fault.</exception>
    public static void EnsureCanCross(Type type, string role, string paramName)
    {
        if (!Wire.ReflectionJson)
        {
            if (!RawCodec.Crosses(type))
            {
                throw new ArgumentException(
                    $"The {role} type {Describe(type)} cannot cross to a worker process in a trimmed or Native AOT app, where values " +
                    "cross without reflection: use primitives, strings and arrays of them.", paramName);
            }

            return;
        }

        if (role == "result" && AsyncCodec.ResultOf(type) is { } awaited)
        {
            if (awaited != typeof(void))
            {
                EnsureCanCross(awaited, role, paramName);
            }

            return;
        }

        if (WhyNot(type) is { } why)
        {
            throw new ArgumentException($"The {role} type {Describe(type)} cannot cross to a worker process: {why}", paramName);
        }
    }

    /// <summary>Null when <paramref name="type"/> crosses exactly; otherwise the reason, naming the member.</summary>
    public static string? WhyNot(Type type)
    {
        if (s_verdicts.TryGetValue(type, out var known))
        {
            return known;
        }

        var verdict = Check(type, []);
        s_verdicts.TryAdd(type, verdict);
        return verdict;
    }

    private static string? Check(Type type, HashSet<Type> visiting)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(VoidResult) || type == typeof(string) || RawCodec.IsRawElement(type) || type.IsEnum)
        {
            return null;
        }

        if (s_verdicts.TryGetValue(type, out var known))
        {
            return known;
        }

        if (!visiting.Add(type))
        {
            return null;   // a recursive type: its members are being checked further up
        }

        if (Refused(type) is { } refused)
        {
            return refused;
        }

        JsonTypeInfo info;
        try
        {
            info = Wire.Options.GetTypeInfo(type);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException)
        {
            return $"the serializer cannot handle {Describe(type)} ({e.Message})";
        }

        return info.Kind switch
        {
            JsonTypeInfoKind.None => null,
            JsonTypeInfoKind.Enumerable => Element(info.ElementType!, "its elements", visiting),
            JsonTypeInfoKind.Dictionary => SimpleKey(info.KeyType!) ?? Element(info.ElementType!, "its values", visiting),
            _ => Members(type, info, visiting),
        };
    }

    private static string? Refused(Type type)
    {
        if (type == typeof(object))
        {
            return "object says nothing about what to rebuild, and no type name is read off the wire; declare the real type";
        }

        if (AsyncCodec.ResultOf(type) is not null)
        {
            return $"a {Describe(type)} is a running operation, not a value; await it and pass its result";
        }

        if (typeof(Delegate).IsAssignableFrom(type) || typeof(MemberInfo).IsAssignableFrom(type) || typeof(Stream).IsAssignableFrom(type)
            || typeof(Exception).IsAssignableFrom(type) || type.IsPointer || type.IsByRef || type == typeof(IntPtr) || type == typeof(UIntPtr))
        {
            return $"a {Describe(type)} is not data";
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(Stack<>) || definition == typeof(ConcurrentStack<>)))
        {
            return $"a {Describe(type)} would come back in reverse order; use an array or a List";
        }

        return null;
    }

    private static string? Element(Type element, string what, HashSet<Type> visiting) =>
        Check(element, visiting) is { } why ? $"{what} ({Describe(element)}): {why}" : null;

    private static string? SimpleKey(Type key)
    {
        key = Nullable.GetUnderlyingType(key) ?? key;
        return RawCodec.IsRawElement(key) || key.IsEnum || s_simpleKeys.Contains(key)
            ? null
            : $"its keys are {Describe(key)}; dictionary keys must be strings, numbers, enums, Guids or dates";
    }

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = ReflectionOnly)]
    private static string? Members(Type type, JsonTypeInfo info, HashSet<Type> visiting)
    {
        if (type.IsInterface || type.IsAbstract)
        {
            return $"{Describe(type)} is {(type.IsInterface ? "an interface" : "abstract")}, and the worker never reads a type name " +
                "to choose a concrete type; declare a concrete type";
        }

        // A property that can be written back (setter of any visibility, or constructor parameter) carries its
        // backing field; a get-only property with no field of its own is computed, and recomputed on arrival.
        var carried = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in info.Properties)
        {
            var name = (property.AttributeProvider as MemberInfo)?.Name ?? property.Name;
            if (property.Set is not null || property.AssociatedParameter is not null)
            {
                carried.Add(name);
            }

            if (property.Get is not null && Check(property.PropertyType, visiting) is { } why)
            {
                return $"{Describe(type)}.{name} ({Describe(property.PropertyType)}): {why}";
            }
        }

        if (!type.IsValueType && info.CreateObject is null && !info.Properties.Any(p => p.AssociatedParameter is not null)
            && type.GetConstructor(Type.EmptyTypes) is null)
        {
            return $"{Describe(type)} has no public constructor the serializer can call";
        }

        foreach (var field in StateFields(type))
        {
            var owner = BackingFieldOwner(field.Name) ?? field.Name.TrimStart('_');
            if (owner.StartsWith("m_", StringComparison.Ordinal))
            {
                owner = owner[2..];
            }

            if (!carried.Contains(owner))
            {
                return $"{Describe(type)} keeps state in {(BackingFieldOwner(field.Name) is { } p ? $"the property {p}" : $"the field {field.Name}")}, " +
                    "which no public property with a setter or constructor parameter carries back";
            }
        }

        return null;
    }

    /// <summary>Every instance field of the type and its bases.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = ReflectionOnly)]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = ReflectionOnly)]
    private static IEnumerable<FieldInfo> StateFields(Type type)
    {
        for (var t = type; t is not null && t != typeof(object) && t != typeof(ValueType); t = t.BaseType)
        {
            foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (field.Name == "EqualityContract" || field.IsDefined(typeof(NonSerializedAttribute)))
                {
                    continue;
                }

                yield return field;
            }
        }
    }

    private static string? BackingFieldOwner(string fieldName) =>
        fieldName.StartsWith('<') && fieldName.IndexOf(">k__BackingField", StringComparison.Ordinal) is > 1 and var end
            ? fieldName[1..end]
            : null;

    private static string Describe(Type type)
    {
        if (!type.IsGenericType)
        {
            return type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false) ? type.Name : type.FullName ?? type.Name;
        }

        var name = type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)];
        return $"{type.Namespace}.{name}<{string.Join(", ", type.GetGenericArguments().Select(Describe))}>";
    }
}
