namespace Weft.Download;

/// <summary>What <see cref="Downloader"/> does when the final file name already exists in the output directory.</summary>
public enum OnExists
{
    /// <summary>Keep the file when it is complete (its length matches the server's, or its sha256 the
    /// manifest's); download again otherwise. The default.</summary>
    Skip,

    /// <summary>Download and replace the file.</summary>
    Overwrite,

    /// <summary>Download to a free name: <c>name.1.ext</c>, <c>name.2.ext</c>, ...</summary>
    Rename,

    /// <summary>Fail that URL.</summary>
    Fail,
}
