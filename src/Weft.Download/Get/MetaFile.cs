using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Weft.Download;

/// <summary>
/// What weft knows about a file it wrote: <c>.NAME.meta</c> beside a complete file (so a re-run can ask
/// the server "changed since?" and can tell its own file from the user's), and <c>NAME.part.meta</c>
/// beside a <c>.part</c> (created exclusively with it: the proof that weft made that <c>.part</c>, and the
/// validator and length for a resume). One <c>key value</c> per line after the marker line.
/// </summary>
/// <remarks>No secrets: the URL is kept only as a sha256 of itself without its <c>user:password</c>, which is
/// all a re-run needs to match it. Read without following a link and at most <see cref="MaxBytes"/>.</remarks>
/// <param name="UrlKey">The sha256 (hex) of the URL without credentials (<see cref="KeyOf"/>).</param>
/// <param name="ETag">The server's ETag, if any.</param>
/// <param name="LastModified">The server's Last-Modified (RFC 1123), if any.</param>
/// <param name="Length">The file's length when weft finished it (complete files), or the length the first
/// response promised (a <c>.part</c>).</param>
/// <param name="WriteTicks">The file's last-write time (UTC ticks) when weft finished it; a later edit
/// by anyone else changes it, and the file is no longer weft's to replace.</param>
internal sealed record MetaFile(string UrlKey, string? ETag, string? LastModified, long? Length = null, long? WriteTicks = null)
{
    /// <summary>The suffix of a meta file.</summary>
    public const string Suffix = ".meta";

    /// <summary>The largest meta file read; anything longer is not weft's.</summary>
    public const int MaxBytes = 16 * 1024;

    private const string Marker = "weft-meta 2";

    /// <summary>The validator for <c>If-Range</c>: the ETag, else Last-Modified.</summary>
    public string? Validator => ETag ?? LastModified;

    /// <summary>The key a URL is matched by: the sha256 of the URL without <c>user:password@</c>.</summary>
    public static string KeyOf(Uri url) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(WithoutCredentials(url).AbsoluteUri)));

    /// <summary>The URL without its <c>user:password@</c>.</summary>
    public static Uri WithoutCredentials(Uri url) =>
        url.UserInfo.Length == 0 ? url : new UriBuilder(url) { UserName = string.Empty, Password = string.Empty }.Uri;

    /// <summary>Reads <paramref name="path"/>; <see langword="null"/> when it is missing, a link, not a regular
    /// file, longer than <see cref="MaxBytes"/> or not weft's (then weft knows nothing about the file: never a
    /// crash, never a lost row, and never a file it may replace).</summary>
    public static MetaFile? TryRead(string path)
    {
        try
        {
            using var stream = NativeFile.Open(path, FileAccess.Read, createNew: false);
            var buffer = new byte[MaxBytes + 1];
            var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            return read > MaxBytes ? null : Parse(new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, read));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="path"/> is a meta file weft wrote (so weft may replace or remove it).</summary>
    public static bool IsOurs(string path) => TryRead(path) is not null;

    /// <summary>Removes <paramref name="path"/> only when it is a meta file weft wrote.</summary>
    public static void DeleteIfOurs(string path)
    {
        if (IsOurs(path))
        {
            TryDelete(path);
        }
    }

    /// <summary>Whether this meta file was written for <paramref name="url"/>.</summary>
    public bool Matches(Uri url) => UrlKey.Length == 0 || UrlKey == KeyOf(url);

    /// <summary>Whether <paramref name="path"/> is, as far as anyone can tell, the file weft left there
    /// for <paramref name="url"/>: same URL, same length, not written since.</summary>
    public bool Describes(string path, Uri url)
    {
        var file = new FileInfo(path);
        return Matches(url) && file.Exists && file.LinkTarget is null && file.Length == Length && file.LastWriteTimeUtc.Ticks == WriteTicks;
    }

    /// <summary>Writes the meta file: created exclusively beside it, then renamed into place, and only
    /// when nothing is there or what is there is weft's own meta file (a user's file of that name is kept).</summary>
    /// <returns>Whether it was written.</returns>
    public bool TryWrite(string path)
    {
        var occupied = PartFile.Occupied(path);
        if (occupied && !IsOurs(path))
        {
            return false;
        }

        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = NativeFile.Open(temporary, FileAccess.Write, createNew: true))
            {
                stream.Write(Encoding.UTF8.GetBytes(Text()));
            }

            if (occupied)
            {
                File.Move(temporary, path, overwrite: true); // rename(2): replaces a link itself, never its target
                return true;
            }

            if (NativeFile.TryRenameNoReplace(temporary, path))
            {
                return true;
            }

            TryDelete(temporary);
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            return false;
        }
    }

    /// <summary>Creates <paramref name="path"/> exclusively (never over anything, never through a link).</summary>
    /// <exception cref="IOException">Something is there, or it cannot be written.</exception>
    public void CreateNew(string path)
    {
        using var stream = NativeFile.Open(path, FileAccess.Write, createNew: true);
        stream.Write(Encoding.UTF8.GetBytes(Text()));
    }

    private static MetaFile? Parse(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines is [var only] && IsValidator(only.Trim()))
        {
            // The first release wrote the bare validator of a .part.
            var validator = only.Trim();
            return validator.StartsWith('"') || validator.StartsWith("W/", StringComparison.Ordinal)
                ? new MetaFile(string.Empty, validator, null)
                : new MetaFile(string.Empty, null, validator);
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0)
            {
                values[line[..space]] = line[(space + 1)..].TrimEnd('\r');
            }
        }

        string key;
        if (lines.Length > 0 && lines[0].TrimEnd('\r') == Marker && values.TryGetValue("url-sha256", out var hash) && hash.Length == 64)
        {
            key = hash;
        }
        else if (values.TryGetValue("url", out var written) && Uri.TryCreate(written, UriKind.Absolute, out var uri))
        {
            key = KeyOf(uri); // the second release kept the whole URL
        }
        else
        {
            return null;
        }

        return new MetaFile(key, values.GetValueOrDefault("etag"), values.GetValueOrDefault("last-modified"), Long("length"), Long("write-ticks"));

        long? Long(string name) =>
            values.TryGetValue(name, out var value) && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    private static bool IsValidator(string text) =>
        (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
        || (text.StartsWith("W/\"", StringComparison.Ordinal) && text.EndsWith('"'))
        || DateTimeOffset.TryParseExact(text, "R", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover meta file never carries a final name.
        }
    }

    private string Text()
    {
        var text = new StringBuilder();
        text.Append(Marker).Append('\n');
        text.Append("url-sha256 ").Append(UrlKey).Append('\n');
        Line("etag", ETag);
        Line("last-modified", LastModified);
        Line("length", Length?.ToString(CultureInfo.InvariantCulture));
        Line("write-ticks", WriteTicks?.ToString(CultureInfo.InvariantCulture));
        return text.ToString();

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
