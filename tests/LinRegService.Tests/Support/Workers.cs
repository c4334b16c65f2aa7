using LinRegService.Queue;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LinRegService.Tests.Support;

/// <summary>Test hooks on the worker pool.</summary>
public static class Workers
{
    /// <summary>Removes the worker pool from a host (for <c>ConfigureTestServices</c>): nothing it queues is ever claimed.</summary>
    public static void Remove(IServiceCollection services)
    {
        ServiceDescriptor[] workers = [.. services.Where(d => d.ServiceType == typeof(IHostedService)
            && d.ImplementationFactory?.GetType().GenericTypeArguments.LastOrDefault() == typeof(JobWorkers))];
        Assert.Single(workers);
        foreach (ServiceDescriptor descriptor in workers)
        {
            services.Remove(descriptor);
        }
    }
}
