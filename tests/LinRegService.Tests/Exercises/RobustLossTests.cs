using System.Net;
using System.Text.Json.Nodes;
using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Exercises;

/// <summary>
/// Exercise 8: what happens with an outlier such as y[5] = 10000, and can a loss other than the
/// squared one help? The squared loss's gradient grows with the residual, so that one row throws
/// the weights far off each epoch; |ŷ − y| and Huber cap every row's pull, and end at least ten
/// times closer to the true weights. The closed form is least squares on the same perturbed data,
/// so the outlier moves it too, and says so.
/// </summary>
public sealed class RobustLossTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private const string Outlier = """ "outliers": { "rows": [5], "label": 10000 } """;

    private readonly HttpClient _client = service.CreateClient();

    private Task<Job> RunAsync(string loss) => _client.SucceededAsync($$"""
        { "dataset": { "seed": 42, {{Outlier}} }, "training": { "loss": "{{loss}}", "epochs": 10, "seed": 7 } }
        """);

    [Fact]
    public async Task Absolute_and_Huber_losses_end_at_least_ten_times_closer_than_squared()
    {
        Job squared = await RunAsync("squared");
        Job absolute = await RunAsync("absolute");
        Job huber = await RunAsync("huber");

        double squaredError = squared.WeightErrorNorm();
        Assert.True(squaredError >= 10 * absolute.WeightErrorNorm(), $"squared {squaredError} vs absolute {absolute.WeightErrorNorm()}");
        Assert.True(squaredError >= 10 * huber.WeightErrorNorm(), $"squared {squaredError} vs huber {huber.WeightErrorNorm()}");
        Assert.Equal(TrainingLoss.Huber, huber.Request.Training!.Loss);
        Assert.Equal(1f, huber.Request.Training.HuberDelta);
    }

    [Fact]
    public async Task Samples_plots_and_the_closed_form_see_the_outlier()
    {
        Job absolute = await RunAsync("absolute");

        Assert.Equal(10000f, absolute.Samples!.Labels[5]);
        using HttpResponseMessage page = await _client.GetAsync($"/api/jobs/{absolute.Id}/samples?offset=3&count=4");
        SamplesPage rows = await page.ReadAsAsync<SamplesPage>(HttpStatusCode.OK);
        Assert.Equal(10000f, rows.Labels[2]);
        using HttpResponseMessage plot = await _client.GetAsync($"/api/jobs/{absolute.Id}/plots/data.svg?feature=0");
        Assert.Equal(HttpStatusCode.OK, plot.StatusCode);

        // Least squares on the perturbed data: the outlier lifts the bias by about 10000 / 1000.
        ClosedFormResult closedForm = absolute.Result!.ClosedForm!;
        Assert.InRange(closedForm.Bias, 4.2f + 5, 4.2f + 15);
        JsonObject json = await _client.GetJobJsonAsync(absolute.Id);
        Assert.Equal("leastSquares", (string?)json["result"]!["closedForm"]!["objective"]);
    }

    [Fact]
    public async Task Epoch_losses_are_the_chosen_loss_and_the_final_squared_loss_compares_runs()
    {
        Job absolute = await RunAsync("absolute");
        Job squared = await RunAsync("squared");

        // The outlier alone contributes 10000 / 1000 to the mean absolute loss and 10000² / 2 / 1000 to the squared one.
        Assert.InRange(absolute.EpochLosses[^1], 9.9, 10.5);
        Assert.InRange(absolute.Result!.FinalSquaredLoss, 4.9e4, 5.1e4);
        Assert.Equal(squared.EpochLosses[^1], squared.Result!.FinalSquaredLoss);
        Assert.True(squared.Result.FinalSquaredLoss < absolute.Result.FinalSquaredLoss,
            "squared loss minimizes the squared loss: its final squared loss is the lower one");
    }
}
