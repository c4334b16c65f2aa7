using LinRegService.Auth;
using LinRegService.Contracts;
using LinRegService.Jobs;
using LinRegService.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace LinRegService.Keys;

/// <summary>The <c>/api/keys</c> endpoints: admins make, list, read and revoke keys; any caller reads its own.</summary>
internal static class KeyEndpoints
{
    public static IEndpointRouteBuilder MapKeyEndpoints(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder keys = app.MapGroup("/api/keys").WithTags("Keys");
        RouteGroupBuilder admin = keys.MapGroup("").RequireAuthorization(AuthPolicies.Admin);

        admin.MapPost("", CreateAsync)
            .WithName("CreateKey")
            .WithSummary("Make an API key (admin)")
            .WithDescription("A key for a user (sees only its own jobs) or an admin (sees all, manages keys), with optional limits of its own. "
                + "The answer holds the secret (`key`) this once: the service keeps only its hash.")
            .Accepts<CreateApiKeyRequest>("application/json")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        admin.MapGet("", ListAsync)
            .WithName("ListKeys")
            .WithSummary("List the API keys (admin)")
            .WithDescription("Every key, newest first, revoked ones included, with when it was made and last used; never a secret.");

        admin.MapGet("{id}", GetAsync)
            .WithName("GetKey")
            .WithSummary("Read an API key (admin)")
            .WithDescription("The key's name, role, origin, times and limits; never its secret.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        admin.MapDelete("{id}", RevokeAsync)
            .WithName("RevokeKey")
            .WithSummary("Revoke an API key (admin)")
            .WithDescription("The key stops working on every replica within 5 seconds (at once on the one that answers). Its jobs stay, "
                + "seen by admins. The key of `Auth:AdminKey` cannot be revoked here (409): change the setting.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        keys.MapGet("me", MeAsync)
            .WithName("GetCallerKey")
            .WithSummary("The caller's own key, limits and usage")
            .WithDescription("The key the call was made with (null with `Auth:Mode` None and no key), its role, the limits that apply "
                + "and what its jobs use now.");
        return app;
    }

    private static async Task<Results<Created<CreatedApiKey>, ValidationProblem>> CreateAsync(
        [FromBody] CreateApiKeyRequest request, KeyAdministration administration, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            return Problems.BadField("body", "The request body must be a JSON object with a name and a role.");
        }
        (CreatedApiKey? key, Dictionary<string, string[]> errors) = await administration.CreateAsync(request, cancellationToken);
        return key is null ? TypedResults.ValidationProblem(errors) : TypedResults.Created($"/api/keys/{key.Id}", key);
    }

    private static async Task<Ok<ApiKeyList>> ListAsync(IKeyStore store, IOptions<QuotasOptions> quotas, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ApiKeyList([.. (await store.ListAsync(cancellationToken)).Select(k => k.ToContract(quotas.Value))]));

    private static async Task<Results<Ok<ApiKey>, ProblemHttpResult>> GetAsync(
        string id, IKeyStore store, IOptions<QuotasOptions> quotas, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } key ? TypedResults.Ok(key.ToContract(quotas.Value)) : NotFound(id);

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string id, KeyAdministration administration, CancellationToken cancellationToken) =>
        await administration.RevokeAsync(id, cancellationToken) switch
        {
            RevokeOutcome.Revoked => TypedResults.NoContent(),
            RevokeOutcome.Configured => Problems.Conflict("The key is Auth:AdminKey's",
                "This key is the secret in the Auth:AdminKey setting; change or remove the setting to retire it."),
            _ => NotFound(id),
        };

    private static async Task<Ok<CallerInfo>> MeAsync(
        ICaller caller, IKeyStore keys, IJobStore jobs, IOptions<QuotasOptions> quotas, CancellationToken cancellationToken)
    {
        ApiKeyRecord? key = caller.KeyId is { } id ? await keys.GetAsync(id, cancellationToken) : null;
        OwnerUsage usage = await jobs.UsageAsync(caller.KeyId, cancellationToken);
        return TypedResults.Ok(new CallerInfo
        {
            Key = key?.ToContract(quotas.Value),
            Role = caller.IsAdmin ? ApiKeyRole.Admin : ApiKeyRole.User,
            // A call without a key has no quotas (see CallerQuotas): say so rather than show limits that do not hold.
            Quotas = caller.KeyId is null ? CallerQuotas.Unlimited : quotas.Value.For(key?.Quotas ?? new ApiKeyQuotaOverrides()),
            Usage = new ApiKeyUsage(usage.ActiveJobs, usage.StoredJobs, usage.StoredBytes),
        });
    }

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Key not found", detail: $"No API key has the id '{id}'.");
}
