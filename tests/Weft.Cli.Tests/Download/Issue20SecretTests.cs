using System.Text;
using Weft.Download;
using Weft.Images;

namespace Weft.Cli.Tests.Download;

/// <summary>Issue 20, items 8-10: secrets go to their own origin only, never to disk, and a server's
/// text never reaches the terminal raw.</summary>
public sealed class Issue20SecretTests
{
    private static readonly KeyValuePair<string, string>[] s_secrets =
        [new("Cookie", "session=secret"), new("Authorization", "Bearer token"), new("X-Other", "kept")];

    [Fact]
    public async Task RunAsync_RedirectToAnotherHost_DropsAuthorizationAndCookieKeepsOtherHeaders()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 1_000 });
        using var dir = new TempDirectory();
        var elsewhere = $"http://localhost:{server.BaseAddress.Port}/img/1.png";
        var url = new Uri(server.BaseAddress, "bad/r?to=" + Uri.EscapeDataString(elsewhere));

        var (summary, results) = await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out, Headers = s_secrets }, [new(url) { Name = "1.png" }]);

        Assert.Equal(0, summary.ExitCode);
        Assert.Equal(new Uri(elsewhere), results.Single().FinalUrl);
        var there = server.RequestLog.Single(r => r.Host.StartsWith("localhost", StringComparison.Ordinal));
        Assert.False(there.Headers.ContainsKey("Cookie"));
        Assert.False(there.Headers.ContainsKey("Authorization"));
        Assert.Equal("kept", there.Headers["X-Other"]);
        Assert.Equal("session=secret", server.RequestLog.Single(r => r.Host.StartsWith("127.", StringComparison.Ordinal)).Headers["Cookie"]);
    }

    [Fact]
    public async Task RunAsync_LocationTrusted_KeepsThemAcrossHosts()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 1_000 });
        using var dir = new TempDirectory();
        var url = new Uri(server.BaseAddress, "bad/r?to=" + Uri.EscapeDataString($"http://localhost:{server.BaseAddress.Port}/img/1.png"));

        await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out, Headers = s_secrets, LocationTrusted = true }, [new(url) { Name = "1.png" }]);

        var there = server.RequestLog.Single(r => r.Host.StartsWith("localhost", StringComparison.Ordinal));
        Assert.Equal("Bearer token", there.Headers["Authorization"]);
        Assert.Equal("session=secret", there.Headers["Cookie"]);
    }

    [Fact]
    public async Task RunAsync_SameOriginRedirects_KeepAuthorization()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 1_000 });
        using var dir = new TempDirectory();

        var (summary, _) = await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out, Headers = s_secrets }, [new(new Uri(server.BaseAddress, "hops/2/1"))]);

        Assert.Equal(0, summary.ExitCode);
        Assert.Equal(3, server.RequestLog.Count);
        Assert.All(server.RequestLog, r => Assert.Equal("Bearer token", r.Headers["Authorization"]));
    }

    [Fact]
    public async Task RunAsync_CredentialsAndSignedQueryInTheUrl_SentAsBasicAuthAndNeverWrittenToDisk()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 1_000 });
        using var dir = new TempDirectory();
        var url = new UriBuilder(server.ImageUris[0]) { UserName = "alice", Password = "s3cret", Query = "sig=TOPSECRETSIG" }.Uri;

        var (summary, _) = await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out }, [new(url)]);

        Assert.Equal(0, summary.ExitCode);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:s3cret")), server.RequestLog.Single().Headers["Authorization"]);
        foreach (var file in Directory.GetFiles(dir.Root, "*", SearchOption.AllDirectories))
        {
            var text = Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file));
            Assert.DoesNotContain("s3cret", text, StringComparison.Ordinal);
            Assert.DoesNotContain("TOPSECRETSIG", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Get_PasswordInTheUrl_NeverPrinted()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 1_000 });
        using var dir = new TempDirectory();
        var url = new UriBuilder(server.ImageUris[0]) { UserName = "alice", Password = "s3cret" }.Uri.AbsoluteUri;

        var (exit, json, _) = await GetCli.RunAsync("", url, "-o", dir.Out, "--json");
        var (_, table, _) = await GetCli.RunAsync("", url, "-o", dir.Out);

        Assert.Equal(0, exit);
        Assert.Contains("alice:***@", json, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", json + table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UserOption_SentToItsOwnHostOnly()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 1_000 });
        using var dir = new TempDirectory();
        var url = new Uri(server.BaseAddress, "bad/r?to=" + Uri.EscapeDataString($"http://localhost:{server.BaseAddress.Port}/img/1.png"));

        await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out, User = "bob:pw" }, [new(url) { Name = "1.png" }]);

        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("bob:pw")), server.RequestLog.Single(r => r.Host.StartsWith("127.", StringComparison.Ordinal)).Headers["Authorization"]);
        Assert.False(server.RequestLog.Single(r => r.Host.StartsWith("localhost", StringComparison.Ordinal)).Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task Get_ReasonPhraseWithTerminalEscapes_PrintedEscaped()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 0 });
        using var dir = new TempDirectory();
        var url = new Uri(server.BaseAddress, "bad/t?status=500&reason=" + Uri.EscapeDataString("\u001b]0;pwned\u0007\u001b[31mred"));

        var (exit, output, error) = await GetCli.RunAsync("", url.AbsoluteUri, "-o", dir.Out, "--retries", "0");
        var (_, quietOut, quietError) = await GetCli.RunAsync("", url.AbsoluteUri, "-o", dir.Out, "--retries", "0", "--quiet");

        Assert.Equal(3, exit);
        Assert.Contains("\\x1b]0;pwned\\x07", output + quietError, StringComparison.Ordinal);
        Assert.All(new[] { output, error, quietOut, quietError }, text => Assert.DoesNotContain(text, c => c is '\u001b' or '\u0007'));
    }
}
