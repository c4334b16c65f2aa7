using System.Text.Json.Nodes;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Jobs;

/// <summary>
/// Every bad training option or dataset perturbation is a 400 naming its field (never a 500),
/// fields that go together are asked for by name, and several bad ones are told at once.
/// </summary>
public sealed class TrainingOptionsValidationTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private readonly HttpClient _client = service.CreateClient();

    [Theory]
    [InlineData("""{ "training": { "loss": "cubic" } }""", "training.loss")]
    [InlineData("""{ "training": { "loss": 7 } }""", "training.loss")]
    [InlineData("""{ "training": { "huberDelta": 0 } }""", "training.huberDelta")]
    [InlineData("""{ "training": { "huberDelta": -1 } }""", "training.huberDelta")]
    [InlineData("""{ "training": { "shuffle": "yes" } }""", "training.shuffle")]
    [InlineData("""{ "training": { "schedule": "cosine" } }""", "training.schedule")]
    [InlineData("""{ "training": { "schedule": 9 } }""", "training.schedule")]
    [InlineData("""{ "training": { "decayPower": -0.5 } }""", "training.decayPower")]
    [InlineData("""{ "training": { "decayEvery": 0 } }""", "training.decayEvery")]
    [InlineData("""{ "training": { "decayFactor": 0 } }""", "training.decayFactor")]
    [InlineData("""{ "training": { "decayFactor": 1.5 } }""", "training.decayFactor")]
    [InlineData("""{ "training": { "tolerance": -1 } }""", "training.tolerance")]
    [InlineData("""{ "training": { "tolerance": 1e400 } }""", "training.tolerance")]
    [InlineData("""{ "training": { "patience": 0 } }""", "training.patience")]
    [InlineData("""{ "dataset": { "order": "random" } }""", "dataset.order")]
    [InlineData("""{ "dataset": { "order": 3 } }""", "dataset.order")]
    [InlineData("""{ "dataset": { "outliers": { "rows": [5] } } }""", "dataset.outliers.label")]
    [InlineData("""{ "dataset": { "outliers": { "rows": [1, 2, 3, 1000], "label": 1 } } }""", "dataset.outliers.rows[3]")]
    [InlineData("""{ "dataset": { "outliers": { "rows": [-1], "label": 1 } } }""", "dataset.outliers.rows[0]")]
    [InlineData("""{ "dataset": { "outliers": { "rows": [4, 4], "label": 1 } } }""", "dataset.outliers.rows[1]")]
    [InlineData("""{ "dataset": { "outliers": { "rows": [4], "label": 1e16 } } }""", "dataset.outliers.label")]
    [InlineData("""{ "dataset": { "outliers": { "fraction": 0.1 } } }""", "dataset.outliers.shift")]
    [InlineData("""{ "dataset": { "outliers": { "shift": 3 } } }""", "dataset.outliers.fraction")]
    [InlineData("""{ "dataset": { "outliers": { "fraction": 1.5, "shift": 3 } } }""", "dataset.outliers.fraction")]
    [InlineData("""{ "dataset": { "outliers": { "fraction": -0.1, "shift": 3 } } }""", "dataset.outliers.fraction")]
    [InlineData("""{ "dataset": { "outliers": { "fraction": 0.5, "shift": 1e16 } } }""", "dataset.outliers.shift")]
    [InlineData("""{ "dataset": { "outliers": [] } }""", "dataset.outliers")]
    public async Task Bad_option_is_a_400_naming_it(string body, string field)
    {
        using HttpResponseMessage response = await _client.PostJsonAsync(body);

        await Problem.AssertBadFieldsAsync(response, field);
    }

    [Fact]
    public async Task Too_many_named_rows_is_one_error_on_the_list()
    {
        string rows = string.Join(", ", Enumerable.Range(0, 1001));
        using HttpResponseMessage response = await _client.PostJsonAsync($$"""{ "dataset": { "outliers": { "rows": [{{rows}}], "label": 1 } } }""");

        JsonObject problem = await Problem.AssertBadFieldsAsync(response, "dataset.outliers.rows");
        Assert.Single(problem["errors"]!.AsObject());
    }

    [Fact]
    public async Task Several_bad_options_are_reported_together()
    {
        using HttpResponseMessage response = await _client.PostJsonAsync("""
            { "dataset": { "outliers": { "rows": [2000], "label": 1 } },
              "training": { "huberDelta": 0, "decayFactor": 2, "patience": 0 } }
            """);

        await Problem.AssertBadFieldsAsync(response, "dataset.outliers.rows[0]", "training.huberDelta", "training.decayFactor", "training.patience");
    }
}
