using Weft.Download;

namespace Weft.Cli.Tests.Download;

public sealed class FileNamesTests
{
    [Theory]
    [InlineData("http://h/a/b/photo%20one.jpg?size=large#x", "photo one.jpg")]
    [InlineData("http://h/a/b/", null)]
    [InlineData("http://h/", null)]
    [InlineData("http://h/dl/..%2F..%2Fetc%2Fpasswd", "passwd")]
    [InlineData("http://h/x/%2e%2e", null)]
    public void FromUrl_DecodesAndDropsQuery(string url, string? expected)
    {
        Assert.Equal(expected, FileNames.FromUrl(new Uri(url)));
    }

    [Theory]
    [InlineData("../../x", "x")]
    [InlineData("/abs/x", "x")]
    [InlineData("..\\..\\x", "x")]
    [InlineData("C:\\Windows\\x.dll", "x.dll")]
    [InlineData("", null)]
    [InlineData("..", null)]
    [InlineData("a\0b", "a_b")]
    [InlineData("CON", "_CON")]
    [InlineData("com1.txt", "_com1.txt")]
    [InlineData("a<b>c:d|e?f*g\"h", "a_b_c_d_e_f_g_h")]
    [InlineData("trailing. . ", "trailing")]
    [InlineData(".bashrc", "_bashrc")]
    public void Sanitize_HostileNames_MadeSafe(string name, string? expected)
    {
        Assert.Equal(expected, FileNames.Sanitize(name));
    }

    [Fact]
    public void Sanitize_LongName_CappedKeepingExtension()
    {
        var name = FileNames.Sanitize(new string('é', 500) + ".png")!;

        Assert.True(System.Text.Encoding.UTF8.GetByteCount(name) <= FileNames.MaxBytes);
        Assert.EndsWith(".png", name, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveInside_Escape_Throws()
    {
        var dir = Path.Combine(Path.GetTempPath(), "weft-out");

        Assert.Throws<InvalidDataException>(() => FileNames.ResolveInside(dir, "../x"));
        Assert.Throws<InvalidDataException>(() => FileNames.ResolveInside(dir, "/etc/x"));
        Assert.Equal(Path.Combine(dir, "x"), FileNames.ResolveInside(dir, "x"));
    }

    [Fact]
    public void WithExtension_FromContentType_OnlyWhenMissing()
    {
        Assert.Equal("pic.png", FileNames.WithExtension("pic", "image/png"));
        Assert.Equal("pic.jpg", FileNames.WithExtension("pic.jpg", "image/png"));
        Assert.Equal("pic", FileNames.WithExtension("pic", "application/octet-stream"));
    }

    [Fact]
    public void Parse_List_LineNumbersNamesAndHashes()
    {
        var sha = new string('a', 64);
        var list = DownloadList.Parse(new StringReader($"# c\n\nhttp://h/1.png\thello.png\t{sha}\nmailto:x@y\nhttp://h/2.png\t\t123\n"));

        Assert.Equal("hello.png", list.Requests.Single().Name);
        Assert.Equal(sha, list.Requests.Single().Sha256);
        Assert.Equal(3, list.Requests.Single().Line);
        Assert.Equal([4, 5], list.Errors.Select(e => e.Line));
    }

    [Fact]
    public void ChecksumManifest_Sha256sumFormat_ByBasename()
    {
        var sha = new string('B', 64);
        var sums = ChecksumManifest.Parse(new StringReader($"{sha}  imgs/1.png\n{sha} *2.png\n"));

        Assert.Equal(sha.ToLowerInvariant(), sums["1.png"]);
        Assert.True(sums.ContainsKey("2.png"));
        Assert.Throws<FormatException>(() => ChecksumManifest.Parse(new StringReader("nothex  x\n")));
    }
}
