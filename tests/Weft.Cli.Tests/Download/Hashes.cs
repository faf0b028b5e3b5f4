using System.Security.Cryptography;
using Weft.Download;
using Weft.Images;

namespace Weft.Cli.Tests.Download;

internal static class Hashes
{
    public static string Of(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string OfFile(string path) => Of(File.ReadAllBytes(path));

    /// <summary>Asserts every image of the server is in <paramref name="directory"/> as n.png, byte for byte.</summary>
    public static void AssertAllImages(ImageServer server, string directory)
    {
        for (var n = 1; n <= server.Options.Files; n++)
        {
            var path = Path.Combine(directory, $"{n}.png");
            Assert.True(File.Exists(path), $"{n}.png missing");
            Assert.Equal(Of(server.GetImage(n)), OfFile(path));
        }
    }

    public static IReadOnlyList<DownloadRequest> Requests(ImageServer server) =>
        server.ImageUris.Select(u => new DownloadRequest(u)).ToArray();
}
