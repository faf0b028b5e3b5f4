namespace Weft.Cli.Lab.Python;

/// <summary>The Python interpreter could not be run, failed, or printed no usable result; the message says which, in one line.</summary>
internal sealed class CPythonException : Exception
{
    public CPythonException()
    {
    }

    public CPythonException(string message)
        : base(message)
    {
    }

    public CPythonException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
