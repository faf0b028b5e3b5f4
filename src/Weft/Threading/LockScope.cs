namespace Weft.Threading;

/// <summary>One level of ownership of a <see cref="Condition"/>'s lock; <see cref="Dispose"/> releases that level.</summary>
/// <remarks>
/// <para>Python: the <c>with cond:</c> block (<c>__enter__</c>/<c>__exit__</c>). Use it with <c>using</c>:
/// <c>using (cond.Acquire()) { ... }</c>. Dispose it once, on the thread that acquired it; the default
/// value owns nothing and disposing it does nothing.</para>
/// <para>A <see langword="ref"/> struct, as the BCL's <c>Lock.Scope</c> is: the lock belongs to a thread, so a
/// scope held across an <see langword="await"/> (which may resume on another thread) does not compile.</para>
/// </remarks>
public ref struct LockScope
{
    private Condition? _condition;

    internal LockScope(Condition condition) => _condition = condition;

    /// <summary>Releases one level of the lock; a second call does nothing.</summary>
    /// <exception cref="SynchronizationLockException">The calling thread does not hold the lock.</exception>
    public void Dispose()
    {
        var condition = _condition;
        _condition = null;
        condition?.Release();
    }
}
