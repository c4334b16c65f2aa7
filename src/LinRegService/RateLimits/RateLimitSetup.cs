using System.Globalization;
using System.Threading.RateLimiting;
using LinRegService.Auth;
using LinRegService.Telemetry;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace LinRegService.RateLimits;

/// <summary>
/// ASP.NET Core's rate limiter over <c>/api</c>: token buckets partitioned by the caller's key id
/// (a call without a key, <c>Auth:Mode</c> None, by its remote address), one for submissions and one
/// for the rest, so a client polling its jobs cannot starve its own submissions or the reverse.
/// Over the limit: 429 with <c>Retry-After</c> and a problem.
/// </summary>
internal static class RateLimitSetup
{
    public static IServiceCollection AddServiceRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitsOptions>().Bind(configuration.GetSection(RateLimitsOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RateLimitsOptions>, RateLimitsOptionsValidator>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitsOptions>>((options, limits) =>
        {
            RateLimitsOptions rates = limits.Value;
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context, rates));
            options.OnRejected = RejectAsync;
        });
        return services;
    }

    /// <summary>After authentication, so the bucket is the key's; after routing, so a submission is known by its endpoint.</summary>
    public static WebApplication UseServiceRateLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }

    private static RateLimitPartition<string> Partition(HttpContext context, RateLimitsOptions rates)
    {
        if (!context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            return RateLimitPartition.GetNoLimiter("");
        }
        bool submission = context.GetEndpoint()?.Metadata.GetMetadata<SubmissionRateLimit>() is not null;
        double rate = submission ? rates.SubmitsPerSecond : rates.ReadsPerSecond;
        string caller = Caller.From(context.User).KeyId is { } keyId
            ? "key:" + keyId
            : "address:" + (context.Connection.RemoteIpAddress?.ToString() ?? "local");
        string partition = (submission ? "submit|" : "read|") + caller;
        return rate <= 0 ? RateLimitPartition.GetNoLimiter(partition) : RateLimitPartition.GetTokenBucketLimiter(partition, _ => Bucket(rate));
    }

    /// <summary>
    /// Whole tokens at a steady pace: a tenth of the rate every tenth of a second from 10/s up,
    /// one token every 1/rate seconds below.
    /// </summary>
    internal static TokenBucketRateLimiterOptions Bucket(double perSecond)
    {
        int tokens = Math.Max(1, (int)(perSecond / 10));
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, (int)Math.Ceiling(perSecond * RateLimitsOptions.BurstSeconds)),
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = TimeSpan.FromSeconds(tokens / perSecond),
            QueueLimit = 0, // refuse at once; a queued request would hold its connection
            AutoReplenishment = true,
        };
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        HttpContext context = rejected.HttpContext;
        int seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan wait)
            ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
            : 1;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        bool submission = context.GetEndpoint()?.Metadata.GetMetadata<SubmissionRateLimit>() is not null;
        context.RequestServices.GetRequiredService<JobMetrics>().Rejected("rate_limit", ((ICaller)Caller.From(context.User)).Role);
        string setting = submission ? "RateLimits:SubmitsPerSecond" : "RateLimits:ReadsPerSecond";
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"This key made more {(submission ? "submissions" : "calls")} than {setting} allows. Retry after {seconds} s.",
                Extensions = { ["retryAfterSeconds"] = seconds },
            },
        });
    }
}
