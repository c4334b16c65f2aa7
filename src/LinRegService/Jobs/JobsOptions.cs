using System.ComponentModel.DataAnnotations;
using LinRegService.Training.Validation;

namespace LinRegService.Jobs;

/// <summary>Settings of the job queue (section <c>Jobs</c>); docs/configuration.md describes each.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>Jobs run at once; 0 means one per core.</summary>
    [Range(0, 256)]
    public int Workers { get; set; }

    /// <summary>Queued jobs beyond which a submission gets 503.</summary>
    [Range(1, 1_000_000)]
    public int MaxQueued { get; set; } = 1000;

    /// <summary>Longest a job may run; also the default and the cap of a request's maxRuntimeSeconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan MaxRuntime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a worker's claim on a job holds without renewal; a job whose replica died is claimed again after it.</summary>
    [Range(1, 3600)]
    public int LeaseSeconds { get; set; } = 30;

    /// <summary>Starts a job may take (crashes included) before it fails.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Finished jobs older than this are removed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often the retention cleaner looks.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RetentionSweepInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often an idle worker looks for work without being woken (a safety net).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The shortest Retry-After of a 503 when the queue is full, and the one sent before any job has finished; longer when jobs finish slower.</summary>
    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 5;

    /// <summary>Largest request body accepted (413 beyond).</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public long MaxRequestBytes { get; set; } = 1024 * 1024;

    /// <summary>Most rows a job's samples or a samples page may hold.</summary>
    [Range(0, 100_000)]
    public int MaxSampleCount { get; set; } = 1000;

    /// <summary>Most values (rows × features) a job's samples may hold: they are stored with the job and sent with every read of it.</summary>
    [Range(0, 100_000_000)]
    public int MaxSampleValues { get; set; } = 20_000;

    /// <summary>Most rows one predict request may hold.</summary>
    [Range(1, 1_000_000)]
    public int MaxPredictRows { get; set; } = 10_000;

    /// <summary>Largest estimated peak memory of one job, in bytes (413 beyond); 0 means the memory budget.</summary>
    [Range(0L, long.MaxValue)]
    public long MaxJobBytes { get; set; }

    /// <summary>Memory the running jobs' estimates may add up to, in bytes; 0 means 60 % of what the runtime reports available (container limits included).</summary>
    [Range(0L, long.MaxValue)]
    public long MemoryBudgetBytes { get; set; }

    /// <summary>Size limits of one job.</summary>
    [Microsoft.Extensions.Options.ValidateObjectMembers]
    public TrainingLimits Limits { get; set; } = new();

    /// <summary>The share of the available memory the budget defaults to.</summary>
    public const double DefaultMemoryShare = 0.6;

    /// <summary>The memory budget after resolving 0: a share of the memory the GC sees as available (a container's limit where there is one).</summary>
    public long EffectiveMemoryBudgetBytes => MemoryBudgetBytes > 0
        ? MemoryBudgetBytes
        : (long)(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes * DefaultMemoryShare);

    /// <summary>The largest job after resolving 0 (the memory budget).</summary>
    public long EffectiveMaxJobBytes => MaxJobBytes > 0 ? MaxJobBytes : EffectiveMemoryBudgetBytes;

    /// <summary>The number of workers after resolving 0.</summary>
    public int EffectiveWorkers => Workers > 0 ? Workers : Environment.ProcessorCount;
}
