using Weft.Download;
using Weft.Images;

namespace Weft.Cli.Tests.Download;

/// <summary>Issue 12.1: a file weft did not leave is never replaced; 12.7: a re-run costs a 304.</summary>
public sealed class ExistingFileTests
{
    [Fact]
    public async Task RunAsync_ServerNamesTheUsersFile_KeepsItAndSavesUnderANewName()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 2_000 });
        using var dir = new TempDirectory();
        var notes = Path.Combine(dir.Out, "notes.txt");
        await File.WriteAllTextAsync(notes, "my notes");

        var (summary, results) = await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out }, [new(DownloadRun.Named(server, 1, "attachment; filename=notes.txt"))]);

        Assert.Equal(0, summary.ExitCode);
        Assert.Equal("my notes", await File.ReadAllTextAsync(notes));
        var result = Assert.Single(results);
        Assert.Equal(Path.Combine(dir.Out, "notes.1.txt"), result.Path);
        Assert.Contains("'notes.txt' exists", result.Note, StringComparison.Ordinal);
        Assert.Equal(server.GetImage(1), await File.ReadAllBytesAsync(result.Path!));
    }

    [Fact]
    public async Task RunAsync_ExistingFileOfSameLengthButOtherBytes_NotTakenForComplete()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 2_000 });
        using var dir = new TempDirectory();
        var mine = new byte[server.GetImage(1).Length];
        await File.WriteAllBytesAsync(Path.Combine(dir.Out, "1.png"), mine);

        var (_, results) = await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out }, Hashes.Requests(server));

        Assert.Equal(DownloadStatus.Saved, results.Single().Status);
        Assert.Equal(mine, await File.ReadAllBytesAsync(Path.Combine(dir.Out, "1.png")));
        Assert.Equal(server.GetImage(1), await File.ReadAllBytesAsync(Path.Combine(dir.Out, "1.1.png")));
    }

    [Fact]
    public async Task RunAsync_ExistingIdenticalFileFromAnotherTool_Skipped()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 2_000 });
        using var dir = new TempDirectory();
        await File.WriteAllBytesAsync(Path.Combine(dir.Out, "1.png"), server.GetImage(1));

        var (summary, results) = await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out }, Hashes.Requests(server));

        Assert.Equal(0, summary.ExitCode);
        Assert.Equal(DownloadStatus.Skipped, results.Single().Status);
        Assert.Equal("identical to the existing file", results.Single().Note);
        Assert.Equal(["1.png"], dir.VisibleFiles().Select(Path.GetFileName));
    }

    [Fact]
    public async Task RunAsync_SecondRun_OwnCopiesCostA304AndAnEditedOneIsKept()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 3, Size = 5_000 });
        using var dir = new TempDirectory();
        var options = new DownloadOptions { OutputDirectory = dir.Out };
        await DownloadRun.RunAsync(options, Hashes.Requests(server));
        var edited = Path.Combine(dir.Out, "2.png");
        await File.WriteAllTextAsync(edited, "the user's own edit");

        var (summary, results) = await DownloadRun.RunAsync(options, Hashes.Requests(server));

        Assert.Equal(0, summary.ExitCode);
        Assert.Equal(2, summary.Skipped);
        Assert.All(results.Where(r => r.Status == DownloadStatus.Skipped), r =>
        {
            Assert.Equal(304, r.HttpStatus);
            Assert.Equal(0, r.Written);
        });
        Assert.Equal("the user's own edit", await File.ReadAllTextAsync(edited));
        Assert.Equal(server.GetImage(2), await File.ReadAllBytesAsync(Path.Combine(dir.Out, "2.1.png")));
        Assert.Equal(2, server.RequestLog.Count(r => r.Headers.ContainsKey("If-None-Match") && r.Status == 304));
        Assert.Equal(server.GetImage(2).Length, summary.Bytes); // only the renamed file was written again
    }

    [Fact]
    public async Task RunAsync_OnExistsOverwrite_ReplacesTheUsersFile()
    {
        await using var server = await ImageServer.StartAsync(new ImageServerOptions { Files = 1, Size = 2_000 });
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(dir.Out, "1.png"), "mine");

        var (summary, _) = await DownloadRun.RunAsync(new DownloadOptions { OutputDirectory = dir.Out, OnExists = OnExists.Overwrite }, Hashes.Requests(server));

        Assert.Equal(0, summary.ExitCode);
        Assert.Equal(server.GetImage(1), await File.ReadAllBytesAsync(Path.Combine(dir.Out, "1.png")));
    }
}
