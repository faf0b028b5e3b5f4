namespace Weft.Download;

/// <summary>Reads <c>sha256sum</c> output: <c>HASH  name</c> or <c>HASH *name</c> per line.</summary>
public static class ChecksumManifest
{
    /// <summary>Parses a manifest into hashes (lower-case hex) by entry (a file name or a URL) and by the
    /// basename of each entry.</summary>
    /// <param name="reader">The manifest.</param>
    /// <returns>The hashes by name.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> is null.</exception>
    /// <exception cref="FormatException">A line is not in <c>sha256sum</c> format; the message has its number.</exception>
    public static IReadOnlyDictionary<string, string> Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var hash = space > 0 ? line[..space] : string.Empty;
            if (hash.Length != 64 || !hash.All(char.IsAsciiHexDigit) || line.Length < space + 2)
            {
                throw new FormatException($"checksums line {number}: expected 'SHA256  NAME', got: {line}");
            }

            // Keyed by the entry as written (a URL, say) and by its basename (a planned file name).
            var entry = line[(space + 1)..].TrimStart(' ', '*');
            hashes[entry] = hash.ToLowerInvariant();
            hashes[entry.Split('/', '\\')[^1]] = hash.ToLowerInvariant();
        }

        return hashes;
    }
}
