using LinRegService.Client;
using LinRegService.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LinRegService.Client.Tests.Readme;

/// <summary>
/// README's "Call it from .NET" example as a service would write it in Program.cs, compiled and
/// run so it cannot rot: ReadmeExampleTests holds every line of the README's block, in order, to
/// this file. The two hooks are the only lines the README leaves out.
/// </summary>
public static class ReadmeExample
{
    public static void Run(string[] args, Action<WebApplicationBuilder> beforeBuild, Action<WebApplication> beforeRun)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddLinRegServiceClient(new Uri("http://linreg:8080/"), options => options.ApiKey = builder.Configuration["LinReg:ApiKey"]);
        beforeBuild(builder);
        var app = builder.Build();

        app.MapPost("/fit", async (ILinRegServiceClient linReg, CancellationToken ct) =>
        {
            Job job = await linReg.SubmitAsync(new JobRequest { Training = new() { Epochs = 5 } }, cancellationToken: ct);
            Job done = await linReg.WaitAsync(job.Id, TimeSpan.FromMinutes(1), cancellationToken: ct);
            return $"{done.Status}: w = [{string.Join(", ", done.Result?.Weights ?? [])}], b = {done.Result?.Bias}";
        });

        beforeRun(app);
        app.Run();
    }
}
