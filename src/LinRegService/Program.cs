using LinRegService.Auth;
using LinRegService.Dashboard;
using LinRegService.Datasets;
using LinRegService.Errors;
using LinRegService.Events;
using LinRegService.Headers;
using LinRegService.Health;
using LinRegService.Hosting;
using LinRegService.Jobs;
using LinRegService.Keys;
using LinRegService.OpenApi;
using LinRegService.Plots;
using LinRegService.Queue;
using LinRegService.RateLimits;
using LinRegService.Storage;
using LinRegService.Sweeps;
using LinRegService.Telemetry;
using Microsoft.Extensions.Options;
using Serilog;

// The container's HEALTHCHECK: probe the running service and exit, starting nothing.
if (HealthProbe.IsRequested(args))
{
    return await HealthProbe.RunAsync(args, Console.Out);
}

// Stage one of logging: enough to report a failure to start.
Log.Logger = Logging.CreateStartupLogger();
try
{
    WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
    builder.AddLinkedAppSettings();
    builder.AddServiceLogging();
    builder.AddRequestGuards();
    builder.AddServiceTelemetry(); // metrics and traces: Prometheus's /metrics, OTLP

    builder.Services.AddServiceJson();
    builder.Services.AddServiceProblems();
    builder.Services.AddJobEvents(builder.Configuration);
    builder.Services.AddJobStorage(builder.Configuration, builder.Environment);
    builder.Services.AddServiceAuth(builder.Configuration);
    builder.Services.AddApiKeys(builder.Configuration);
    builder.Services.AddJobs(builder.Configuration);
    builder.Services.AddSweeps(builder.Configuration);
    builder.Services.AddDatasets(builder.Configuration);
    builder.Services.AddJobQueue();
    builder.Services.AddServiceRateLimits(builder.Configuration);
    builder.Services.AddServiceHealthChecks();
    builder.Services.AddServiceOpenApi();
    // A running job stops within one training step; stay inside Docker's 10 s grace.
    builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(9));

    WebApplication app = builder.Build();
    // Request logging outermost, so it records the status the client got, after errors became problems.
    app.UseServiceRequestLogging();
    app.UseSecurityHeaders();
    app.UseServiceProblems();
    app.UseRequestGuards(app.Services.GetRequiredService<IOptions<JobsOptions>>().Value.MaxRequestBytes);
    app.UseLocalRequestGuard(); // Auth:Mode None only: no other Host, no other site
    app.UseServiceOpenApi();
    app.UseDashboard();
    app.UseServiceAuth(); // every endpoint below needs a key unless it allows anonymous calls
    app.UseServiceRateLimits(); // per key, so after authentication

    app.MapJobEndpoints();
    app.MapJobPredict();
    app.MapJobEvents();
    app.MapJobPlots();
    app.MapSweeps();
    app.MapDatasetEndpoints();
    app.MapKeyEndpoints();
    app.MapServiceHealthChecks();
    app.MapServiceTelemetry();
    app.AnnounceSwaggerUi();

    app.Run();
    return 0;
}
catch (Exception error) when (error is not HostAbortedException)
{
    Log.Fatal(error, "LinRegService failed to start");
    return 1;
}
finally
{
    Log.CloseAndFlush();
}
