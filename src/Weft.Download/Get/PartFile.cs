namespace Weft.Download;

/// <summary>
/// Opening and finishing <c>.part</c> files safely: a new file is created exclusively (O_CREAT|O_EXCL,
/// which never follows a symbolic link), an existing one is continued only when it is a regular file,
/// and the bytes reach the disk before the rename that gives them their final name.
/// </summary>
internal static class PartFile
{
    /// <summary>Opens <paramref name="path"/> for writing: appended to when <paramref name="append"/>
    /// (resume), otherwise created anew. A symbolic link in its place is removed, never written through.</summary>
    public static FileStream Open(string path, bool append)
    {
        if (append && IsLink(path))
        {
            throw new IOException($"'{path}' is a symbolic link: refused");
        }

        if (append)
        {
            return new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 0);
        }

        File.Delete(path); // removes a link itself, not its target
        return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
    }

    /// <summary>Writes a small file anew (delete, then create exclusively), for <c>.meta</c> files.</summary>
    public static void WriteNew(string path, ReadOnlySpan<byte> bytes)
    {
        File.Delete(path);
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        stream.Write(bytes);
    }

    /// <summary>Whether <paramref name="path"/> is a symbolic link (dangling or not).</summary>
    public static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;

    /// <summary>Whether <paramref name="e"/> says the disk (or the quota) is full: then every other
    /// download would fail the same way, so the run stops.</summary>
    public static bool IsDiskFull(IOException e) =>
        e.HResult is 28 /* ENOSPC */ or 122 /* EDQUOT */ or unchecked((int)0x80070070) /* ERROR_DISK_FULL */ or unchecked((int)0x80070027) /* ERROR_HANDLE_DISK_FULL */;
}
