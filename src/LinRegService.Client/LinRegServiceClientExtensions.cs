using Microsoft.Extensions.DependencyInjection;

namespace LinRegService.Client;

/// <summary>Registers <see cref="ILinRegServiceClient"/> as a typed client of <see cref="IHttpClientFactory"/>.</summary>
public static class LinRegServiceClientExtensions
{
    /// <summary>Adds <see cref="ILinRegServiceClient"/> for the service at <paramref name="baseAddress"/>.</summary>
    /// <param name="services">The caller's services.</param>
    /// <param name="baseAddress">The service's root, e.g. <c>http://linreg:8080/</c> (a path prefix is kept).</param>
    /// <returns>The client's builder, to add handlers (resilience, auth, logging) or a primary handler.</returns>
    public static IHttpClientBuilder AddLinRegServiceClient(this IServiceCollection services, Uri baseAddress) =>
        services.AddLinRegServiceClient(baseAddress, _ => { });

    /// <summary>Adds <see cref="ILinRegServiceClient"/> for the service at <paramref name="baseAddress"/>, with its settings.</summary>
    /// <param name="services">The caller's services.</param>
    /// <param name="baseAddress">The service's root, e.g. <c>http://linreg:8080/</c> (a path prefix is kept).</param>
    /// <param name="configure">Sets the client's <see cref="LinRegServiceClientOptions"/>.</param>
    /// <returns>The client's builder, to add handlers (resilience, auth, logging) or a primary handler.</returns>
    public static IHttpClientBuilder AddLinRegServiceClient(
        this IServiceCollection services, Uri baseAddress, Action<LinRegServiceClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(baseAddress);
        ArgumentNullException.ThrowIfNull(configure);
        if (!baseAddress.IsAbsoluteUri)
        {
            throw new ArgumentException($"The base address must be absolute, e.g. http://linreg:8080/; got '{baseAddress}'.", nameof(baseAddress));
        }
        Uri root = WithTrailingSlash(baseAddress);
        services.Configure(configure);
        return services.AddHttpClient<ILinRegServiceClient, LinRegServiceClient>(http => http.BaseAddress = root);
    }

    /// <summary>Relative paths resolve below the last slash: without one, <c>http://gw/linreg</c> would lose its <c>linreg</c>.</summary>
    private static Uri WithTrailingSlash(Uri address) =>
        address.AbsolutePath.EndsWith('/') ? address : new UriBuilder(address) { Path = address.AbsolutePath + "/" }.Uri;
}
