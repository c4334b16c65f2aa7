using System.Net.Http.Json;
using LinRegService.Browser.Tests.Support;
using LinRegService.Contracts;
using LinRegService.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LinRegService.Browser.Tests;

/// <summary>The predict box of a succeeded job: rows in, the API's predictions out, bad rows named by their line.</summary>
public sealed class DashboardPredictTests(BrowserSession session) : IClassFixture<BrowserSession>
{
    [ChromiumFact]
    public async Task Rows_typed_in_get_the_models_predictions()
    {
        session.Errors.Clear();
        Job job = await session.FinishedJobAsync();
        IPage page = await session.NewPageAsync();
        await DashboardPage.OpenJobAsync(page, job.Id);
        await Expect(page.Locator("#predict")).ToBeVisibleAsync();
        // It starts with the dataset's first two rows.
        string prefilled = await page.InputValueAsync("#predict-rows");
        Assert.Equal(2, prefilled.Split('\n').Length);

        await page.FillAsync("#predict-rows", "1, 1\n\n0.5 -2\n");
        await page.ClickAsync("#predict-submit");

        ILocator rows = page.Locator("#predictions tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Nth(0).Locator("td").First).ToHaveTextAsync("1"); // the lines they came from
        await Expect(rows.Nth(1).Locator("td").First).ToHaveTextAsync("3");
        double first = await DashboardPage.NumberAsync(page, "#predictions tbody tr:nth-child(1) td.prediction");
        double second = await DashboardPage.NumberAsync(page, "#predictions tbody tr:nth-child(2) td.prediction");
        JobResult model = job.Result!;
        Assert.Equal(model.Weights[0] + model.Weights[1] + model.Bias, first, 3);
        Assert.Equal((0.5 * model.Weights[0]) - (2 * model.Weights[1]) + model.Bias, second, 3);
        using HttpClient client = session.CreateClient();
        using HttpResponseMessage answer = await client.PostAsJsonAsync($"/api/jobs/{job.Id}/predict", new PredictRequest { Features = [[1f, 1f]] });
        PredictResponse api = (await answer.Content.ReadFromJsonAsync<PredictResponse>(ApiJson.Options))!;
        Assert.Equal(api.Predictions[0], first, 4); // what the page shows is what the API says
        Assert.True(session.Errors.Count == 0, "the page logged errors:\n" + string.Join("\n", session.Errors));
    }

    [ChromiumFact]
    public async Task A_bad_row_is_named_by_its_line()
    {
        session.Errors.Clear();
        Job job = await session.FinishedJobAsync();
        IPage page = await session.NewPageAsync();
        await DashboardPage.OpenJobAsync(page, job.Id);

        // The server's check: a row of the wrong width.
        await page.FillAsync("#predict-rows", "1, 1\n3");
        await page.ClickAsync("#predict-submit");
        ILocator error = page.Locator("#predict-error");
        await Expect(error).ToContainTextAsync("400");
        await Expect(error).ToContainTextAsync("Line 2: row 1 has 1 value; the job has 2 features.");
        await Expect(page.Locator("#predictions")).ToBeHiddenAsync();

        // The page's own check: not a number, so nothing is sent.
        await page.FillAsync("#predict-rows", "1, abc");
        await page.ClickAsync("#predict-submit");
        await Expect(error).ToContainTextAsync("Line 1: “abc” is not a number.");
        Assert.DoesNotContain("400", await error.InnerTextAsync(), StringComparison.Ordinal);

        // Fixed, the error goes and the predictions come.
        await page.FillAsync("#predict-rows", "1, 1");
        await page.ClickAsync("#predict-submit");
        await Expect(page.Locator("#predictions tbody tr")).ToHaveCountAsync(1);
        await Expect(error).ToBeHiddenAsync();
        // The browser reports the 400 of the fetch itself; nothing else may be logged.
        Assert.Single(session.Errors);
        Assert.Contains("400", session.Errors[0], StringComparison.Ordinal);
    }

    [ChromiumFact]
    public async Task A_job_without_a_model_has_no_predict_box()
    {
        Job failed = await session.FinishedJobAsync("""{ "dataset": { "featureStd": 1 }, "training": { "learningRate": 10 } }""");
        Assert.Equal(JobStatus.Failed, failed.Status);
        IPage page = await session.NewPageAsync();

        await DashboardPage.OpenJobAsync(page, failed.Id, "failed");

        await Expect(page.Locator("#job-error")).ToContainTextAsync("diverged");
        await Expect(page.Locator("#predict")).ToBeHiddenAsync();
    }
}
