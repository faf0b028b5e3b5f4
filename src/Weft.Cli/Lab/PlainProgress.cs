namespace Weft.Cli.Lab;

/// <summary>Progress as one plain line per step, for redirected output and <c>--json</c> (on standard error).</summary>
internal sealed class PlainProgress(TextWriter writer) : ILabProgress
{
    private int _total;
    private int _done;

    public void Start(int total) => _total = total;

    public void Begin(string label)
    {
    }

    public void End(string label, string result)
    {
        _done++;
        writer.WriteLine($"[{_done,2}/{_total}] {label}: {result}");
        writer.Flush();
    }
}
