namespace Weft.Processes;

/// <summary>Copies a worker's stderr to this process's stderr as it comes, keeping the last 4 KB for
/// <see cref="WorkerCrashedException.StandardErrorTail"/>.</summary>
internal sealed class StandardErrorTail
{
    private const int Keep = 4096;

    private readonly byte[] _ring = new byte[Keep];
    private readonly Task _pump;
    private long _written;   // guarded by _ring

    private StandardErrorTail(Stream source) => _pump = Task.Run(() => PumpAsync(source));

    public static StandardErrorTail Pump(Stream source) => new(source);

    /// <summary>The tail as text, after waiting up to <paramref name="wait"/> for the pipe to end (it stays open
    /// while a process the task started holds it).</summary>
    public string Read(TimeSpan wait)
    {
        try
        {
            _pump.Wait(wait);
        }
        catch (AggregateException)
        {
            // The pump failed: what it kept is still the tail.
        }

        lock (_ring)
        {
            var count = (int)Math.Min(_written, Keep);
            var start = (int)((_written - count) % Keep);
            var bytes = new byte[count];
            for (var i = 0; i < count; i++)
            {
                bytes[i] = _ring[(start + i) % Keep];
            }

            return System.Text.Encoding.UTF8.GetString(bytes);
        }
    }

    private async Task PumpAsync(Stream source)
    {
        var buffer = new byte[4096];
        using var console = Console.OpenStandardError();
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                Remember(buffer.AsSpan(0, read));
                try
                {
                    await console.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
                    await console.FlushAsync().ConfigureAwait(false);
                }
                catch (IOException)
                {
                    // Our own stderr is closed: the tail is still kept.
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The pipe ended with the worker.
        }
    }

    private void Remember(ReadOnlySpan<byte> bytes)
    {
        lock (_ring)
        {
            foreach (var b in bytes)
            {
                _ring[_written++ % Keep] = b;
            }
        }
    }
}
