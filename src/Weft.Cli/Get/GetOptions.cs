using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Weft.Download;

namespace Weft.Cli.Get;

/// <summary>The validators of <c>weft get</c>'s options: every value is checked while parsing, before any
/// request, so a bad one is a usage error (exit 2, one line) and never a crash after the downloads.</summary>
internal static class GetOptions
{
    /// <summary>An integer option that must lie in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static T InRange<T>(this T option, long min, long max)
        where T : Option
    {
        option.Validators.Add(result =>
        {
            var token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : null;
            // A token that is not a number at all is System.CommandLine's own parse error.
            if (token is not null && long.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && (value < min || value > max))
            {
                result.AddError($"{result.Option.Name} must be a whole number from {min} to {max}, not '{token}'");
            }
        });
        return option;
    }

    /// <summary>A seconds option within <see cref="DownloadOptions.ShortestTime"/> and
    /// <see cref="DownloadOptions.LongestTime"/> (NaN and infinity are refused): the ranges the
    /// <see cref="Weft.Download.Downloader"/> itself checks, so a value the parser accepts is one it accepts.</summary>
    public static Option<double?> Seconds(this Option<double?> option)
    {
        var (min, max) = (DownloadOptions.ShortestTime.TotalSeconds, DownloadOptions.LongestTime.TotalSeconds);
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is { } value && !(double.IsFinite(value) && value >= min && value <= max))
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{result.Option.Name} must be a number of seconds from {min} to {max}, not '{result.Tokens[^1].Value}'"));
            }
        });
        return option;
    }

    /// <summary>The output directory: a non-empty path.</summary>
    public static Option<string> OutputDirectory(this Option<string> option)
    {
        option.Validators.Add(r =>
        {
            if (string.IsNullOrWhiteSpace(r.GetValueOrDefault<string>()))
            {
                r.AddError("--output must name a directory ('.' for the current one)");
            }
        });
        return option;
    }

    /// <summary>A value sent in a header: one non-empty line.</summary>
    public static Option<string?> OneLine(this Option<string?> option)
    {
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } value && (value.Length == 0 || value.AsSpan().ContainsAny('\r', '\n', '\0')))
            {
                r.AddError($"{r.Option.Name} must be one non-empty line");
            }
        });
        return option;
    }

    /// <summary>A file to be written later: its directory must exist now.</summary>
    public static Option<string?> WritableLater(this Option<string?> option)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } path)
            {
                var directory = Path.GetDirectoryName(Path.GetFullPath(path));
                if (string.IsNullOrEmpty(path) || Directory.Exists(path) || (directory is not null && !Directory.Exists(directory)))
                {
                    result.AddError($"{result.Option.Name}: cannot write '{path}': {(Directory.Exists(path) ? "it is a directory" : "no such directory")}");
                }
            }
        });
        return option;
    }

    /// <summary>A file to read: it must exist now.</summary>
    public static Option<string?> Existing(this Option<string?> option)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } path && !File.Exists(path))
            {
                result.AddError($"{result.Option.Name}: no such file '{path}'");
            }
        });
        return option;
    }

    /// <summary><c>-H "Name: value"</c>: a header name (an HTTP token) and a value without line breaks.</summary>
    public static Option<string[]> Headers(this Option<string[]> option)
    {
        option.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (TryParseHeader(token.Value, out _) is { } problem)
                {
                    result.AddError($"{result.Option.Name} '{token.Value}': {problem}");
                }
            }
        });
        return option;
    }

    /// <summary>A header the validator accepted.</summary>
    public static KeyValuePair<string, string> ParseHeader(string text) =>
        TryParseHeader(text, out var header) is null ? header : throw new FormatException($"not a header: {text}");

    /// <summary>Splits <c>Name: value</c>; returns the problem, or <see langword="null"/> when it is valid.</summary>
    public static string? TryParseHeader(string text, out KeyValuePair<string, string> header)
    {
        header = default;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return "expected 'Name: value'";
        }

        var name = text[..colon].Trim();
        var value = text[(colon + 1)..].Trim();
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal)))
        {
            return "the name is not a valid header name";
        }

        if (value.AsSpan().ContainsAny('\r', '\n', '\0'))
        {
            return "the value contains a line break";
        }

        header = new KeyValuePair<string, string>(name, value);
        return null;
    }
}
