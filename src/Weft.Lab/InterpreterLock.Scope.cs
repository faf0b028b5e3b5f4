namespace Weft.Lab;

/// <content>The scope returned by <see cref="InterpreterLock.Enter"/>.</content>
public sealed partial class InterpreterLock
{
    /// <summary>Ownership of an <see cref="InterpreterLock"/>; <see cref="Dispose"/> releases it.</summary>
    /// <remarks>Python: the span between <c>take_gil()</c> and <c>drop_gil()</c>. Dispose it once, on the thread that entered.</remarks>
#pragma warning disable CA1034 // Nested so the lab reads gil.Enter() -> InterpreterLock.Scope, the shape the lab and demo code against.
    public readonly struct Scope : IDisposable, IEquatable<Scope>
#pragma warning restore CA1034
    {
        private readonly InterpreterLock? _owner;

        internal Scope(InterpreterLock owner) => _owner = owner;

        /// <summary>Releases the lock, handing it to the longest-waiting thread if any.</summary>
        /// <exception cref="SynchronizationLockException">The calling thread does not hold the lock.</exception>
        public void Dispose() => _owner?.Release();

        /// <inheritdoc/>
        public bool Equals(Scope other) => ReferenceEquals(_owner, other._owner);

        /// <inheritdoc/>
        public override bool Equals(object? obj) => obj is Scope other && Equals(other);

        /// <inheritdoc/>
        public override int GetHashCode() => _owner?.GetHashCode() ?? 0;

        /// <summary>Compares two scopes: equal when they belong to the same lock.</summary>
        /// <param name="left">The first scope.</param>
        /// <param name="right">The second scope.</param>
        /// <returns>true when both belong to the same lock (or both to none).</returns>
        public static bool operator ==(Scope left, Scope right) => left.Equals(right);

        /// <summary>Compares two scopes: different when they belong to different locks.</summary>
        /// <param name="left">The first scope.</param>
        /// <param name="right">The second scope.</param>
        /// <returns>true when they belong to different locks.</returns>
        public static bool operator !=(Scope left, Scope right) => !left.Equals(right);
    }
}
