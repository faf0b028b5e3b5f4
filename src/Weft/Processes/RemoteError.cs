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

    /// <summary>Writes <c>[string type][string message][string stack][byte hasInner][inner?]</c>.</summary>
    public static void Write(BodyWriter writer, Exception error, int depth = 0)
    {
        writer.WriteString(error.GetType().FullName ?? error.GetType().Name);
        writer.WriteString(error.Message);
        writer.WriteString(error.StackTrace);
        var inner = depth < MaxDepth ? error.InnerException : null;
        writer.WriteByte(inner is null ? (byte)0 : (byte)1);
        if (inner is not null)
        {
            Write(writer, inner, depth + 1);
        }
    }

    /// <summary>Reads an error and rebuilds it: a known type with a <see cref="RemoteException"/> (the remote
    /// trace) as its inner exception, as CPython chains <c>_RemoteTraceback</c>; otherwise a <see cref="RemoteException"/>.</summary>
    public static Exception Read(ref BodyReader reader, int depth = 0)
    {
        var typeName = reader.ReadString() ?? "System.Exception";
        var message = reader.ReadString() ?? string.Empty;
        var stack = reader.ReadString();
        Exception? inner = null;
        if (reader.ReadByte() == 1 && depth < MaxDepth)
        {
            inner = Read(ref reader, depth + 1);
        }

        var remote = new RemoteException(typeName, message, stack, inner);
        return s_known.TryGetValue(typeName, out var rebuild) ? rebuild(message, remote) : remote;
    }
}
