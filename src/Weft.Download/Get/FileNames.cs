using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Weft.Download;

/// <summary>
/// Turns URLs and server-supplied names into safe file names. Every name from the network is hostile
/// input: only its last path segment is kept, control and reserved characters are replaced, Windows
/// device names are defused, the length is capped, and <see cref="ResolveInside"/> checks the full path.
/// </summary>
internal static class FileNames
{
    /// <summary>Longest name in UTF-8 bytes (below the usual 255 so <c>.part</c> and suffixes fit).</summary>
    public const int MaxBytes = 200;

    private static readonly HashSet<string> s_reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
        "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    private static readonly Dictionary<string, string> s_extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["image/png"] = ".png",
        ["image/jpeg"] = ".jpg",
        ["image/gif"] = ".gif",
        ["image/webp"] = ".webp",
        ["image/svg+xml"] = ".svg",
        ["image/avif"] = ".avif",
        ["image/bmp"] = ".bmp",
        ["image/x-icon"] = ".ico",
        ["text/plain"] = ".txt",
        ["text/html"] = ".html",
        ["text/css"] = ".css",
        ["text/csv"] = ".csv",
        ["application/json"] = ".json",
        ["application/pdf"] = ".pdf",
        ["application/zip"] = ".zip",
        ["application/gzip"] = ".gz",
        ["application/xml"] = ".xml",
        ["text/xml"] = ".xml",
        ["video/mp4"] = ".mp4",
        ["audio/mpeg"] = ".mp3",
        ["application/javascript"] = ".js",
    };

    /// <summary>The %-decoded last path segment without the query, made safe; <see langword="null"/> if empty.</summary>
    public static string? FromUrl(Uri url)
    {
        var path = url.AbsolutePath;
        var slash = path.LastIndexOf('/');
        var segment = slash >= 0 ? path[(slash + 1)..] : path;
        return Sanitize(Uri.UnescapeDataString(segment));
    }

    /// <summary>The name from a <c>Content-Disposition</c> header (<c>filename*</c>, then
    /// <c>filename</c>), made safe; <see langword="null"/> when there is none or it is unusable.</summary>
    public static string? FromContentDisposition(ContentDispositionHeaderValue? header)
    {
        if (header is null)
        {
            return null;
        }

        return Sanitize(header.FileNameStar) ?? Sanitize(Unquote(header.FileName));
    }

    /// <summary>Makes <paramref name="name"/> a safe single file name, or <see langword="null"/> if
    /// nothing usable is left.</summary>
    public static string? Sanitize(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        // Basename only: both separators, whatever the platform, so "..\\x" cannot climb on Windows.
        var parts = name.Split('/', '\\');
        var last = parts.LastOrDefault(p => p.Trim().Length > 0 && p.Trim() != "." && p.Trim() != "..");
        if (last is null)
        {
            return null;
        }

        var builder = new StringBuilder(last.Length);
        for (var i = 0; i < last.Length; i++)
        {
            var c = last[i];
            var paired = char.IsHighSurrogate(c) ? i + 1 < last.Length && char.IsLowSurrogate(last[i + 1])
                : char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(last[i - 1]);
            builder.Append(IsUnsafe(c) || (char.IsSurrogate(c) && !paired) ? '_' : c);
        }

        // Windows drops trailing dots and spaces; leading dots would make hidden files or ".." tricks.
        var safe = builder.ToString().Trim().TrimEnd('.', ' ');
        if (safe.StartsWith('.'))
        {
            safe = "_" + safe.TrimStart('.');
        }

        if (safe.Length == 0 || safe.All(c => c == '_'))
        {
            return safe.Length == 0 ? null : safe;
        }

        var stem = safe.Split('.')[0].TrimEnd(' ');
        if (s_reserved.Contains(stem))
        {
            safe = "_" + safe;
        }

        return Cap(safe);
    }

    /// <summary>Adds an extension from the content type when <paramref name="name"/> has none.</summary>
    public static string WithExtension(string name, string? mediaType)
    {
        if (Path.HasExtension(name) || mediaType is null || !s_extensions.TryGetValue(mediaType, out var extension))
        {
            return name;
        }

        return Cap(name + extension);
    }

    /// <summary>A deterministic variant of <paramref name="name"/> for <paramref name="url"/>:
    /// <c>stem-1a2b3c4d.ext</c>, so URLs that differ only in the query get distinct, stable names.</summary>
    public static string Disambiguate(string name, Uri url)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url.AbsoluteUri)))[..8];
        var extension = Path.GetExtension(name);
        var stem = name[..^extension.Length];
        return Cap($"{stem}-{hash}{extension}");
    }

    /// <summary><c>name.1.ext</c>, <c>name.2.ext</c>, ...: the first that <paramref name="isFree"/> accepts.</summary>
    public static string Numbered(string name, Func<string, bool> isFree)
    {
        var extension = Path.GetExtension(name);
        var stem = name[..^extension.Length];
        for (var i = 1; ; i++)
        {
            var candidate = Cap($"{stem}.{i}{extension}");
            if (isFree(candidate))
            {
                return candidate;
            }
        }
    }

    /// <summary>The full path of <paramref name="name"/> in <paramref name="directory"/>, or an
    /// exception if it would land anywhere else (the last line of defence against traversal).</summary>
    public static string ResolveInside(string directory, string name)
    {
        var root = Path.GetFullPath(directory);
        var full = Path.GetFullPath(Path.Combine(root, name));
        var prefix = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        if (!full.StartsWith(prefix, StringComparison.Ordinal) || Path.GetDirectoryName(full) != Path.TrimEndingDirectorySeparator(root))
        {
            throw new InvalidDataException($"the name '{name}' would be written outside '{root}'");
        }

        return full;
    }

    /// <summary>Control characters, characters Windows reserves, and the invisible ones that make a name
    /// lie about itself: format characters (U+202E right-to-left override turns "gpj.exe" into
    /// "exe.jpg" on screen, U+200B zero-width space, U+FEFF, the bidi isolates), line and paragraph
    /// separators (lone surrogates are replaced by the caller).</summary>
    private static bool IsUnsafe(char c) =>
        char.IsControl(c) || c is '<' or '>' or ':' or '"' or '|' or '?' or '*'
        || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    private static string? Unquote(string? value) =>
        value is { Length: >= 2 } && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;

    private static string Cap(string name)
    {
        if (Encoding.UTF8.GetByteCount(name) <= MaxBytes)
        {
            return name;
        }

        var extension = Path.GetExtension(name);
        if (Encoding.UTF8.GetByteCount(extension) > 16)
        {
            extension = string.Empty;
        }

        var stem = name[..^Path.GetExtension(name).Length];
        while (Encoding.UTF8.GetByteCount(stem) + Encoding.UTF8.GetByteCount(extension) > MaxBytes)
        {
            stem = stem[..^1];
            if (stem.Length > 0 && char.IsHighSurrogate(stem[^1]))
            {
                stem = stem[..^1];
            }
        }

        return stem + extension;
    }
}
