namespace Weft.Download;

/// <summary>A line of a URL list that is not a usable URL.</summary>
/// <param name="Line">The line number, from 1.</param>
/// <param name="Text">The line as read.</param>
/// <param name="Reason">What is wrong with it.</param>
public sealed record DownloadListError(int Line, string Text, string Reason)
{
    /// <inheritdoc />
    public override string ToString() => $"line {Line}: {Reason}: {Text}";
}
