using LinRegService.Hosting;
using LinRegService.Jobs;
using LinRegService.Storage;
using Microsoft.Extensions.Options;

namespace LinRegService.Queue;

/// <summary>Registers what runs jobs: the workers, their wake-up signal, the running jobs, the cleaner and the replica wake-ups.</summary>
internal static class QueueSetup
{
    public static IServiceCollection AddJobQueue(this IServiceCollection services)
    {
        // The store sizes its connection pool to the workers; it does not read the queue's settings itself.
        services.AddOptions<StorageOptions>().Configure<IOptions<JobsOptions>>((storage, jobs) => storage.Workers = jobs.Value.EffectiveWorkers);
        services.AddSingleton(sp => new JobSignal(sp.GetRequiredService<IOptions<JobsOptions>>().Value.EffectiveWorkers));
        services.AddSingleton<RunningJobs>();
        services.AddSingleton<ReplicaIdentity>();
        services.AddSingleton<QueueGauges>();
        services.AddSingleton<CompletionRate>();
        services.AddSingleton(sp => new MemoryAdmission(sp.GetRequiredService<IOptions<JobsOptions>>().Value.EffectiveMemoryBudgetBytes));
        services.AddScoped<JobExecutor>();
        services.AddSingleton<IJobRunner, QueueRunner>();
        services.AddSingleton<JobWorkers>();
        services.AddHostedService(sp => sp.GetRequiredService<JobWorkers>());
        services.AddHostedService<RetentionCleaner>();
        services.AddHostedService<ReplicaWakeups>(); // does nothing unless the store is shared
        return services;
    }
}
