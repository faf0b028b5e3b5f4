namespace Weft.Processes;

/// <summary>
/// The rule for what crosses a process boundary: a value arrives exactly as it left, or its declared type is refused
/// up front (at <c>Submit</c>, before any work runs) with an <see cref="ArgumentException"/> naming the type and the
/// member that cannot cross. The set of types that cross is closed (<see cref="ValueShapes"/>, docs/processes.md
/// "What crosses"); what only a value can show (a subclass instance, a comparer, a cycle) is refused while it is
/// serialized, still before anything runs (<see cref="Wire.Serialize{T}"/>).
/// </summary>
internal static class WireContract
{
    /// <summary>Throws unless values of <paramref name="type"/> cross exactly.</summary>
    /// <param name="type">The declared type.</param>
    /// <param name="role">What the value is, for the message ("argument", "result").</param>
    /// <param name="paramName">The parameter the exception names.</param>
    /// <exception cref="ArgumentException">The type cannot cross; the message names it and the member at fault.</exception>
    public static void EnsureCanCross(Type type, string role, string paramName)
    {
        if (!Wire.FullCodec)
        {
            if (!RawCodec.Crosses(type))
            {
                throw new ArgumentException(
                    $"The {role} type {ValueTypes.Describe(type)} cannot cross to a worker process in a trimmed or Native AOT app, where values " +
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
            throw new ArgumentException($"The {role} type {ValueTypes.Describe(type)} cannot cross to a worker process: {why}", paramName);
        }
    }

    /// <summary>Null when <paramref name="type"/> crosses exactly; otherwise the reason, naming the member.</summary>
    public static string? WhyNot(Type type) =>
        type == typeof(VoidResult) || RawCodec.Crosses(type) ? null : ValueCodecs.WhyNot(type);
}
