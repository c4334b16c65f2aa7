namespace LinRegService.Hosting;

/// <summary>The service's log messages, source-generated (no boxing, no work when the level is off).</summary>
internal static partial class ServiceLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard: {DashboardUrl}")]
    public static partial void Dashboard(this ILogger logger, string dashboardUrl);

    [LoggerMessage(Level = LogLevel.Information, Message = "Swagger UI: {SwaggerUrl}")]
    public static partial void SwaggerUi(this ILogger logger, string swaggerUrl);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job queued: {Examples}×{Features}, {Epochs} epochs, batch {BatchSize}")]
    public static partial void JobQueued(this ILogger logger, int examples, int features, int epochs, int batchSize);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep queued: {Jobs} jobs over {Fields}")]
    public static partial void SweepQueued(this ILogger logger, int jobs, IEnumerable<string> fields);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep canceled: {Canceled} of its jobs were still to end")]
    public static partial void SweepCanceled(this ILogger logger, int canceled);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep deleted with its {Jobs} jobs")]
    public static partial void SweepDeleted(this ILogger logger, int jobs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job started, attempt {Attempt}")]
    public static partial void JobStarted(this ILogger logger, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job succeeded: final loss {Loss}, generate {GenerateMs:F1} ms, train {TrainMs:F1} ms")]
    public static partial void JobSucceeded(this ILogger logger, double loss, double generateMs, double trainMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job canceled")]
    public static partial void JobCanceled(this ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job failed: {Reason}")]
    public static partial void JobFailed(this ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job failed unexpectedly")]
    public static partial void JobCrashed(this ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Service stopping: job returned to the queue")]
    public static partial void JobRequeued(this ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovered jobs left running by an earlier stop: {Requeued} queued again, {Failed} failed after {MaxAttempts} attempts, {Canceled} canceled")]
    public static partial void Recovered(this ILogger logger, int requeued, int failed, int maxAttempts, int canceled);

    [LoggerMessage(Level = LogLevel.Information, Message = "Starting {Workers} job workers")]
    public static partial void WorkersStarting(this ILogger logger, int workers);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not claim a job; retrying after {PollInterval}")]
    public static partial void ClaimFailed(this ILogger logger, Exception error, TimeSpan pollInterval);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the queue's counts for the queue gauges; they are left out of this collection")]
    public static partial void QueueGaugesUnread(this ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} jobs finished more than {Retention} ago")]
    public static partial void Purged(this ILogger logger, int count, TimeSpan retention);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} chunks of uploads abandoned more than {Age} ago")]
    public static partial void PurgedUploads(this ILogger logger, int count, TimeSpan age);

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention sweep failed; trying again at the next interval")]
    public static partial void PurgeFailed(this ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the PostgreSQL wake-up connection; reconnecting in {Delay}")]
    public static partial void WakeupsLost(this ILogger logger, Exception error, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job lease lost (another replica took the job over); stopping here without recording")]
    public static partial void LeaseLost(this ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cancel asked on another replica; stopping the job")]
    public static partial void CanceledElsewhere(this ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event stream could not read its job; trying again in {Delay}")]
    public static partial void EventStreamReadFailed(this ILogger logger, Exception error, TimeSpan delay);

    // Audit events of the keys: ids, names and roles, never a secret.
    [LoggerMessage(Level = LogLevel.Information, EventName = "KeyCreated", Message = "Audit: API key {KeyId} ({KeyName}, {Role}) created by {ByKeyId}")]
    public static partial void KeyCreated(this ILogger logger, string keyId, string keyName, string role, string byKeyId);

    [LoggerMessage(Level = LogLevel.Information, EventName = "KeyRevoked", Message = "Audit: API key {KeyId} ({KeyName}) revoked by {ByKeyId}")]
    public static partial void KeyRevoked(this ILogger logger, string keyId, string keyName, string byKeyId);

    [LoggerMessage(Level = LogLevel.Warning, EventName = "AdminKeyBootstrapped",
        Message = "Audit: no admin key existed, so admin key {KeyId} was made; its secret is printed on the console once, not logged")]
    public static partial void AdminKeyBootstrapped(this ILogger logger, string keyId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the use of API key {KeyId}")]
    public static partial void LastUseNotRecorded(this ILogger logger, Exception error, string keyId);
}
