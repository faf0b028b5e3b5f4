using Weft.Cli;

namespace Weft.Cli.Tests;

public sealed class WeftAppTests
{
    [Theory]
    [InlineData("get", "-j", "abc", "http://127.0.0.1:1/x.png")]
    [InlineData("no-such-verb")]
    [InlineData("lab", "--no-such-option")]
    public async Task RunAsync_UsageError_Exits2WithOneLineReason(params string[] args)
    {
        using var error = new StringWriter();

        var exit = await WeftApp.RunAsync(args, error).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(WeftApp.UsageError, exit);
        Assert.StartsWith("weft: ", error.ToString(), StringComparison.Ordinal);
    }
}
