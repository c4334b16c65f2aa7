using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace LinRegService.OpenApi;

/// <summary>Writes the service's limits onto schemas (Microsoft.OpenApi keeps numbers as invariant text).</summary>
internal static class SchemaLimits
{
    /// <summary>Inclusive bounds; a bound left out is left as it was.</summary>
    public static OpenApiSchema Range(this OpenApiSchema schema, double? minimum = null, double? maximum = null)
    {
        schema.Minimum = Text(minimum) ?? schema.Minimum;
        schema.Maximum = Text(maximum) ?? schema.Maximum;
        return schema;
    }

    /// <summary>A lower bound the value must exceed (3.0 writes it as <c>minimum</c> with <c>exclusiveMinimum: true</c>).</summary>
    public static OpenApiSchema Above(this OpenApiSchema schema, double bound)
    {
        schema.ExclusiveMinimum = Text(bound);
        return schema;
    }

    public static OpenApiSchema Items(this OpenApiSchema schema, int minimum, int maximum)
    {
        schema.MinItems = minimum;
        schema.MaxItems = maximum;
        return schema;
    }

    public static OpenApiSchema Default(this OpenApiSchema schema, JsonNode value)
    {
        schema.Default = value;
        return schema;
    }

    public static OpenApiSchema Example(this OpenApiSchema schema, JsonNode value)
    {
        schema.Example = value;
        return schema;
    }

    private static string? Text(double? value) => value?.ToString("R", CultureInfo.InvariantCulture);
}
