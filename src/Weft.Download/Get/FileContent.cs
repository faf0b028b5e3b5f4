using System.Security.Cryptography;

namespace Weft.Download;

/// <summary>Reading files back: their sha256, and whether two files hold the same bytes.</summary>
internal static class FileContent
{
    public static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
    {
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> have the same length and bytes.</summary>
    public static bool Same(string a, string b)
    {
        if (new FileInfo(a).Length != new FileInfo(b).Length)
        {
            return false;
        }

        using var left = File.OpenRead(a);
        using var right = File.OpenRead(b);
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
}
