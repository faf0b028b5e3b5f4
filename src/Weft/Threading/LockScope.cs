namespace Weft.Threading;

/// <summary>One level of ownership of a <see cref="Condition"/>'s lock; <see cref="Dispose"/> releases that level.</summary>
/// <remarks>
/// <para>Python: the <c>with cond:</c> block (<c>__enter__</c>/<c>__exit__</c>). Use it with <c>using</c>:
/// <c>using (cond.Acquire()) { ... }</c>. Dispose it once, on the thread that acquired it; the default
/// value owns nothing and disposing it does nothing.</para>
/// </remarks>
public readonly struct LockScope : IDisposable, IEquatable<LockScope>
{
    private readonly Condition? _condition;

    internal LockScope(Condition condition) => _condition = condition;

    /// <summary>Releases one level of the lock.</summary>
    /// <exception cref="SynchronizationLockException">The calling thread does not hold the lock.</exception>
    public void Dispose() => _condition?.Release();

    /// <inheritdoc/>
    public bool Equals(LockScope other) => ReferenceEquals(_condition, other._condition);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is LockScope other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _condition?.GetHashCode() ?? 0;

    /// <summary>Compares two scopes: equal when they belong to the same condition.</summary>
    /// <param name="left">The first scope.</param>
    /// <param name="right">The second scope.</param>
    /// <returns>true when both belong to the same condition (or both to none).</returns>
    public static bool operator ==(LockScope left, LockScope right) => left.Equals(right);

    /// <summary>Compares two scopes: different when they belong to different conditions.</summary>
    /// <param name="left">The first scope.</param>
    /// <param name="right">The second scope.</param>
    /// <returns>true when they belong to different conditions.</returns>
    public static bool operator !=(LockScope left, LockScope right) => !left.Equals(right);
}
