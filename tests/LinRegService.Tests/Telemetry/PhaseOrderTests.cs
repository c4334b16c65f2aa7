using System.Diagnostics;
using LinRegService.Telemetry;
using LinRegService.Training.Runs;

namespace LinRegService.Tests.Telemetry;

/// <summary>
/// An attempt's phase spans follow the order the engine ran them in: a generated run solves the
/// closed form before training shuffles its rows, a run on a given dataset after training; each
/// phase starts where the one before it ended.
/// </summary>
public sealed class PhaseOrderTests
{
    [Theory]
    [InlineData(true, new[] { "linreg.job.generate", "linreg.job.closed_form", "linreg.job.train" })]
    [InlineData(false, new[] { "linreg.job.generate", "linreg.job.train", "linreg.job.closed_form" })]
    public void Phases_are_laid_out_in_the_order_they_ran(bool closedFormFirst, string[] expected)
    {
        var recorded = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ServiceTelemetry.Name, // by name: the source may not exist yet
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => recorded.Add(activity),
        };
        ActivitySource.AddActivityListener(listener);
        using var attempt = new Activity("linreg.job.attempt");
        attempt.Start();
        DateTime started = new(2026, 12, 2, 7, 0, 0, DateTimeKind.Utc);
        var timings = new RunTimings(GenerateMs: 10, TrainMs: 30, ClosedFormMs: 5) { ClosedFormFirst = closedFormFirst };

        JobTracing.RecordPhases(attempt, started, timings, []);

        Activity[] phases = [.. recorded.Where(s => s.ParentSpanId == attempt.SpanId).OrderBy(s => s.StartTimeUtc)];
        Assert.Equal(expected, phases.Select(s => s.OperationName));
        Assert.Equal(started, phases[0].StartTimeUtc);
        for (int i = 1; i < phases.Length; i++)
        {
            Assert.Equal(phases[i - 1].StartTimeUtc + phases[i - 1].Duration, phases[i].StartTimeUtc);
        }
        Assert.Equal(TimeSpan.FromMilliseconds(closedFormFirst ? 5 : 30), phases[1].Duration);
    }
}
