using System.Text.Json;

namespace Weft.Cli.Tests.Lab;

/// <summary>The subset of JSON Schema that docs/lab-results.schema.json uses: type, required, properties,
/// items, enum, const, minimum, exclusiveMinimum, anyOf and local $ref.</summary>
internal static class MiniSchema
{
    public static List<string> Validate(JsonElement schema, JsonElement value)
    {
        var errors = new List<string>();
        Check(schema, schema, value, "$", errors);
        return errors;
    }

    private static List<string> Validate(JsonElement root, JsonElement schema, JsonElement value, string path)
    {
        var errors = new List<string>();
        Check(root, schema, value, path, errors);
        return errors;
    }

    private static void Check(JsonElement root, JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var target = root;
            foreach (var part in reference.GetString()!.TrimStart('#', '/').Split('/'))
            {
                target = target.GetProperty(part);
            }

            Check(root, target, value, path, errors);
            return;
        }

        if (schema.TryGetProperty("anyOf", out var anyOf))
        {
            if (!anyOf.EnumerateArray().Any(option => Validate(root, option, value, path).Count == 0))
            {
                errors.Add($"{path}: matches none of anyOf {anyOf}");
            }
        }

        if (schema.TryGetProperty("type", out var type))
        {
            var allowed = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToList() : [type.GetString()!];
            if (!allowed.Any(t => Is(t, value)))
            {
                errors.Add($"{path}: expected {string.Join("|", allowed)}, got {value.ValueKind}");
                return;
            }
        }

        if (schema.TryGetProperty("const", out var constant) && constant.ToString() != value.ToString())
        {
            errors.Add($"{path}: expected {constant}, got {value}");
        }

        if (schema.TryGetProperty("enum", out var options) && !options.EnumerateArray().Any(o => o.ToString() == value.ToString()))
        {
            errors.Add($"{path}: {value} is not one of {options}");
        }

        if (value.ValueKind == JsonValueKind.Number)
        {
            if (schema.TryGetProperty("minimum", out var min) && value.GetDouble() < min.GetDouble())
            {
                errors.Add($"{path}: {value} < {min}");
            }

            if (schema.TryGetProperty("exclusiveMinimum", out var xmin) && value.GetDouble() <= xmin.GetDouble())
            {
                errors.Add($"{path}: {value} <= {xmin}");
            }
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            if (schema.TryGetProperty("required", out var required))
            {
                foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
                {
                    if (!value.TryGetProperty(name, out _))
                    {
                        errors.Add($"{path}: missing {name}");
                    }
                }
            }

            if (schema.TryGetProperty("properties", out var properties))
            {
                foreach (var property in properties.EnumerateObject())
                {
                    if (value.TryGetProperty(property.Name, out var child))
                    {
                        Check(root, property.Value, child, $"{path}.{property.Name}", errors);
                    }
                }
            }
        }

        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            var i = 0;
            foreach (var element in value.EnumerateArray())
            {
                Check(root, items, element, $"{path}[{i++}]", errors);
            }
        }
    }

    private static bool Is(string type, JsonElement value) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        _ => throw new ArgumentException($"schema type {type} is not supported", nameof(type)),
    };
}
