using System.Collections.Frozen;

namespace Weft.Processes;

/// <summary>
/// An exception as it crosses the pipe: type name, message and stack trace as text, and its inner exception.
/// The parent rebuilds a fixed set of BCL exception types (by a lookup in its own table, never by loading the
/// named type); anything else becomes a <see cref="RemoteException"/>.
/// </summary>
internal static class RemoteError
{
    private const int MaxDepth = 4;

    private static readonly FrozenDictionary<string, Func<string, Exception, Exception>> s_known =
        new Dictionary<string, Func<string, Exception, Exception>>
        {
            ["System.Exception"] = static (m, i) => new Exception(m, i),
            ["System.ArgumentException"] = static (m, i) => new ArgumentException(m, i),
            ["System.ArgumentNullException"] = static (m, i) => new ArgumentNullException(m, i),
            ["System.ArgumentOutOfRangeException"] = static (m, i) => new ArgumentOutOfRangeException(m, i),
            ["System.InvalidOperationException"] = static (m, i) => new InvalidOperationException(m, i),
            ["System.NotSupportedException"] = static (m, i) => new NotSupportedException(m, i),
            ["System.NotImplementedException"] = static (m, i) => new NotImplementedException(m, i),
            ["System.ArithmeticException"] = static (m, i) => new ArithmeticException(m, i),
            ["System.DivideByZeroException"] = static (m, i) => new DivideByZeroException(m, i),
            ["System.OverflowException"] = static (m, i) => new OverflowException(m, i),
            ["System.FormatException"] = static (m, i) => new FormatException(m, i),
            ["System.InvalidCastException"] = static (m, i) => new InvalidCastException(m, i),
            ["System.IndexOutOfRangeException"] = static (m, i) => new IndexOutOfRangeException(m, i),
            ["System.NullReferenceException"] = static (m, i) => new NullReferenceException(m, i),
            ["System.TimeoutException"] = static (m, i) => new TimeoutException(m, i),
            ["System.OperationCanceledException"] = static (m, i) => new OperationCanceledException(m, i),
            ["System.Threading.Tasks.TaskCanceledException"] = static (m, i) => new TaskCanceledException(m, i),
            ["System.Collections.Generic.KeyNotFoundException"] = static (m, i) => new KeyNotFoundException(m, i),
            ["System.IO.IOException"] = static (m, i) => new IOException(m, i),
            ["System.IO.FileNotFoundException"] = static (m, i) => new FileNotFoundException(m, i),
            ["System.IO.DirectoryNotFoundException"] = static (m, i) => new DirectoryNotFoundException(m, i),
            ["System.IO.InvalidDataException"] = static (m, i) => new InvalidDataException(m, i),
            ["System.UnauthorizedAccessException"] = static (m, i) => new UnauthorizedAccessException(m, i),
            ["System.ApplicationException"] = static (m, i) => new ApplicationException(m, i),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Writes <c>[string type][string message][string stack][int32 innerCount][inners]</c>: every inner
    /// exception of an <see cref="AggregateException"/>, otherwise the one <see cref="Exception.InnerException"/>.</summary>
    /// <remarks>Never throws: an exception whose <c>Message</c>, <c>StackTrace</c> or inner exceptions cannot be read
    /// is described by what can be (its type name, a stack trace taken from the exception object), because a
    /// worker that fails while reporting a failure would break the whole pool.</remarks>
    public static void Write(BodyWriter writer, Exception error, int depth = 0)
    {
        var type = error.GetType();
        var typeName = type.FullName ?? type.Name;
        writer.WriteString(typeName);
        writer.WriteString(TryRead(error, static e => e.Message) ?? $"(the {typeName}'s Message could not be read)");
        writer.WriteString(TryRead(error, static e => e.StackTrace)
            ?? TryRead(error, static e => new System.Diagnostics.StackTrace(e, fNeedFileInfo: false).ToString()));
        var inners = depth < MaxDepth ? TryRead(error, Inners) ?? [] : [];
        writer.WriteInt32(inners.Count);
        foreach (var inner in inners)
        {
            Write(writer, inner, depth + 1);
        }
    }

    /// <summary>Reads an error and rebuilds it: a known type with a <see cref="RemoteException"/> (the remote
    /// trace) as its inner exception, as CPython chains <c>_RemoteTraceback</c>; an <see cref="AggregateException"/>
    /// with all its inner exceptions; otherwise a <see cref="RemoteException"/>.</summary>
    public static Exception Read(ref BodyReader reader, int depth = 0)
    {
        var typeName = reader.ReadString() ?? "System.Exception";
        var message = reader.ReadString() ?? string.Empty;
        var stack = reader.ReadString();
        var count = reader.ReadInt32();
        if (count < 0 || count > reader.Rest.Length || depth > MaxDepth)
        {
            throw new InvalidDataException($"Corrupt error record ({count} inner exceptions at depth {depth}).");
        }

        var inners = new List<Exception>(count);
        for (var i = 0; i < count; i++)
        {
            inners.Add(Read(ref reader, depth + 1));
        }

        if (typeName == typeof(AggregateException).FullName)
        {
            return new AggregateException(WithoutInnerMessages(message, inners), inners);
        }

        var remote = new RemoteException(typeName, message, stack, inners.FirstOrDefault());
        return s_known.TryGetValue(typeName, out var rebuild) ? rebuild(message, remote) : remote;
    }

    private static IReadOnlyList<Exception> Inners(Exception error) =>
        error is AggregateException aggregate ? aggregate.InnerExceptions
        : error.InnerException is { } inner ? [inner]
        : [];

    private static T? TryRead<T>(Exception error, Func<Exception, T?> read)
        where T : class
    {
        try
        {
            return read(error);
        }
#pragma warning disable CA1031 // Describing a failure must never fail: what cannot be read is left out.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    /// <summary>An AggregateException's Message ends with " (inner message)" per inner exception, which the rebuilt
    /// one appends again: strip them.</summary>
    private static string? WithoutInnerMessages(string message, List<Exception> inners)
    {
        var suffix = string.Concat(inners.Select(i => $" ({i.Message})"));
        return suffix.Length > 0 && message.EndsWith(suffix, StringComparison.Ordinal) ? message[..^suffix.Length] : message;
    }
}
