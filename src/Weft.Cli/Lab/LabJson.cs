using System.Text.Json;

namespace Weft.Cli.Lab;

/// <summary>results.json: <see cref="LabResults"/> in camelCase (schema: docs/lab-results.schema.json).</summary>
internal static class LabJson
{
    /// <summary>Serializes the results (generated code, options on <see cref="CliJsonContext"/>: the tool is Native AOT).</summary>
    /// <param name="results">The results.</param>
    /// <returns>The JSON document.</returns>
    public static string Serialize(LabResults results) => JsonSerializer.Serialize(results, CliJsonContext.Default.LabResults);
}
