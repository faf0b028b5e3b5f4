using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

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

    /// <summary>A seconds option that must be a finite number above 0 (NaN and infinity are refused).</summary>
    public static Option<double?> Seconds(this Option<double?> option, double max = 86_400 * 365)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is { } value && !(double.IsFinite(value) && value > 0 && value <= max))
            {
                result.AddError($"{result.Option.Name} must be a number of seconds above 0 and at most {max}, not '{result.Tokens[^1].Value}'");
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
