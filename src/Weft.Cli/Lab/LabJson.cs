using System.Text.Json;

namespace Weft.Cli.Lab;

/// <summary>results.json: <see cref="LabResults"/> in camelCase (schema: docs/lab-results.schema.json), written
/// by source-generated code (no reflection, so it works under Native AOT).</summary>
internal static class LabJson
{
    /// <summary>Serializes the results.</summary>
    /// <param name="results">The results.</param>
    /// <returns>The JSON document.</returns>
    public static string Serialize(LabResults results) => JsonSerializer.Serialize(results, LabJsonContext.Default.LabResults);
}
