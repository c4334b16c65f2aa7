using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using LinRegService.Contracts;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LinRegService.OpenApi;

/// <summary>
/// Makes each contract schema say what the service's JSON does, from the same serializer contract
/// the endpoints write with and the C# nullability annotations: a member that can be null is
/// <c>nullable</c> (a reference as <c>allOf: [$ref]</c> with <c>nullable: true</c>, since 3.0 allows
/// nothing beside a <c>$ref</c>), and one that cannot is not. A type the service only sends has
/// every member <c>required</c>, because System.Text.Json writes every member, nulls included; a
/// type a client sends (reachable from a request body) requires only its C# <c>required</c> members,
/// since a client may leave the rest out. New members get this without any change here.
/// </summary>
internal sealed class ContractSchemaFilter(IOptions<JsonOptions> json, RequestBodyTypes requestTypes) : ISchemaFilter
{
    private static readonly Assembly _contracts = typeof(Job).Assembly;

    // A copy: asking the endpoints' own options for a contract would make them read-only.
    private readonly Lazy<JsonSerializerOptions> _serializer = new(() => new JsonSerializerOptions(json.Value.SerializerOptions));

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema { Properties: { Count: > 0 } properties } target
            || context.MemberInfo is not null || context.ParameterInfo is not null || context.Type.Assembly != _contracts)
        {
            return;
        }
        JsonTypeInfo type = _serializer.Value.GetTypeInfo(context.Type);
        bool sentByClients = requestTypes.Contains(context.Type);
        var required = new SortedSet<string>(StringComparer.Ordinal);
        var nullability = new NullabilityInfoContext();
        foreach (JsonPropertyInfo member in type.Properties)
        {
            if (!properties.TryGetValue(member.Name, out IOpenApiSchema? memberSchema) || Nullability(nullability, member) is not { } info)
            {
                continue;
            }
            properties[member.Name] = NullableSchemas.WithElements(memberSchema, info);
            if (sentByClients ? member.IsRequired : AlwaysWritten(member))
            {
                required.Add(member.Name);
            }
        }
        target.Required = required;
    }

    /// <summary>Written on every answer: it has a getter and no ignore condition (which would show as a ShouldSerialize predicate).</summary>
    private static bool AlwaysWritten(JsonPropertyInfo member) => member.Get is not null && member.ShouldSerialize is null;

    private static NullabilityInfo? Nullability(NullabilityInfoContext context, JsonPropertyInfo member) => member.AttributeProvider switch
    {
        PropertyInfo property => context.Create(property),
        FieldInfo field => context.Create(field),
        _ => null,
    };
}
