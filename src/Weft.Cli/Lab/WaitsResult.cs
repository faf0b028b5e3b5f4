using System.Text.Json.Serialization;

namespace Weft.Cli.Lab;

/// <summary>Many concurrent waits on threads and with async/await (asyncio on CPython).</summary>
internal sealed record WaitsResult(int Waits, double WaitSeconds, WaitRun Threads, WaitRun Async)
{
    /// <summary>dotnet or cpython.</summary>
    public string Runtime { get; init; } = Runtimes.DotNet;

    /// <summary>Whether every thread started (a CPython may be refused thousands of threads).</summary>
    [JsonIgnore]
    public bool AllThreadsStarted => (Threads.Started ?? Waits) >= Waits;
}
