namespace Weft.Download;

/// <summary>
/// Looking at names in a directory others can write to, without following links and without crashing:
/// whether anything (a file, a directory, a link, dangling or not) holds a name, a regular file's length,
/// and best-effort removal.
/// </summary>
internal static class PartFile
{
    /// <summary>Creates a new <c>.part</c> exclusively (O_CREAT|O_EXCL|O_NOFOLLOW), for reading and writing.</summary>
    public static FileStream Create(string path) => NativeFile.Open(path, FileAccess.ReadWrite, createNew: true);

    /// <summary>Whether anything is at <paramref name="path"/>: a file, a directory, a link (even dangling).</summary>
    public static bool Occupied(string path)
    {
        var info = new FileInfo(path);
        return info.Exists || Directory.Exists(path) || info.LinkTarget is not null;
    }

    /// <summary>The length of <paramref name="path"/> when it is a regular file (not a link, a directory, a FIFO).</summary>
    public static long? LengthIfRegular(string path)
    {
        try
        {
            using var file = NativeFile.Open(path, FileAccess.Read, createNew: false);
            return file.Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Removes <paramref name="path"/> (a link itself, never its target); best effort.</summary>
    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover .part never carries a final name.
        }
    }

    /// <summary>Whether <paramref name="e"/> says the disk (or the quota) is full: then every other
    /// download would fail the same way, so the run stops.</summary>
    public static bool IsDiskFull(IOException e) =>
        e.HResult is 28 /* ENOSPC */ or 122 /* EDQUOT */ or unchecked((int)0x80070070) /* ERROR_DISK_FULL */ or unchecked((int)0x80070027) /* ERROR_HANDLE_DISK_FULL */;
}
