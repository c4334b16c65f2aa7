using System.Text.Json.Nodes;
using Json.Schema;

namespace LinRegService.Tests.Support;

/// <summary>
/// OpenAPI 3.0 schemas as JSON Schema 2020-12, so a maintained validator (JsonSchema.Net) can hold
/// answers against them: <c>nullable: true</c> becomes <c>anyOf</c> with <c>{"type": "null"}</c>,
/// <c>#/components/schemas/X</c> becomes <c>#/$defs/X</c>, 3.0's boolean
/// <c>exclusiveMinimum</c>/<c>exclusiveMaximum</c> become the numeric keywords, and 3.0-only
/// annotations (<c>example</c>) are dropped.
/// </summary>
public static class OpenApiJsonSchema
{
    private const string ComponentPrefix = "#/components/schemas/";

    /// <summary>A validator for <paramref name="schema"/>, one schema object of <paramref name="document"/>.</summary>
    public static JsonSchema Build(JsonObject document, JsonNode schema)
    {
        var definitions = new JsonObject();
        foreach ((string name, JsonNode? component) in document["components"]?["schemas"]?.AsObject() ?? [])
        {
            definitions[name] = Convert(component!);
        }
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = definitions,
            ["allOf"] = new JsonArray(Convert(schema)),
        };
        // Each build gets its own base URI: the validator keeps built schemas in a registry by URI.
        return JsonSchema.FromText(root.ToJsonString(), baseUri: new Uri($"urn:uuid:{Guid.NewGuid()}"));
    }

    /// <summary>One OpenAPI 3.0 schema object in 2020-12 terms.</summary>
    public static JsonNode Convert(JsonNode schema)
    {
        if (schema is not JsonObject source)
        {
            return schema.DeepClone(); // true, false
        }
        var target = new JsonObject();
        foreach ((string keyword, JsonNode? value) in source)
        {
            switch (keyword)
            {
                case "nullable" or "example" or "xml" or "externalDocs" or "discriminator":
                    break;
                case "$ref":
                    target[keyword] = ((string)value!).Replace(ComponentPrefix, "#/$defs/", StringComparison.Ordinal);
                    break;
                case "exclusiveMinimum" or "exclusiveMaximum":
                    if ((bool)value!)
                    {
                        target[keyword] = source[keyword == "exclusiveMinimum" ? "minimum" : "maximum"]!.DeepClone();
                    }
                    break;
                case "minimum" or "maximum":
                    if (source[keyword == "minimum" ? "exclusiveMinimum" : "exclusiveMaximum"] is not JsonValue exclusive || !(bool)exclusive)
                    {
                        target[keyword] = value!.DeepClone();
                    }
                    break;
                case "properties":
                    var properties = new JsonObject();
                    foreach ((string name, JsonNode? property) in value!.AsObject())
                    {
                        properties[name] = Convert(property!);
                    }
                    target[keyword] = properties;
                    break;
                case "items" or "additionalProperties" or "not":
                    target[keyword] = Convert(value!);
                    break;
                case "allOf" or "anyOf" or "oneOf":
                    target[keyword] = new JsonArray([.. value!.AsArray().Select(part => Convert(part!))]);
                    break;
                default:
                    target[keyword] = value?.DeepClone();
                    break;
            }
        }
        return source["nullable"] is JsonValue nullable && (bool)nullable
            ? new JsonObject { ["anyOf"] = new JsonArray(new JsonObject { ["type"] = "null" }, target) }
            : target;
    }
}
