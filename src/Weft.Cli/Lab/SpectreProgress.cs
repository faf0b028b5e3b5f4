using Spectre.Console;

namespace Weft.Cli.Lab;

/// <summary>Progress as a Spectre.Console bar, for an interactive terminal.</summary>
internal sealed class SpectreProgress(ProgressTask task) : ILabProgress
{
    public void Start(int total) => task.MaxValue = total;

    public void Begin(string label) => task.Description = Markup.Escape(label);

    public void End(string label, string result)
    {
        task.Description = Markup.Escape($"{label}: {result}");
        task.Increment(1);
    }
}
