using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Weft.Processes;

/// <summary>What a type needs to cross: its codec and the types of its parts (each with what it is, for messages), or
/// why it cannot.</summary>
internal readonly record struct ValuePlan(ValueCodec? Codec, (Type Type, string What)[] Needs, string? Refusal)
{
    public static ValuePlan Of(ValueCodec codec, params (Type Type, string What)[] needs) => new(codec, needs, null);

    public static ValuePlan No(string why) => new(null, [], why);
}

/// <summary>
/// THE closed set of shapes that cross (docs/processes.md, "What crosses", is this method in prose): each declared type
/// either has a codec here or a reason it is refused. Nothing is approximated: a type that is not named here and is
/// not the application's own class, struct or record is refused.
/// </summary>
[RequiresDynamicCode("Makes generic codecs for the application's types; used only where a JIT runs (Wire.FullCodec).")]
[RequiresUnreferencedCode("Reads every field of the application's types; used only in apps that are not trimmed (Wire.FullCodec).")]
internal static class ValueShapes
{
    private static readonly Dictionary<Type, string> s_collections = new()
    {
        [typeof(Queue<>)] = nameof(CollectionKinds.Queue),
        [typeof(Stack<>)] = nameof(CollectionKinds.Stack),
        [typeof(LinkedList<>)] = nameof(CollectionKinds.LinkedList),
        [typeof(HashSet<>)] = nameof(CollectionKinds.HashSet),
        [typeof(SortedSet<>)] = nameof(CollectionKinds.SortedSet),
        [typeof(Dictionary<,>)] = nameof(CollectionKinds.Dictionary),
        [typeof(SortedDictionary<,>)] = nameof(CollectionKinds.SortedDictionary),
        [typeof(SortedList<,>)] = nameof(CollectionKinds.SortedList),
        [typeof(ImmutableArray<>)] = nameof(CollectionKinds.ImmutableArray),
        [typeof(ImmutableList<>)] = nameof(CollectionKinds.ImmutableList),
        [typeof(ImmutableQueue<>)] = nameof(CollectionKinds.ImmutableQueue),
        [typeof(ImmutableStack<>)] = nameof(CollectionKinds.ImmutableStack),
        [typeof(ImmutableHashSet<>)] = nameof(CollectionKinds.ImmutableHashSet),
        [typeof(ImmutableSortedSet<>)] = nameof(CollectionKinds.ImmutableSortedSet),
        [typeof(ImmutableDictionary<,>)] = nameof(CollectionKinds.ImmutableDictionary),
        [typeof(ImmutableSortedDictionary<,>)] = nameof(CollectionKinds.ImmutableSortedDictionary),
        [typeof(IEnumerable<>)] = nameof(CollectionKinds.SequenceInterface),
        [typeof(IReadOnlyCollection<>)] = nameof(CollectionKinds.SequenceInterface),
        [typeof(IReadOnlyList<>)] = nameof(CollectionKinds.SequenceInterface),
        [typeof(ICollection<>)] = nameof(CollectionKinds.SequenceInterface),
        [typeof(IList<>)] = nameof(CollectionKinds.SequenceInterface),
        [typeof(ISet<>)] = nameof(CollectionKinds.SetInterface),
        [typeof(IReadOnlySet<>)] = nameof(CollectionKinds.SetInterface),
        [typeof(IDictionary<,>)] = nameof(CollectionKinds.DictionaryInterface),
        [typeof(IReadOnlyDictionary<,>)] = nameof(CollectionKinds.DictionaryInterface),
    };

    public static ValuePlan Plan(Type type)
    {
        if (NotData(type) is { } why)
        {
            return ValuePlan.No(why);
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return ValuePlan.Of(Make(typeof(NullableCodec<>), underlying), (underlying, "its value"));
        }

        if (type == typeof(string))
        {
            return ValuePlan.Of(new StringCodec());
        }

        if (ValueTypes.IsRaw(type))
        {
            return ValuePlan.Of(Make(typeof(RawValueCodec<>), type));
        }

        if (type == typeof(DateTimeOffset))
        {
            return ValuePlan.Of(new DateTimeOffsetCodec());
        }

        if (type == typeof(BigInteger))
        {
            return ValuePlan.Of(new BigIntegerCodec());
        }

        if (type.IsArray)
        {
            return type.IsSZArray
                ? ValuePlan.Of(Make(typeof(ArrayCodec<>), type.GetElementType()!), (type.GetElementType()!, "its elements"))
                : ValuePlan.No($"a {ValueTypes.Describe(type)} is not in the closed set: only one-dimensional arrays cross; use a jagged array (T[][])");
        }

        return type.IsGenericType ? Generic(type) : Other(type);
    }

    private static ValuePlan Generic(Type type)
    {
        var definition = type.GetGenericTypeDefinition();
        var arguments = type.GetGenericArguments();
        if (definition == typeof(List<>))
        {
            return ValuePlan.Of(Make(typeof(ListCodec<>), arguments[0]), (arguments[0], "its elements"));
        }

        if (definition == typeof(KeyValuePair<,>))
        {
            return ValuePlan.Of(Make(typeof(PairCodec<,>), arguments), (arguments[0], "its key"), (arguments[1], "its value"));
        }

        if (s_collections.TryGetValue(definition, out var kind))
        {
            var method = typeof(CollectionKinds).GetMethod(kind, BindingFlags.Public | BindingFlags.Static)!;
            var codec = (ValueCodec)method.MakeGenericMethod(type.IsInterface ? [type, .. arguments] : arguments).Invoke(null, null)!;
            return arguments.Length == 1
                ? ValuePlan.Of(codec, (arguments[0], "its elements"))
                : ValuePlan.Of(codec, (arguments[0], "its keys"), (arguments[1], "its values"), (typeof(KeyValuePair<,>).MakeGenericType(arguments), "its entries"));
        }

        return IsTuple(definition) ? Fields(type) : Other(type);
    }

    private static ValuePlan Other(Type type)
    {
        if (type.ContainsGenericParameters)
        {
            return ValuePlan.No($"{ValueTypes.Describe(type)} is an open generic type");
        }

        if (type.IsInterface || type.IsAbstract)
        {
            return ValuePlan.No($"{ValueTypes.Describe(type)} is {(type.IsInterface ? "an interface" : "abstract")}, and the receiver never reads a " +
                "type name to choose a concrete type; declare a concrete type");
        }

        if (ValueTypes.IsFramework(type))
        {
            return ValuePlan.No($"{ValueTypes.Describe(type)} is not in the closed set of types that cross (docs/processes.md, \"What crosses\"): " +
                "its private fields are .NET's, not a promise; send the data it holds (a string, numbers, a list)");
        }

        for (var baseType = type.BaseType; baseType is not null && baseType != typeof(object) && baseType != typeof(ValueType); baseType = baseType.BaseType)
        {
            if (ValueTypes.IsFramework(baseType))
            {
                return ValuePlan.No($"{ValueTypes.Describe(type)} derives from {ValueTypes.Describe(baseType)}, whose inner state is .NET's, so it would " +
                    "arrive without what it adds or without what it inherits; hold the collection in a member instead of deriving from it");
            }
        }

        if (type.IsExplicitLayout || type.IsDefined(typeof(InlineArrayAttribute), inherit: false))
        {
            return ValuePlan.No($"{ValueTypes.Describe(type)} has {(type.IsExplicitLayout ? "an explicit layout (overlapping fields)" : "an inline array")}, " +
                "whose bytes are not its fields; use arrays and plain fields");
        }

        return Fields(type);
    }

    /// <summary>Every instance field of the type and its bases, base first: <see cref="ObjectCodec{T}"/>.</summary>
    private static ValuePlan Fields(Type type)
    {
        var chain = new List<Type>();
        for (var t = type; t is not null && t != typeof(object) && t != typeof(ValueType); t = t.BaseType)
        {
            chain.Insert(0, t);
        }

        var memberType = typeof(MemberCodec<>).MakeGenericType(type);
        var members = new List<object>();
        var needs = new List<(Type, string)>();
        foreach (var declaring in chain)
        {
            foreach (var field in declaring.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (field.IsDefined(typeof(NonSerializedAttribute), inherit: false))
                {
                    continue;
                }

                var name = ValueTypes.MemberName(field.Name);
                if (field.IsDefined(typeof(FixedBufferAttribute), inherit: false))
                {
                    return ValuePlan.No($"{ValueTypes.Describe(type)}.{name} is a fixed-size buffer, whose elements are not fields; use an array");
                }

                members.Add(Activator.CreateInstance(typeof(FieldCodec<,>).MakeGenericType(type, field.FieldType), field, name)!);
                needs.Add((field.FieldType, $"{ValueTypes.Describe(type)}.{name}"));
            }
        }

        var array = Array.CreateInstance(memberType, members.Count);
        for (var i = 0; i < members.Count; i++)
        {
            array.SetValue(members[i], i);
        }

        return ValuePlan.Of((ValueCodec)Activator.CreateInstance(typeof(ObjectCodec<>).MakeGenericType(type), array)!, [.. needs]);
    }

    /// <summary>Why a value of this type is not data at all, or null.</summary>
    private static string? NotData(Type type)
    {
        if (type == typeof(object))
        {
            return "object says nothing about what to rebuild, and no type name is read off the wire; declare the real type";
        }

        if (type.IsPointer || type.IsByRef || type.IsFunctionPointer || type == typeof(IntPtr) || type == typeof(UIntPtr))
        {
            return $"a {ValueTypes.Describe(type)} is an address in this process, meaningless in another";
        }

        if (AsyncCodec.ResultOf(type) is not null)
        {
            return $"a {ValueTypes.Describe(type)} is a running operation, not a value; await it and pass its result";
        }

        if (typeof(Delegate).IsAssignableFrom(type) || typeof(MemberInfo).IsAssignableFrom(type) || typeof(Stream).IsAssignableFrom(type)
            || typeof(Exception).IsAssignableFrom(type) || typeof(WaitHandle).IsAssignableFrom(type) || type == typeof(CancellationToken))
        {
            return $"a {ValueTypes.Describe(type)} is not data (code, a handle or a live object of this process)";
        }

        if (type.Namespace == typeof(ConcurrentBag<>).Namespace)
        {
            return $"a {ValueTypes.Describe(type)} is a collection shared between threads, and a process shares nothing; copy it into a " +
                "List, Dictionary or array to send it";
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() is var d
            && (d == typeof(ArraySegment<>) || d == typeof(Memory<>) || d == typeof(ReadOnlyMemory<>)))
        {
            return $"a {ValueTypes.Describe(type)} is a window on an array of this process; send the part it shows (ToArray())";
        }

        return null;
    }

    private static bool IsTuple(Type definition) =>
        definition.Namespace == "System" && (definition.Name.StartsWith("ValueTuple`", StringComparison.Ordinal)
            || definition.Name.StartsWith("Tuple`", StringComparison.Ordinal));

    private static ValueCodec Make(Type definition, params Type[] arguments) =>
        (ValueCodec)Activator.CreateInstance(definition.MakeGenericType(arguments))!;
}
