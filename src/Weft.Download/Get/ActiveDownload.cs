namespace Weft.Download;

/// <summary>A download in progress, for a progress display.</summary>
/// <param name="Name">The file name being written.</param>
/// <param name="Bytes">Bytes in the <c>.part</c> file so far.</param>
/// <param name="Length">The full length, when the server said.</param>
/// <param name="Attempt">The attempt number, from 1.</param>
public sealed record ActiveDownload(string Name, long Bytes, long? Length, int Attempt);
