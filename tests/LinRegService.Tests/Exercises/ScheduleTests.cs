using LinRegService.Contracts;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Exercises;

/// <summary>
/// Learning-rate schedules through the API, at a rate small enough (0.003) that the loss is still
/// falling after each of three epochs under a constant rate: a step schedule that cuts the rate a
/// thousandfold after the first epoch freezes the loss there, and invScaling (lr/√t) ends higher.
/// </summary>
public sealed class ScheduleTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private const string Data = """ "dataset": { "seed": 42 } """;

    private readonly HttpClient _client = service.CreateClient();

    [Fact]
    public async Task Step_and_invScaling_slow_training_as_scheduled()
    {
        Job constant = await _client.SucceededAsync($$"""{ {{Data}}, "training": { "learningRate": 0.003, "seed": 7 } }""");
        Job step = await _client.SucceededAsync($$"""
            { {{Data}}, "training": { "learningRate": 0.003, "schedule": "step", "decayEvery": 1, "decayFactor": 0.001, "seed": 7 } }
            """);
        Job inverse = await _client.SucceededAsync($$"""
            { {{Data}}, "training": { "learningRate": 0.003, "schedule": "invScaling", "decayPower": 0.5, "seed": 7 } }
            """);

        Assert.True(constant.EpochLosses[2] < 0.9 * constant.EpochLosses[1], $"constant: {string.Join(", ", constant.EpochLosses)}");
        Assert.Equal(constant.EpochLosses[0], step.EpochLosses[0]); // the first epoch runs at the full rate
        Assert.True(Math.Abs(step.EpochLosses[2] - step.EpochLosses[1]) < 0.01 * step.EpochLosses[1], $"step: {string.Join(", ", step.EpochLosses)}");
        Assert.True(inverse.Result!.FinalSquaredLoss > 2 * constant.Result!.FinalSquaredLoss, $"invScaling {inverse.Result.FinalSquaredLoss} vs constant {constant.Result.FinalSquaredLoss}");
        Assert.Equal(LearningRateSchedule.InvScaling, inverse.Request.Training!.Schedule);
        Assert.Equal(0.5f, inverse.Request.Training.DecayPower);
    }
}
