using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace LinRegService.Auth;

/// <summary>
/// Authentication (the API-key scheme) and authorization: every endpoint needs a caller unless it
/// allows anonymous calls (the health endpoints); key management needs an admin. The dashboard's
/// files and Swagger UI are served before these run, so they stay open.
/// </summary>
internal static class AuthSetup
{
    public static IServiceCollection AddServiceAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddHttpContextAccessor();
        services.AddScoped<ICaller>(sp => Caller.From(sp.GetRequiredService<IHttpContextAccessor>().HttpContext?.User));
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, configureOptions: null);
        AuthorizationPolicy caller = new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build();
        services.AddAuthorizationBuilder()
            // Deny by default: an endpoint added later needs a key without anyone remembering to ask for one.
            .SetDefaultPolicy(caller)
            .SetFallbackPolicy(caller)
            .AddPolicy(AuthPolicies.Admin, policy => policy.Combine(caller).RequireRole(Caller.AdminRole));
        services.AddHostedService<LoopbackOnlyCheck>();
        return services;
    }

    /// <summary>After the dashboard's files and Swagger UI, before the endpoints.</summary>
    public static WebApplication UseServiceAuth(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
