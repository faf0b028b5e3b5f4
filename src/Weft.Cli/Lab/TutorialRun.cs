namespace Weft.Cli.Lab;

/// <summary>A tutorial program run exactly as written.</summary>
/// <param name="Printed">Its timing line.</param>
/// <param name="Seconds">Its time.</param>
/// <param name="Error">What reading its results raised; null when nothing.</param>
internal sealed record TutorialRun(string Printed, double Seconds, string? Error);
