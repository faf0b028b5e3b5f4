using Weft.Images;
namespace Weft.Cli.Tests.Download;

/// <summary>Issue 12.3: every option is checked before any work: exit 2, a one-line reason, no request.</summary>
public sealed class GetOptionsTests
{
    [Theory]
    [InlineData("--timeout", "NaN")]
    [InlineData("--timeout", "Infinity")]
    [InlineData("--timeout", "0")]
    [InlineData("--jobs", "0")]
    [InlineData("--retries", "-1")]
    [InlineData("--per-host", "0")]
    [InlineData("--speed-limit", "0")]
    [InlineData("--max-time", "-1")]
    [InlineData("--on-exists", "clobber")]
    [InlineData("--failed", "/no/such/dir/failed.txt")]
    [InlineData("--checksums", "/no/such/file")]
    [InlineData("-H", "no colon")]
    [InlineData("--max-redirs", "-1")]
    public async Task Get_BadValue_Exits2BeforeAnyRequest(string option, string value)
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 500 });
        using var dir = new TempDirectory();
        using var error = new StringWriter();

        var exit = await WeftApp.RunAsync(["get", server.ImageUris[0].AbsoluteUri, "-o", dir.Out, option, value], error).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, exit);
        var first = error.ToString().Split('\n')[0];
        Assert.StartsWith("weft:", first, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.ToString(), StringComparison.Ordinal); // no stack trace
        Assert.Equal(0, server.Requests);
        Assert.Empty(dir.VisibleFiles());
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task Get_EmptyOutputDirectory_Exits2NamingTheOption(string value)
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 500 });
        using var error = new StringWriter();

        var exit = await WeftApp.RunAsync(["get", server.ImageUris[0].AbsoluteUri, "-o", value], error).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, exit);
        Assert.Contains("--output must name a directory", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, server.Requests);
    }
}
