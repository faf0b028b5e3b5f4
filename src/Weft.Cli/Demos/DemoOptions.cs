namespace Weft.Cli.Demos;

/// <summary>How a demo runs.</summary>
/// <param name="Fast">Scales every sleep down ten times (<c>--fast</c>); timings printed are still real.</param>
internal sealed record DemoOptions(bool Fast = false)
{
    /// <summary>The factor applied to every sleep.</summary>
    public double SleepFactor => Fast ? 0.1 : 1.0;

    /// <summary>Stands for "the program ends": background (daemon) threads stop when it fires.
    /// Under <c>weft demo</c> the process exit ends them anyway; this matters when a demo runs
    /// inside a longer-lived host, such as the tests.</summary>
    public CancellationToken ProgramEnd { get; init; }

    /// <summary>The tutorial's <c>time.sleep(seconds)</c>, scaled by <see cref="SleepFactor"/>.</summary>
    /// <param name="seconds">The tutorial's sleep, in seconds.</param>
    public void Sleep(double seconds) => Thread.Sleep(Scaled(seconds));

    /// <summary>A tutorial duration scaled by <see cref="SleepFactor"/>.</summary>
    /// <param name="seconds">The tutorial's duration, in seconds.</param>
    /// <returns>The duration this run uses.</returns>
    public TimeSpan Scaled(double seconds) => TimeSpan.FromSeconds(seconds * SleepFactor);
}
