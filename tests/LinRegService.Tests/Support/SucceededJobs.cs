using LinRegService.Contracts;

namespace LinRegService.Tests.Support;

/// <summary>Jobs run to success, and the size of what they got wrong (the exercises' measure).</summary>
internal static class SucceededJobs
{
    /// <summary>Submits <paramref name="json"/> and waits for it to succeed; fails with its error otherwise.</summary>
    public static async Task<Job> SucceededAsync(this HttpClient client, string json)
    {
        Job queued = await client.SubmitAsync(json);
        Job job = await client.WaitForFinishAsync(queued.Id);
        Assert.True(job.Status == JobStatus.Succeeded, $"{json} ended {job.Status}: {job.Error?.Message}");
        return job;
    }

    /// <summary>Euclidean norm of the weight error (true minus learned).</summary>
    public static double WeightErrorNorm(this Job job) => Math.Sqrt(job.Result!.WeightError!.Sum(e => (double)e * e));
}
