using System.Net;
using System.Net.Http.Json;
using LinRegService.Contracts;
using LinRegService.Datasets;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.DatasetJobs;

/// <summary>
/// docs/examples/ohm.csv (docs/own-data.md): 40 measurements of a 47 Ω resistor, voltage
/// 0.5–12 V with noise on the measured current; voltage = R·current, so the learned weight is R.
/// </summary>
public sealed class OhmExampleTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private const double Resistance = 47;

    [Fact]
    public async Task The_weight_learned_from_the_measurements_is_the_resistance_and_predicts_the_voltage()
    {
        (string[] names, string label, float[][] features, float[] labels) = StoredDatasets.ReadCsv(StoredDatasets.RepositoryFile("docs/examples/ohm.csv"), "voltage");
        Assert.Equal(["current"], names);
        Assert.Equal(40, labels.Length);
        DatasetRecord dataset = await service.Factory.StoreAsync(names, label, features, labels, name: "ohm");
        using HttpClient client = service.CreateClient();

        // The job docs/own-data.md shows.
        Job job = await client.WaitForStatusAsync(
            (await client.SubmitAsync($$"""{ "dataset": { "id": "{{dataset.Id}}" }, "training": { "standardize": true, "learningRate": 0.1, "epochs": 100 } }""")).Id,
            JobStatus.Succeeded);

        double r = job.Result!.Weights[0];
        Assert.InRange(r, Resistance * 0.98, Resistance * 1.02);
        Assert.InRange(job.Result.Bias, -0.5, 0.5);
        Assert.InRange(job.Result.ClosedFormDistance!.Loss, -1e-6, job.Result.ClosedForm!.Loss * 0.01);
        using HttpResponseMessage answer = await client.PostAsJsonAsync($"/api/jobs/{job.Id}/predict", new PredictRequest { Features = [[0.1f]] }, ApiJson.Options);
        PredictResponse predicted = await answer.ReadAsAsync<PredictResponse>(HttpStatusCode.OK);
        Assert.InRange(predicted.Predictions[0], Resistance * 0.1 * 0.98, Resistance * 0.1 * 1.02); // 4.7 V at 100 mA
    }
}
