using System.Text.Json;
using System.Text.Json.Serialization;

namespace Weft.Cli.Lab;

/// <summary>results.json: <see cref="LabResults"/> in camelCase (schema: docs/lab-results.schema.json).</summary>
internal static class LabJson
{
    private static readonly JsonSerializerOptions s_options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Serializes the results.</summary>
    /// <param name="results">The results.</param>
    /// <returns>The JSON document.</returns>
    public static string Serialize(LabResults results) => JsonSerializer.Serialize(results, s_options);
}
