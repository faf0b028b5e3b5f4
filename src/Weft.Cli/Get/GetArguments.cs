using Weft.Download;

namespace Weft.Cli.Get;

/// <summary>The parsed command line of <c>weft get</c>.</summary>
internal sealed record GetArguments
{
    public IReadOnlyList<string> Urls { get; init; } = [];

    public string? Input { get; init; }

    public DownloadOptions Download { get; init; } = new();

    public string? ChecksumsFile { get; init; }

    public bool DryRun { get; init; }

    public string? FailedFile { get; init; }

    public bool Strict { get; init; }

    public bool Json { get; init; }

    public bool Quiet { get; init; }

    /// <summary>These arguments with <see cref="Download"/> changed by <paramref name="change"/>.</summary>
    public GetArguments With(Func<DownloadOptions, DownloadOptions> change) => this with { Download = change(Download) };
}
