using System.CommandLine;

namespace Weft.Cli.Get;

/// <summary><c>weft get</c>'s options, each declared once with what it sets: the table adds them to the
/// command and applies those the user gave, so defaults come from <see cref="Weft.Download.DownloadOptions"/>
/// alone and no option is listed or mapped a second time.</summary>
internal sealed class GetOptionTable
{
    private readonly List<Option> _options = [];
    private readonly List<Func<ParseResult, GetArguments, GetArguments>> _binders = [];

    /// <summary>Declares <paramref name="option"/>; <paramref name="apply"/> runs only when it was given.</summary>
    public GetOptionTable Add<T>(Option<T> option, Func<GetArguments, T, GetArguments> apply)
    {
        _options.Add(option);
        _binders.Add((result, args) => result.GetResult(option) is { Implicit: false } ? apply(args, result.GetValue(option)!) : args);
        return this;
    }

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in _options)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The arguments: <paramref name="start"/> with every option the user gave applied.</summary>
    public GetArguments Bind(ParseResult result, GetArguments start) =>
        _binders.Aggregate(start, (args, bind) => bind(result, args));
}
