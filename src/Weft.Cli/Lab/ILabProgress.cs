namespace Weft.Cli.Lab;

/// <summary>Where the lab reports how far it has got.</summary>
internal interface ILabProgress
{
    /// <summary>The number of steps.</summary>
    /// <param name="total">How many steps the run has.</param>
    void Start(int total);

    /// <summary>A step begins.</summary>
    /// <param name="label">What it is.</param>
    void Begin(string label);

    /// <summary>A step ended.</summary>
    /// <param name="label">What it was.</param>
    /// <param name="result">Its figure, in a few words.</param>
    void End(string label, string result);
}
