using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Weft.Processes;

/// <summary>
/// The codecs of declared types, made once per type from the closed set (<see cref="ValueShapes"/>), or the reason a
/// type is refused. A type and everything it needs are made together under one lock and published only when all of
/// them cross and are linked, so a recursive type refers to its own codec and a refused part leaves nothing behind.
/// </summary>
internal static class ValueCodecs
{
    private const string JitOnly = "Reached only where Wire.FullCodec is true (a JIT, an untrimmed app): WireContract refuses, at " +
        "Submit, every type that is not raw in trimmed and Native AOT apps, so nothing gets here.";

    private static readonly Lock s_gate = new();
    private static readonly Dictionary<Type, ValueCodec> s_codecs = [];   // guarded by s_gate: complete, linked codecs
    private static readonly ConcurrentDictionary<Type, string?> s_verdicts = new();

    /// <summary>Null when values declared as <paramref name="type"/> cross; otherwise why not, naming the member.</summary>
    public static string? WhyNot(Type type)
    {
        if (s_verdicts.TryGetValue(type, out var known))
        {
            return known;
        }

        var verdict = Build(type, out _);
        s_verdicts.TryAdd(type, verdict);
        return verdict;
    }

    /// <summary>The codec of <typeparamref name="T"/>.</summary>
    /// <exception cref="CrossingRefusedException">The type is not in the closed set.</exception>
    public static ValueCodec<T> Of<T>() => Cache<T>.Codec ?? throw new CrossingRefusedException(Cache<T>.Refusal!);

    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = JitOnly)]
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = JitOnly)]
    private static string? Build(Type root, out ValueCodec? codec)
    {
        lock (s_gate)
        {
            if (s_codecs.TryGetValue(root, out codec))
            {
                return null;
            }

            var pending = new Dictionary<Type, ValueCodec>();
            if (Make(root, pending) is { } why)
            {
                return why;
            }

            ValueCodec Lookup(Type type) => pending.TryGetValue(type, out var made) ? made : s_codecs[type];
            foreach (var made in pending.Values)
            {
                made.Link(Lookup);
            }

            foreach (var (type, made) in pending)
            {
                s_codecs[type] = made;
            }

            codec = s_codecs[root];
            return null;
        }
    }

    /// <summary>Makes the codec of <paramref name="type"/> and of every part it needs, depth first.</summary>
    [RequiresDynamicCode("See ValueShapes.")]
    [RequiresUnreferencedCode("See ValueShapes.")]
    private static string? Make(Type type, Dictionary<Type, ValueCodec> pending)
    {
        if (s_codecs.ContainsKey(type) || pending.ContainsKey(type))
        {
            return null;   // made, or being made further up (a recursive type)
        }

        var plan = ValueShapes.Plan(type);
        if (plan.Refusal is { } refused)
        {
            return refused;
        }

        pending[type] = plan.Codec!;
        foreach (var (part, what) in plan.Needs)
        {
            if (Make(part, pending) is { } why)
            {
                return $"{what} ({ValueTypes.Describe(part)}): {why}";
            }
        }

        return null;
    }

    /// <summary>The codec of one type, looked up once.</summary>
    private static class Cache<T>
    {
        public static readonly ValueCodec<T>? Codec;
        public static readonly string? Refusal;

#pragma warning disable CA1810 // Both fields come from one lookup.
        static Cache()
#pragma warning restore CA1810
        {
            Refusal = Build(typeof(T), out var codec);
            Codec = (ValueCodec<T>?)codec;
        }
    }
}
