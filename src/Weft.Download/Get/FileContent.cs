using System.Security.Cryptography;

namespace Weft.Download;

/// <summary>Reading files back, never through a link and never blocking on a FIFO: their sha256, and
/// whether two files hold the same bytes.</summary>
internal static class FileContent
{
    /// <summary>The sha256 of <paramref name="path"/>, or <see langword="null"/> when it is not a readable regular file.</summary>
    public static async Task<string?> Sha256OrNullAsync(string path, CancellationToken cancellationToken)
    {
        FileStream stream;
        try
        {
            stream = NativeFile.Open(path, FileAccess.Read, createNew: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        await using (stream.ConfigureAwait(false))
        {
            return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> are regular files with the same length and bytes.</summary>
    public static bool Same(string a, string b)
    {
        try
        {
            using var left = NativeFile.Open(a, FileAccess.Read, createNew: false);
            using var right = NativeFile.Open(b, FileAccess.Read, createNew: false);
            if (left.Length != right.Length)
            {
                return false;
            }

            Span<byte> x = stackalloc byte[8192];
            Span<byte> y = stackalloc byte[8192];
            while (true)
            {
                var n = left.ReadAtLeast(x, x.Length, throwOnEndOfStream: false);
                var m = right.ReadAtLeast(y, y.Length, throwOnEndOfStream: false);
                if (n != m || !x[..n].SequenceEqual(y[..m]))
                {
                    return false;
                }

                if (n == 0)
                {
                    return true;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
