using System.Diagnostics;

namespace LinRegService.Tests.Support;

/// <summary>
/// Spans an in-memory exporter collected. A job's attempt span ends, and is exported, just after
/// the job's final status is written, so a client that has seen the status waits for the span.
/// </summary>
public static class ExportedSpans
{
    /// <summary>A copy of <paramref name="spans"/> once one matches <paramref name="match"/>; fails after <paramref name="timeout"/> (5 s by default).</summary>
    public static async Task<Activity[]> WaitForAsync(List<Activity> spans, Func<Activity, bool> match, string what, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan limit = timeout ?? TimeSpan.FromSeconds(5);
        while (true)
        {
            Activity[] copy;
            lock (spans)
            {
                copy = [.. spans];
            }
            if (copy.Any(match))
            {
                return copy;
            }
            if (clock.Elapsed > limit)
            {
                Assert.Fail($"no span {what} within {limit.TotalSeconds} s; {copy.Length} exported: {string.Join(", ", copy.Select(s => s.OperationName).Distinct())}");
            }
            await Task.Delay(10);
        }
    }
}
