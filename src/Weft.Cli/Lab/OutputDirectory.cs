namespace Weft.Cli.Lab;

/// <summary>Checks <c>--out</c> before any experiment runs, so an unusable path costs a second, not a whole run.</summary>
internal static class OutputDirectory
{
    /// <summary>Creates the folder if needed and writes (then deletes) a file in it.</summary>
    /// <param name="directory">The folder.</param>
    /// <returns>Null when usable; otherwise the reason, in one line.</returns>
    public static string? Check(DirectoryInfo directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (File.Exists(directory.FullName))
        {
            return "is a file, not a folder";
        }

        var probe = Path.Combine(directory.FullName, $".weft-lab-{Guid.NewGuid():N}.tmp");
        try
        {
            directory.Create();
            File.WriteAllText(probe, string.Empty);
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return $"cannot write there ({e.Message})";
        }
    }
}
