using System.Text.Json.Serialization;

namespace Weft.Cli.Lab;

/// <summary>The source-generated serializer of <see cref="LabResults"/>.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(LabResults))]
internal sealed partial class LabJsonContext : JsonSerializerContext;
