namespace Weft.Images;

/// <summary>One request the <see cref="ImageServer"/> answered, for tests that check what a client
/// sent and how requests overlapped (per host, as the client named it).</summary>
/// <param name="Host">The <c>Host</c> header (<c>127.0.0.1:PORT</c> or <c>localhost:PORT</c>: one server, two host names).</param>
/// <param name="Path">The path and query.</param>
/// <param name="Headers">The request headers.</param>
/// <param name="Started">When the request arrived (<see cref="System.Diagnostics.Stopwatch"/> ticks).</param>
/// <param name="Ended">When the response was done.</param>
/// <param name="Status">The status answered.</param>
public sealed record ServedRequest(string Host, string Path, IReadOnlyDictionary<string, string> Headers, long Started, long Ended, int Status)
{
    /// <summary>Whether this request was in flight at any moment <paramref name="other"/> was.</summary>
    /// <param name="other">Another request.</param>
    /// <returns><see langword="true"/> when they overlapped in time.</returns>
    public bool Overlaps(ServedRequest other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Started < other.Ended && other.Started < Ended;
    }
}
