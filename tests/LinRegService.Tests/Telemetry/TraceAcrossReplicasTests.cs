using System.Diagnostics;
using LinRegService.Contracts;
using LinRegService.Hosting;
using LinRegService.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Serilog.Core;
using Serilog.Events;

namespace LinRegService.Tests.Telemetry;

/// <summary>
/// Two replicas on one PostgreSQL database, each host's spans in OpenTelemetry's in-memory
/// exporter: a job submitted to replica A (no workers) and run by replica B is one trace, the
/// attempt a child of the submission through the context stored with the job.
/// </summary>
public sealed class TraceAcrossReplicasTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [PostgresFact]
    public async Task A_job_submitted_on_one_replica_and_run_on_another_is_one_trace()
    {
        var spansA = new List<Activity>();
        var spansB = new List<Activity>();
        var logB = new LogCapture();
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "postgres",
            ["Serilog:MinimumLevel:Override:LinRegService.Queue.JobExecutor"] = "Information",
        };
        using var replicaA = new ServiceFactory(database.ConnectionString, settings)
        {
            TestServices = services =>
            {
                Workers.Remove(services); // everything A takes, B runs
                services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spansA));
            },
        };
        using var replicaB = new ServiceFactory(database.ConnectionString, settings)
        {
            TestServices = services =>
            {
                services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spansB));
                services.AddSingleton<ILogEventSink>(logB);
            },
        };
        using HttpClient clientA = replicaA.CreateClient();
        using HttpClient clientB = replicaB.CreateClient(); // B runs once its host has started
        string nameA = replicaA.Services.GetRequiredService<ReplicaIdentity>().Name;
        string nameB = replicaB.Services.GetRequiredService<ReplicaIdentity>().Name;

        Job submitted = await clientA.SubmitAsync();
        Job done = await clientA.WaitForFinishAsync(submitted.Id);
        Assert.Equal(JobStatus.Succeeded, done.Status);

        // The attempt span is exported just after the status is written; it ends after all its children.
        await ExportedSpans.WaitForAsync(spansB, s => s.OperationName == "linreg.job.attempt" && Tag(s, "linreg.job.id") == submitted.Id, "linreg.job.attempt");
        // The activity source is one per process, so each exporter hears every host: one list, by span id.
        Activity[] spans = [.. Snapshot(spansA).Concat(Snapshot(spansB)).DistinctBy(s => s.SpanId)];
        Activity submit = Assert.Single(spans, s => s.OperationName == "linreg.job.submit" && Tag(s, "linreg.job.id") == submitted.Id);
        Assert.Equal(nameA, Tag(submit, "linreg.replica"));
        ActivityTraceId trace = submit.TraceId;

        Activity attempt = Assert.Single(spans, s => s.OperationName == "linreg.job.attempt" && Tag(s, "linreg.job.id") == submitted.Id);
        Assert.Equal(trace, attempt.TraceId);
        Assert.Equal(submit.SpanId, attempt.ParentSpanId);
        Assert.Equal(nameB, Tag(attempt, "linreg.replica"));
        Assert.NotEqual(nameA, nameB);
        Assert.Equal("succeeded", Tag(attempt, "linreg.attempt.outcome"));

        // The phases are the attempt's children, in the engine's order, inside the attempt's time: a
        // generated run solves the closed form on its rows before training shuffles them.
        string[] phases = ["linreg.job.claim", "linreg.job.generate", "linreg.job.closed_form", "linreg.job.train", "linreg.job.finish"];
        Activity[] children = [.. phases.Select(name => Assert.Single(spans, s => s.OperationName == name && s.ParentSpanId == attempt.SpanId))];
        foreach (Activity child in children)
        {
            Assert.Equal(trace, child.TraceId);
            Assert.True(child.StartTimeUtc >= attempt.StartTimeUtc && child.StartTimeUtc + child.Duration <= attempt.StartTimeUtc + attempt.Duration,
                $"{child.OperationName} [{child.StartTimeUtc:O} + {child.Duration}] lies outside its attempt [{attempt.StartTimeUtc:O} + {attempt.Duration}]");
        }
        for (int i = 1; i < children.Length; i++)
        {
            Assert.True(children[i].StartTimeUtc >= children[i - 1].StartTimeUtc, $"{phases[i]} started before {phases[i - 1]}");
        }

        // One event per epoch on the train span, with the job's own losses.
        ActivityEvent[] epochs = [.. children[3].Events];
        Assert.Equal(done.EpochLosses.Count, epochs.Length);
        for (int i = 0; i < epochs.Length; i++)
        {
            Assert.Equal("epoch", epochs[i].Name);
            Assert.Equal(i + 1, epochs[i].Tags.Single(t => t.Key == "linreg.epoch").Value);
            Assert.Equal(done.EpochLosses[i], epochs[i].Tags.Single(t => t.Key == "linreg.loss").Value);
        }

        // PostgreSQL statements are spans where a request or an attempt makes them, but an idle
        // worker's claim every poll is not: that would be a trace of its own five times a second.
        Assert.Contains(spans, s => s.Source.Name == "Npgsql" && s.TraceId == trace);
        Assert.DoesNotContain(spans, s => s.Source.Name == "Npgsql"
            && s.TagObjects.Any(t => t.Value is string text && text.Contains("UPDATE jobs SET status = 'running'", StringComparison.Ordinal)));

        // B's log lines about the job carry the trace's id.
        LogEvent[] jobLines = [.. logB.Events.Where(e => e.Properties.TryGetValue(LogProperties.JobId, out LogEventPropertyValue? id)
            && id is ScalarValue { Value: string value } && value == submitted.Id)];
        Assert.NotEmpty(jobLines);
        Assert.All(jobLines, line => Assert.Equal(trace.ToHexString(), line.TraceId?.ToHexString()));
    }

    private static Activity[] Snapshot(List<Activity> spans)
    {
        lock (spans)
        {
            return [.. spans];
        }
    }

    private static string? Tag(Activity span, string name) => span.GetTagItem(name)?.ToString();
}
