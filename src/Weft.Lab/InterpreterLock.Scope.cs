namespace Weft.Lab;

/// <content>The scope returned by <see cref="InterpreterLock.Enter"/>.</content>
public sealed partial class InterpreterLock
{
    /// <summary>Ownership of an <see cref="InterpreterLock"/>; <see cref="Dispose"/> releases it.</summary>
    /// <remarks>Python: the span between <c>take_gil()</c> and <c>drop_gil()</c>. Dispose it once, on the thread that entered.
    /// A <see langword="ref"/> struct, as the BCL's <c>Lock.Scope</c> is: the lock belongs to a thread, so holding a scope
    /// across an <see langword="await"/> does not compile.</remarks>
#pragma warning disable CA1034 // Nested so the lab reads gil.Enter() -> InterpreterLock.Scope, the shape the lab and demo code against.
    public ref struct Scope
#pragma warning restore CA1034
    {
        private InterpreterLock? _owner;

        internal Scope(InterpreterLock owner) => _owner = owner;

        /// <summary>Releases the lock, handing it to the longest-waiting thread if any; a second call does nothing.</summary>
        /// <exception cref="SynchronizationLockException">The calling thread does not hold the lock.</exception>
        public void Dispose()
        {
            var owner = _owner;
            _owner = null;
            owner?.Release();
        }
    }
}
