using System.Text.Json.Serialization;

namespace Weft.Cli.Lab.Python;

/// <summary>Reads a lab program's result line without reflection (Native AOT).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(PythonReport))]
internal sealed partial class PythonJson : JsonSerializerContext;
