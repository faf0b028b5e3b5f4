using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;

namespace Weft.Processes;

/// <summary>Names and families of types, for the closed set (<see cref="ValueShapes"/>) and its messages.</summary>
internal static class ValueTypes
{
    /// <summary>Framework value types that cross as their bytes in memory (<see cref="RawValueCodec{T}"/>), besides
    /// primitives and enums: each is one or more integers with no padding, so its bytes are its value.</summary>
    private static readonly HashSet<Type> s_raw =
    [
        typeof(decimal), typeof(DateTime), typeof(TimeSpan), typeof(Guid), typeof(DateOnly), typeof(TimeOnly), typeof(Half),
        typeof(Int128), typeof(UInt128), typeof(Complex), typeof(Rune),
    ];

    /// <summary>Whether values of <paramref name="type"/> are their bytes: primitives (not IntPtr), enums and the types above.</summary>
    public static bool IsRaw(Type type) =>
        (type.IsPrimitive && type != typeof(IntPtr) && type != typeof(UIntPtr)) || type.IsEnum || s_raw.Contains(type);

    /// <summary>Whether <paramref name="type"/> comes with .NET (or another Microsoft package) rather than the application:
    /// such a type crosses only if the closed set names it, because its private fields are not a promise.</summary>
    public static bool IsFramework(Type type)
    {
        var assembly = type.Assembly;
        if (assembly == typeof(object).Assembly)
        {
            return true;
        }

        var name = assembly.FullName ?? "";
        return name.StartsWith("System.", StringComparison.Ordinal) || name.StartsWith("System,", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.", StringComparison.Ordinal) || name.StartsWith("mscorlib", StringComparison.Ordinal)
            || name.StartsWith("netstandard", StringComparison.Ordinal);
    }

    /// <summary>A type as C# writes it (<c>System.Collections.Generic.List&lt;System.Int32&gt;</c>), for messages.</summary>
    public static string Describe(Type type)
    {
        if (type.IsArray)
        {
            return $"{Describe(type.GetElementType()!)}[{new string(',', type.GetArrayRank() - 1)}]";
        }

        if (!type.IsGenericType)
        {
            return type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false) ? type.Name : type.FullName ?? type.Name;
        }

        var tick = type.Name.IndexOf('`', StringComparison.Ordinal);
        var name = tick < 0 ? type.Name : type.Name[..tick];
        var outer = type.IsNested && type.DeclaringType is { } declaring ? Describe(declaring) + "+" : type.Namespace + ".";
        return $"{outer}{name}<{string.Join(", ", type.GetGenericArguments().Select(Describe))}>";
    }

    /// <summary>The name a user knows a field by: a property's name for its backing field (<c>&lt;Name&gt;k__BackingField</c>),
    /// a primary constructor parameter's name for its captured field (<c>&lt;name&gt;P</c>).</summary>
    public static string MemberName(string fieldName)
    {
        if (!fieldName.StartsWith('<'))
        {
            return fieldName;
        }

        var end = fieldName.IndexOf('>', StringComparison.Ordinal);
        return end > 1 ? fieldName[1..end] : fieldName;
    }
}
