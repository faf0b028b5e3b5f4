using System.Globalization;
using System.Text;

namespace Weft.Download;

/// <summary>Text that came from a server or a URL, made safe to print: control characters (C0, DEL, C1:
/// ESC would start a terminal escape sequence, BEL end one), bidi overrides and other invisible format
/// characters, line and paragraph separators, and lone surrogates become <c>\xNN</c> / <c>\u{NNNN}</c>.</summary>
internal static class Printable
{
    /// <summary>A URL to print: its password replaced by <c>***</c>, then escaped.</summary>
    public static string Url(Uri url) =>
        Escape(url.UserInfo.Contains(':', StringComparison.Ordinal) ? new UriBuilder(url) { Password = "***" }.Uri.AbsoluteUri : url.AbsoluteUri);

    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        StringBuilder? escaped = null;
        var index = 0;
        while (index < text.Length)
        {
            var status = Rune.DecodeFromUtf16(text.AsSpan(index), out var rune, out var consumed);
            var unsafeRune = status != System.Buffers.OperationStatus.Done || IsUnsafe(rune);
            if (unsafeRune && escaped is null)
            {
                escaped = new StringBuilder(text.Length + 16).Append(text, 0, index);
            }

            if (unsafeRune)
            {
                var value = status == System.Buffers.OperationStatus.Done ? rune.Value : text[index];
                escaped!.Append(value < 0x100 ? string.Create(CultureInfo.InvariantCulture, $"\\x{value:x2}") : string.Create(CultureInfo.InvariantCulture, $"\\u{{{value:x4}}}"));
            }
            else
            {
                escaped?.Append(text, index, consumed);
            }

            index += consumed;
        }

        return escaped?.ToString() ?? text;
    }

    /// <summary>Control, format (U+202E, U+200B, U+FEFF, the tag characters of plane 14...), line and
    /// paragraph separators, and unassigned or private code points would hide or fake what is printed.</summary>
    public static bool IsUnsafe(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate;
}
