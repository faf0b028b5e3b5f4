namespace Weft.Download;

/// <summary>What <see cref="Downloader"/> does when the final file name already exists in the output directory.</summary>
public enum OnExists
{
    /// <summary>Skip the URL without transferring its body: whatever is there is kept (with a checksum
    /// given, it must match). Weft's own up-to-date copy is skipped the same way.</summary>
    Skip,

    /// <summary>Download and replace the file.</summary>
    Overwrite,

    /// <summary>Download to a free name: <c>name.1.ext</c>, <c>name.2.ext</c>, ...</summary>
    Rename,

    /// <summary>Fail that URL.</summary>
    Fail,

    /// <summary>The default: keep anyone else's file, replace only weft's own older copy (a re-run asks
    /// the server whether it changed). A download identical to a foreign file is skipped; a different one
    /// is saved under a numbered name, and a re-run finds that copy again rather than adding another.</summary>
    Keep,
}
