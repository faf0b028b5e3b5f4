using System.Globalization;
using System.Text;

namespace Weft.Download;

/// <summary>
/// What weft knows about a file it wrote: <c>name.meta</c> beside a complete file (so a re-run can ask
/// the server "changed since?" and can tell its own file from the user's), and <c>name.part.meta</c>
/// beside a kept <c>.part</c> (the validator for <c>If-Range</c>). One <c>key value</c> per line.
/// </summary>
/// <param name="Url">The URL the file came from.</param>
/// <param name="ETag">The server's ETag, if any.</param>
/// <param name="LastModified">The server's Last-Modified (RFC 1123), if any.</param>
/// <param name="Length">The file's length when weft finished it (complete files only).</param>
/// <param name="WriteTicks">The file's last-write time (UTC ticks) when weft finished it; a later edit
/// by anyone else changes it, and the file is no longer weft's to replace.</param>
internal sealed record MetaFile(Uri Url, string? ETag, string? LastModified, long? Length = null, long? WriteTicks = null)
{
    /// <summary>The suffix of a meta file.</summary>
    public const string Suffix = ".meta";

    /// <summary>The validator for <c>If-Range</c>: the ETag, else Last-Modified.</summary>
    public string? Validator => ETag ?? LastModified;

    /// <summary>Reads <paramref name="path"/>, written for <paramref name="url"/>; <see langword="null"/> when it is missing, unreadable or
    /// malformed (then weft simply knows nothing about the file: never a crash, never a lost row).</summary>
    public static MetaFile? TryRead(string path, Uri url)
    {
        try
        {
            if (!File.Exists(path) || new FileInfo(path).Length > 64 * 1024)
            {
                return null;
            }

            var lines = File.ReadAllLines(path);
            if (lines is [var only] && !only.StartsWith("url ", StringComparison.Ordinal) && only.Trim().Length > 0)
            {
                // The first release wrote the bare validator of a .part.
                var validator = only.Trim();
                return validator.StartsWith('"') || validator.StartsWith("W/", StringComparison.Ordinal)
                    ? new MetaFile(url, validator, null)
                    : new MetaFile(url, null, validator);
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in lines)
            {
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                if (space > 0)
                {
                    values[line[..space]] = line[(space + 1)..];
                }
            }

            if (!values.TryGetValue("url", out var written) || !Uri.TryCreate(written, UriKind.Absolute, out var uri))
            {
                return null;
            }

            return new MetaFile(uri, values.GetValueOrDefault("etag"), values.GetValueOrDefault("last-modified"), Long("length"), Long("write-ticks"));

            long? Long(string key) =>
                values.TryGetValue(key, out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="path"/> is, as far as anyone can tell, the file weft left there
    /// for <paramref name="url"/>: same URL, same length, not written since.</summary>
    public bool Describes(string path, Uri url)
    {
        var file = new FileInfo(path);
        return Url == url && file.Exists && file.Length == Length && file.LastWriteTimeUtc.Ticks == WriteTicks;
    }

    /// <summary>Writes the meta file, replacing an old one without following a symbolic link.</summary>
    public void Write(string path)
    {
        var text = new StringBuilder();
        text.Append("url ").Append(Url.AbsoluteUri).Append('\n');
        Line("etag", ETag);
        Line("last-modified", LastModified);
        Line("length", Length?.ToString(CultureInfo.InvariantCulture));
        Line("write-ticks", WriteTicks?.ToString(CultureInfo.InvariantCulture));
        PartFile.WriteNew(path, Encoding.UTF8.GetBytes(text.ToString()));

        void Line(string key, string? value)
        {
            // A header value with a line break would forge keys; such a validator is dropped.
            if (value is not null && !value.AsSpan().ContainsAny('\r', '\n'))
            {
                text.Append(key).Append(' ').Append(value).Append('\n');
            }
        }
    }
}
