using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Weft.Download;

/// <summary>
/// The two file operations .NET has no safe form of, for directories a hostile user can write to:
/// opening a path without following a symbolic link in its last component (<c>O_NOFOLLOW</c>, so a
/// <c>.meta</c> or <c>.part</c> swapped for a link to <c>/dev/zero</c> or a victim's file is refused in the
/// same system call that opens it), and renaming without ever replacing (<c>renameat2(RENAME_NOREPLACE)</c>,
/// else <c>link</c>+<c>unlink</c>, which fail rather than replace).
/// </summary>
/// <remarks>Windows has neither problem in this form (no dangling-link games for non-admins, and
/// <c>MoveFileEx</c> without <c>REPLACE_EXISTING</c> never replaces), so it takes the managed calls.</remarks>
internal static partial class NativeFile
{
    private const int AtFdCwd = -100;
    private const uint RenameNoReplace = 1;
    private const int EEXIST = 17;
    private const int EINVAL = 22;
    private const int ENOSYS = 38;

    private static readonly bool s_linux = OperatingSystem.IsLinux();
    private static readonly int s_noFollow = OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? 0x100
        : RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64 ? 0x8000 : 0x20000;

    private static readonly int s_create = OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? 0x200 : 0x40;
    private static readonly int s_exclusive = OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? 0x800 : 0x80;
    private static readonly int s_nonBlock = OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? 0x4 : 0x800;
    private static readonly int s_closeOnExec = OperatingSystem.IsMacOS() ? 0x1000000 : OperatingSystem.IsFreeBSD() ? 0x100000 : 0x80000;
    private static int s_renameat2 = 1; // 1 until the kernel or libc says it has none

    /// <summary>Opens <paramref name="path"/> without following a link: <paramref name="createNew"/> creates
    /// it exclusively (it must not exist, as a file, a directory or a link), else it must exist. A FIFO or
    /// device opens without blocking and is refused; so is a link (ELOOP).</summary>
    /// <exception cref="IOException">It cannot be opened so; <see cref="Exception.HResult"/> is the errno.</exception>
    public static FileStream Open(string path, FileAccess access, bool createNew)
    {
        if (OperatingSystem.IsWindows())
        {
            if (!createNew && new FileInfo(path).LinkTarget is not null)
            {
                throw new IOException($"'{path}' is a symbolic link: refused");
            }

            return new FileStream(path, createNew ? FileMode.CreateNew : FileMode.Open, access, FileShare.Read, bufferSize: 0);
        }

        var flags = (access == FileAccess.Read ? 0 : access == FileAccess.Write ? 1 : 2) | s_noFollow | s_nonBlock | s_closeOnExec
            | (createNew ? s_create | s_exclusive : 0);
        var fd = Sys.Open(path, flags, Convert.ToInt32("644", 8));
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"cannot open '{Path.GetFileName(path)}': {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }

        var stream = new FileStream(new SafeFileHandle(fd, ownsHandle: true), access, bufferSize: 0);
        if (!stream.CanSeek)
        {
            stream.Dispose();
            throw new IOException($"'{Path.GetFileName(path)}' is not a regular file: refused");
        }

        return stream;
    }

    /// <summary>Renames <paramref name="from"/> to <paramref name="to"/> unless something (a file, a
    /// directory, a link) is already there, atomically: never a check followed by a rename.</summary>
    /// <returns><see langword="false"/> when <paramref name="to"/> exists; nothing moved.</returns>
    /// <exception cref="IOException">Another error.</exception>
    public static bool TryRenameNoReplace(string from, string to)
    {
        if (OperatingSystem.IsWindows())
        {
            try
            {
                File.Move(from, to, overwrite: false);
                return true;
            }
            catch (IOException) when (Path.Exists(to))
            {
                return false;
            }
        }

        if (s_linux && Volatile.Read(ref s_renameat2) == 1)
        {
            try
            {
                if (Sys.RenameAt2(AtFdCwd, from, AtFdCwd, to, RenameNoReplace) == 0)
                {
                    return true;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno == EEXIST)
                {
                    return false;
                }

                if (errno is not (ENOSYS or EINVAL))
                {
                    throw new IOException($"cannot rename '{Path.GetFileName(from)}': {Marshal.GetPInvokeErrorMessage(errno)}", errno);
                }
            }
            catch (EntryPointNotFoundException)
            {
                // A libc without renameat2 (old glibc, some musl): link + unlink below.
            }

            Volatile.Write(ref s_renameat2, 0); // the filesystem or libc has none: fall back from now on
        }

        // link(2) fails with EEXIST rather than replace; then the source name is removed.
        if (Sys.Link(from, to) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == EEXIST)
            {
                return false;
            }

            throw new IOException($"cannot move '{Path.GetFileName(from)}' to '{Path.GetFileName(to)}': {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }

        File.Delete(from);
        return true;
    }

    private static partial class Sys
    {
        [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        public static partial int Open(string path, int flags, int mode);

        [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        public static partial int RenameAt2(int oldDirectory, string oldPath, int newDirectory, string newPath, uint flags);

        [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        public static partial int Link(string oldPath, string newPath);
    }
}
