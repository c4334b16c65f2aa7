using LinRegService.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LinRegService.OpenApi;

/// <summary>
/// The API-key scheme in the document (Swagger UI's "Authorize" sends it), and on every operation
/// that needs a key, from the endpoint's own authorization metadata: the requirement, its 401,
/// and a 403 where an admin key is needed. Operations that allow anonymous calls stay open.
/// </summary>
internal sealed class ApiKeySecurity : IOperationFilter
{
    public const string SchemeId = "ApiKey";

    public static OpenApiSecurityScheme Scheme { get; } = new()
    {
        Type = SecuritySchemeType.Http,
        Scheme = "bearer",
        BearerFormat = "API key",
        Description = "An API key, sent as `Authorization: Bearer <key>` (`lrs_…`). Admins make keys with `POST /api/keys`; "
            + "the first start prints an admin key unless `Auth:AdminKey` sets one. With `Auth:Mode` None (loopback only) calls need none.",
    };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        IList<object> metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            return;
        }
        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeId, context.Document)] = [] }];
        operation.Responses ??= [];
        IOpenApiSchema problem = context.SchemaGenerator.GenerateSchema(typeof(ProblemDetails), context.SchemaRepository);
        OpenApiResponse unauthorized = Problem("Unauthorized: no API key, or one that is not known or was revoked.", problem);
        unauthorized.Headers = new Dictionary<string, IOpenApiHeader>
        {
            ["WWW-Authenticate"] = new OpenApiHeader
            {
                Description = "`Bearer`, with `error=\"invalid_token\"` when a key was sent and refused.",
                Required = true,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            },
        };
        operation.Responses["401"] = unauthorized;
        if (metadata.OfType<IAuthorizeData>().Any(a => a.Policy == AuthPolicies.Admin))
        {
            operation.Responses["403"] = Problem("Forbidden: a user key; this needs an admin key.", problem);
        }
    }

    private static OpenApiResponse Problem(string description, IOpenApiSchema schema) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = schema } },
    };
}
