namespace Weft.Cli.Get;

/// <summary>The list given with <c>-i URL</c> could not be fetched.</summary>
internal sealed class ListUnavailableException : Exception
{
    public ListUnavailableException()
    {
    }

    public ListUnavailableException(string message)
        : base(message)
    {
    }

    public ListUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
