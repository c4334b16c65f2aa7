using System.Reflection;
using Microsoft.OpenApi;

namespace LinRegService.OpenApi;

/// <summary>Sets whether a schema admits null, in the forms OpenAPI 3.0 allows.</summary>
internal static class NullableSchemas
{
    /// <summary>
    /// <paramref name="schema"/> nullable exactly when <paramref name="info"/> says the member can be
    /// null, and likewise the items of an array, level by level.
    /// </summary>
    public static IOpenApiSchema WithElements(IOpenApiSchema schema, NullabilityInfo info)
    {
        bool nullable = info.ReadState == NullabilityState.Nullable || info.WriteState == NullabilityState.Nullable;
        IOpenApiSchema result = With(schema, nullable);
        if (result is OpenApiSchema { Items: { } items } array && ElementOf(info) is { } element)
        {
            array.Items = WithElements(items, element);
        }
        return result;
    }

    /// <summary>
    /// A reference cannot carry <c>nullable</c> in 3.0 (siblings of <c>$ref</c> are ignored), so a
    /// nullable one becomes <c>allOf: [$ref]</c> with <c>nullable: true</c> and no <c>type</c> of its
    /// own: with one, generators such as NSwag make a new subclass for the member instead of using
    /// the referenced type. (Microsoft.OpenApi writes a type of only Null as <c>nullable: true</c>.)
    /// </summary>
    public static IOpenApiSchema With(IOpenApiSchema schema, bool nullable)
    {
        switch (schema)
        {
            case OpenApiSchemaReference reference when nullable:
                return new OpenApiSchema { AllOf = [reference], Type = JsonSchemaType.Null, Description = reference.Description };
            case OpenApiSchema { AllOf: [OpenApiSchemaReference] } wrapper:
                wrapper.Type = nullable ? JsonSchemaType.Null : null;
                return wrapper;
            case OpenApiSchema { Type: { } type } inline:
                inline.Type = nullable ? type | JsonSchemaType.Null : type & ~JsonSchemaType.Null;
                return inline;
            default:
                return schema;
        }
    }

    private static NullabilityInfo? ElementOf(NullabilityInfo info) =>
        info.ElementType ?? (info.GenericTypeArguments is [NullabilityInfo only] ? only : null);
}
