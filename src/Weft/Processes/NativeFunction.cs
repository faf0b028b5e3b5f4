using System.Runtime.CompilerServices;

namespace Weft.Processes;

/// <summary>
/// How a Native AOT app names a function for its worker. The worker is the very same executable
/// (<see cref="ProcessPoolExecutor.FreezeSupport"/>), so a method's code sits at the same offset from any other
/// method's code in both processes, even though each process is mapped at its own address: a function is its
/// offset from <see cref="Anchor"/>, read from its method handle, which Native AOT keeps for every delegate target
/// (no <c>Assembly.Location</c>, metadata token or reflection lookup, none of which exist there).
/// </summary>
/// <remarks>
/// <para>The call itself goes through an entry (see <see cref="NativeEntries"/>): a generic method instantiated for
/// the submitted delegate's types. The parent's <c>Submit&lt;TArg, TResult&gt;</c> names it, which is what makes
/// the compiler emit that instantiation into the executable, and the worker finds it by offset the same way.</para>
/// <para>Definition frame: <c>[int32 id][byte shape][byte onLambdaSingleton][int64 layout][int64 function][int64 entry][string name]</c>.
/// The layout is a second method's offset: a worker whose executable was replaced by another build since the parent
/// started sees another value and refuses the function instead of jumping into foreign code. The frame comes only
/// from the parent that started this worker (the channel's token proves it), as with every other frame.</para>
/// </remarks>
internal static unsafe class NativeFunction
{
    /// <summary>Gets a value indicating whether this process is Native AOT, where functions are named by offset.</summary>
    public static bool IsNative => !RuntimeFeature.IsDynamicCodeSupported;

    private static nint Anchor => (nint)(delegate*<void>)&AnchorMethod;

    private static long Layout => (nint)(delegate*<long, nint>)&AddressOf - Anchor;

    /// <summary>The offset of code at <paramref name="address"/> from the anchor.</summary>
    public static long OffsetOf(nint address) => address - Anchor;

    /// <summary>Writes the definition of <paramref name="function"/>, whose entry the submitting call named.</summary>
    /// <exception cref="InvalidOperationException">The function was described without an entry (not by a process pool's Submit).</exception>
    public static void WriteDefinition(TaskFunction function, BodyWriter writer)
    {
        if (function.NativeEntry == 0)
        {
            throw new InvalidOperationException($"{function.DisplayName} was not described for a Native AOT worker.");
        }

        writer.WriteInt32(function.Id);
        writer.WriteByte((byte)function.Shape);
        writer.WriteByte(function.OnLambdaSingleton ? (byte)1 : (byte)0);
        writer.WriteInt64(Layout);
        writer.WriteInt64(OffsetOf(function.Method.MethodHandle.GetFunctionPointer()));
        writer.WriteInt64(OffsetOf(function.NativeEntry));
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

        _ = (TaskShape)reader.ReadByte();
        var onSingleton = reader.ReadByte() == 1;
        var layout = reader.ReadInt64();
        var function = reader.ReadInt64();
        var entry = reader.ReadInt64();
        var name = reader.ReadString();
        if (layout != Layout)
        {
            throw new InvalidOperationException(
                $"The worker is another build of the app than the parent (was the executable replaced while it ran?); cannot run {name}.");
        }

        return new NativeInvoker(AddressOf(entry), AddressOf(function), onSingleton);
    }

    private static nint AddressOf(long offset) => (nint)(Anchor + offset);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AnchorMethod()
    {
    }

    /// <summary>Calls a function through its entry.</summary>
    private sealed class NativeInvoker(nint entry, nint function, bool onLambdaSingleton) : Invoker
    {
        public override byte[] Invoke(ReadOnlySpan<byte> arguments, CancellationToken cancellationToken) =>
            ((delegate*<nint, bool, ReadOnlySpan<byte>, CancellationToken, byte[]>)entry)(function, onLambdaSingleton, arguments, cancellationToken);
    }
}
