namespace Weft.Images;

/// <summary>Settings for <see cref="ImageServer"/>: what it serves and which faults it injects.</summary>
/// <remarks>Faulty paths are chosen deterministically (a seeded shuffle of the file numbers), so a run
/// with the same options always fails the same files; each kind of fault picks its own files, and a
/// faulty path misbehaves on its first <see cref="FaultTimes"/> requests only, then works.</remarks>
public sealed record ImageServerOptions
{
    /// <summary>Gets the loopback port to listen on.</summary>
    /// <value>0 (the default) picks a free port.</value>
    public int Port { get; init; }

    /// <summary>Gets how many images are served, as <c>/img/1.png</c> ... <c>/img/N.png</c>.</summary>
    /// <value>20 by default.</value>
    public int Files { get; init; } = 20;

    /// <summary>Gets the approximate size of each image in bytes (each one a real, distinct PNG).</summary>
    /// <value>100,000 by default.</value>
    public int Size { get; init; } = 100_000;

    /// <summary>Gets the delay before each response.</summary>
    /// <value>Zero by default.</value>
    public TimeSpan Latency { get; init; }

    /// <summary>Gets the share of image paths whose first requests are answered 500.</summary>
    /// <value>0 by default; between 0 and 1.</value>
    public double FailRate { get; init; }

    /// <summary>Gets the share of image paths whose first requests are answered 429 with
    /// <c>Retry-After</c> (<see cref="RetryAfter"/>).</summary>
    /// <value>0 by default.</value>
    public double RateLimitRate { get; init; }

    /// <summary>Gets the <c>Retry-After</c> sent with a 429, rounded up to whole seconds.</summary>
    /// <value>1 second by default.</value>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets the share of image paths whose first requests send half the body and then reset
    /// the connection.</summary>
    /// <value>0 by default.</value>
    public double ResetRate { get; init; }

    /// <summary>Gets the share of image paths whose first requests send half the body and then go
    /// silent for <see cref="StallTime"/> before resetting.</summary>
    /// <value>0 by default.</value>
    public double StallRate { get; init; }

    /// <summary>Gets how long a stalled body stays silent.</summary>
    /// <value>20 seconds by default.</value>
    public TimeSpan StallTime { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Gets how many requests to a faulty path misbehave before it works.</summary>
    /// <value>1 by default.</value>
    public int FaultTimes { get; init; } = 1;

    /// <summary>Gets the bandwidth cap per response in bytes per second.</summary>
    /// <value>0 (the default) means no cap.</value>
    public long BytesPerSecond { get; init; }

    /// <summary>Gets the seed that picks the faulty paths.</summary>
    /// <value>42 by default.</value>
    public int Seed { get; init; } = 42;
}
