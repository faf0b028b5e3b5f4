using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Weft.Processes;

/// <summary>
/// Async results cross as what they complete with: the worker awaits a <c>Task&lt;R&gt;</c> or <c>ValueTask&lt;R&gt;</c>
/// (and a <c>Task&lt;R&gt;[]</c> of a <c>Map</c> chunk) and sends R; the parent hands back a completed task of that R.
/// A task that fails throws where the worker awaits it, so its exception is the call's exception. Chosen by
/// <see cref="RawCodec{T}"/> from the declared type.
/// </summary>
internal static class AsyncCodec
{
    /// <summary>The awaited type of an async type (<c>void</c> for <c>Task</c> and <c>ValueTask</c>), or null.</summary>
    public static Type? ResultOf(Type type)
    {
        if (type == typeof(Task) || type == typeof(ValueTask))
        {
            return typeof(void);
        }

        if (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            return type.GetGenericArguments()[0];
        }

        return null;
    }

    public static (MethodInfo? Write, MethodInfo? Read) Methods(Type type)
    {
        if (type == typeof(Task))
        {
            return (Method(nameof(WriteTask)), Method(nameof(ReadTask)));
        }

        if (type == typeof(ValueTask))
        {
            return (Method(nameof(WriteValueTask)), Method(nameof(ReadValueTask)));
        }

        if (type.IsSZArray && ResultOf(type.GetElementType()!) is { } element && element != typeof(void)
            && type.GetElementType()!.GetGenericTypeDefinition() == typeof(Task<>))
        {
            return (Method(nameof(WriteTaskArray), element), Method(nameof(ReadTaskArray), element));
        }

        if (type.IsSZArray && ResultOf(type.GetElementType()!) is { } valueElement && valueElement != typeof(void))
        {
            return (Method(nameof(WriteValueTaskArray), valueElement), Method(nameof(ReadValueTaskArray), valueElement));
        }

        if (!type.IsGenericType || ResultOf(type) is not { } result || result == typeof(void))
        {
            return (null, null);
        }

        return type.GetGenericTypeDefinition() == typeof(Task<>)
            ? (Method(nameof(WriteTaskOf), result), Method(nameof(ReadTaskOf), result))
            : (Method(nameof(WriteValueTaskOf), result), Method(nameof(ReadValueTaskOf), result));
    }

    public static byte[] WriteTask(Task task)
    {
        task.GetAwaiter().GetResult();
        return [];
    }

    public static Task ReadTask(ReadOnlySpan<byte> bytes) => Task.CompletedTask;

    public static byte[] WriteValueTask(ValueTask task)
    {
        task.GetAwaiter().GetResult();
        return [];
    }

    public static ValueTask ReadValueTask(ReadOnlySpan<byte> bytes) => ValueTask.CompletedTask;

    public static byte[] WriteTaskOf<TResult>(Task<TResult> task) => Wire.Serialize(task.GetAwaiter().GetResult());

    public static Task<TResult> ReadTaskOf<TResult>(ReadOnlySpan<byte> bytes) => Task.FromResult(Wire.Deserialize<TResult>(bytes));

    public static byte[] WriteValueTaskOf<TResult>(ValueTask<TResult> task) => Wire.Serialize(task.GetAwaiter().GetResult());

    public static ValueTask<TResult> ReadValueTaskOf<TResult>(ReadOnlySpan<byte> bytes) => ValueTask.FromResult(Wire.Deserialize<TResult>(bytes));

    public static byte[] WriteTaskArray<TResult>(Task<TResult>[] tasks) =>
        Wire.Serialize(Array.ConvertAll(tasks, static t => t.GetAwaiter().GetResult()));

    public static Task<TResult>[] ReadTaskArray<TResult>(ReadOnlySpan<byte> bytes) =>
        Array.ConvertAll(Wire.Deserialize<TResult[]>(bytes), static r => Task.FromResult(r));

    public static byte[] WriteValueTaskArray<TResult>(ValueTask<TResult>[] tasks) =>
        Wire.Serialize(Array.ConvertAll(tasks, static t => t.GetAwaiter().GetResult()));

    public static ValueTask<TResult>[] ReadValueTaskArray<TResult>(ReadOnlySpan<byte> bytes) =>
        Array.ConvertAll(Wire.Deserialize<TResult[]>(bytes), static r => ValueTask.FromResult(r));

    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Reached only where Wire.FullCodec is true (a JIT): " +
        "in a trimmed or Native AOT app Submit refuses async results before anything is serialized.")]
    [UnconditionalSuppressMessage("Trimming", "IL2060", Justification = "Weft's own generic methods, whose type parameters carry no annotations.")]
    private static MethodInfo Method(string name, Type? element = null)
    {
        var method = typeof(AsyncCodec).GetMethod(name, BindingFlags.Public | BindingFlags.Static)!;
        return element is null ? method : method.MakeGenericMethod(element);
    }
}
