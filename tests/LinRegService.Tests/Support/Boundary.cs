using System.Text.Json.Nodes;

namespace LinRegService.Tests.Support;

/// <summary>One documented bound of an OpenAPI 3.0 schema: a value just past it and one at it (or just inside, when it is exclusive).</summary>
/// <param name="Name">The keyword, e.g. <c>maximum</c>.</param>
/// <param name="Outside">A value the bound refuses.</param>
/// <param name="Inside">A value the bound allows, as close to it as the type permits.</param>
public sealed record Boundary(string Name, JsonNode Outside, JsonNode Inside)
{
    /// <summary>A small step past a bound of a number (integers step by 1).</summary>
    private const double Step = 0.001;

    public static IEnumerable<Boundary> Of(JsonObject schema)
    {
        bool integer = (string?)schema["type"] == "integer";
        double step = integer ? 1 : Step;
        if (schema["minimum"] is JsonValue minimum)
        {
            double bound = (double)minimum;
            yield return schema["exclusiveMinimum"] is JsonValue exclusive && (bool)exclusive
                ? new Boundary("exclusiveMinimum", Number(bound, integer), Number(bound + step, integer))
                : new Boundary("minimum", Number(bound - step, integer), Number(bound, integer));
        }
        if (schema["maximum"] is JsonValue maximum)
        {
            double bound = (double)maximum;
            yield return schema["exclusiveMaximum"] is JsonValue exclusive && (bool)exclusive
                ? new Boundary("exclusiveMaximum", Number(bound, integer), Number(bound - step, integer))
                : new Boundary("maximum", Number(bound + step, integer), Number(bound, integer));
        }
        if (schema["minItems"] is JsonValue minItems && (int)minItems > 0)
        {
            yield return new Boundary("minItems", Items((int)minItems - 1), Items((int)minItems));
        }
        if (schema["maxItems"] is JsonValue maxItems)
        {
            yield return new Boundary("maxItems", Items((int)maxItems + 1), Items((int)maxItems));
        }
        if (schema["minLength"] is JsonValue minLength && (int)minLength > 0)
        {
            yield return new Boundary("minLength", new string('k', (int)minLength - 1), new string('k', (int)minLength));
        }
        if (schema["maxLength"] is JsonValue maxLength)
        {
            yield return new Boundary("maxLength", new string('k', (int)maxLength + 1), new string('k', (int)maxLength));
        }
    }

    /// <summary>Integers as whole JSON numbers (2^53 − 1 and above stay exact as long).</summary>
    private static JsonValue Number(double value, bool integer) => integer ? JsonValue.Create((long)value) : JsonValue.Create(value);

    private static JsonArray Items(int count) => new([.. Enumerable.Range(0, count).Select(i => JsonValue.Create(i % 2 == 0 ? 1.0 : -1.0))]);
}
