namespace Weft.Cli.Tests.Download;

/// <summary>A fresh directory under the temp folder, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Root = Path.Combine(Path.GetTempPath(), "weft-dl-" + Guid.NewGuid().ToString("N")[..12]);
        Out = Path.Combine(Root, "sandbox", "out");
        Directory.CreateDirectory(Out);
    }

    /// <summary>The root; <see cref="Out"/> is two levels below it, so escapes are visible.</summary>
    public string Root { get; }

    public string Out { get; }

    /// <summary>The files in <see cref="Out"/> a user sees (not weft's hidden <c>.NAME.meta</c> files).</summary>
    public string[] VisibleFiles() =>
        Directory.GetFiles(Out).Where(f => !Path.GetFileName(f).StartsWith('.')).ToArray();

    /// <summary>Every file under <see cref="Root"/> that is not directly in <see cref="Out"/>.</summary>
    public IReadOnlyList<string> FilesOutsideOut() =>
        Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetDirectoryName(f) != Out)
            .ToArray();

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
