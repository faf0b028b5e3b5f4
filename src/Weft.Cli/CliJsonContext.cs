using System.Text.Json.Serialization;
using Weft.Cli.Lab;

namespace Weft.Cli;

/// <summary>The documents <c>weft</c> writes as JSON, serialized by generated code: the tool is a Native AOT
/// executable, where reflection-based serialization is off (it would write <c>{}</c>).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(LabResults))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
