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

    /// <summary>The most numbered names tried (<c>name.1.ext</c> ... ) before a URL fails: every loop over
    /// names ends.</summary>
    public const int MaxNumbered = 9_999;

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

        // One code point at a time: a format character outside the basic plane (the tag characters of
        // plane 14, U+1D173...) is two UTF-16 units, neither of which is a format character alone.
        var builder = new StringBuilder(last.Length);
        var index = 0;
        while (index < last.Length)
        {
            var status = Rune.DecodeFromUtf16(last.AsSpan(index), out var rune, out var consumed);
            builder.Append(status != System.Buffers.OperationStatus.Done || IsUnsafe(rune) ? "_" : last.AsSpan(index, consumed));
            index += consumed;
        }

        // Windows drops trailing dots and spaces; leading dots would make hidden files or ".." tricks.
        var safe = builder.ToString().Trim().TrimEnd('.', ' ');
        if (safe.StartsWith('.'))
        {
            safe = "_" + safe.TrimStart('.');
        }

        if (safe.Length == 0)
        {
            return null;
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
    /// <c>stem-1a2b3c4d.ext</c>, so URLs that differ only in the query get distinct, stable names. The
    /// suffix survives the length cap (the stem is cut instead), so the variant always differs.</summary>
    public static string Disambiguate(string name, Uri url)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url.AbsoluteUri)))[..8];
        return WithSuffix(name, "-" + hash);
    }

    /// <summary><c>name.1.ext</c>, <c>name.2.ext</c>, ...: the first that <paramref name="isFree"/> accepts,
    /// among <see cref="MaxNumbered"/>.</summary>
    /// <exception cref="IOException">None is free.</exception>
    public static string Numbered(string name, Func<string, bool> isFree)
    {
        for (var i = 1; i <= MaxNumbered; i++)
        {
            var candidate = NumberedName(name, i);
            if (isFree(candidate))
            {
                return candidate;
            }
        }

        throw new IOException($"no free name for '{name}' among {MaxNumbered} numbered ones");
    }

    /// <summary><c>stem.N.ext</c>, capped by cutting the stem, never the number.</summary>
    public static string NumberedName(string name, int number) =>
        WithSuffix(name, "." + number.ToString(CultureInfo.InvariantCulture));

    /// <summary><c>stem + suffix + ext</c> within <see cref="MaxBytes"/>: the stem is cut to make room.</summary>
    private static string WithSuffix(string name, string suffix)
    {
        var extension = Path.GetExtension(name);
        if (Encoding.UTF8.GetByteCount(extension) > 16)
        {
            extension = string.Empty;
        }

        var stem = name[..^Path.GetExtension(name).Length];
        return CutStem(stem, suffix + extension);
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
    /// "exe.jpg" on screen, U+200B zero-width space, U+FEFF, the bidi isolates, the plane-14 tags), line
    /// and paragraph separators (lone surrogates are replaced by the caller).</summary>
    private static bool IsUnsafe(Rune rune) =>
        (rune.IsAscii && rune.Value is '<' or '>' or ':' or '"' or '|' or '?' or '*') || Printable.IsUnsafe(rune);

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

        return CutStem(name[..^Path.GetExtension(name).Length], extension);
    }

    /// <summary><paramref name="stem"/> cut (whole code points) until it and <paramref name="tail"/> fit.</summary>
    private static string CutStem(string stem, string tail)
    {
        var room = MaxBytes - Encoding.UTF8.GetByteCount(tail);
        while (stem.Length > 0 && Encoding.UTF8.GetByteCount(stem) > room)
        {
            stem = char.IsLowSurrogate(stem[^1]) && stem.Length > 1 ? stem[..^2] : stem[..^1];
        }

        return stem + tail;
    }
}
