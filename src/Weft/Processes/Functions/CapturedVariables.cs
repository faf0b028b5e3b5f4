using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace Weft.Processes;

/// <summary>
/// The variables a capturing lambda actually uses. The compiler puts every variable captured in a scope into one
/// closure class shared by all the lambdas of that scope, so the closure's fields over-report: this reads the
/// lambda's IL for the closure fields it loads or stores.
/// </summary>
internal static class CapturedVariables
{
    private static readonly Dictionary<short, OpCode> s_opCodes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>The names the lambda <paramref name="method"/> captures (<c>this</c> for the enclosing instance),
    /// in first-use order; empty when its IL cannot be read or it reaches its captures only indirectly.</summary>
    public static IReadOnlyList<string> UsedBy(MethodInfo method)
    {
        var names = new List<string>();
        foreach (var field in FieldsUsed(method))
        {
            if (field.DeclaringType?.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false) != true
                || field.Name.StartsWith("CS$<>", StringComparison.Ordinal))
            {
                continue;   // not a closure, or the link to an enclosing scope's closure
            }

            var name = field.Name.EndsWith("__this", StringComparison.Ordinal) ? "this" : $"'{field.Name}'";
            if (!names.Contains(name))
            {
                names.Add(name);
            }
        }

        return names;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Only the message of a refused lambda: where the IL or a " +
        "field is gone (trimmed, or Native AOT), fewer names are reported, never a wrong one.")]
    private static IEnumerable<FieldInfo> FieldsUsed(MethodInfo method)
    {
        byte[]? il;
        try
        {
            il = method.GetMethodBody()?.GetILAsByteArray();
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException)
        {
            il = null;
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var at = 0;
        while (il is not null && at < il.Length)
        {
            var value = il[at] == 0xFE && at + 1 < il.Length ? (short)(0xFE00 | il[++at]) : il[at];
            at++;
            if (!s_opCodes.TryGetValue(value, out var opCode))
            {
                yield break;   // unreadable: report nothing rather than guess
            }

            if (opCode.OperandType == OperandType.InlineField && at + 4 <= il.Length
                && (opCode == OpCodes.Ldfld || opCode == OpCodes.Ldflda || opCode == OpCodes.Stfld))
            {
                var token = BitConverter.ToInt32(il, at);
                FieldInfo? field;
                try
                {
                    field = method.Module.ResolveField(token, typeArguments, methodArguments);
                }
                catch (ArgumentException)
                {
                    field = null;
                }

                if (field is not null)
                {
                    yield return field;
                }
            }

            at += OperandSize(opCode.OperandType, il, at);
        }
    }

    private static int OperandSize(OperandType type, byte[] il, int at) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => at + 4 <= il.Length ? 4 + (4 * BitConverter.ToInt32(il, at)) : il.Length,
        _ => 4,
    };
}
