using LinRegService.Jobs;
using Microsoft.Extensions.Options;

namespace LinRegService.Tests.Hosting;

/// <summary>
/// The generated validator of the <c>Jobs</c> settings (run at start by ValidateOnStart) names a
/// value out of range, <c>Jobs:Limits</c> included, and passes the defaults.
/// </summary>
public sealed class SettingsValidationTests
{
    private readonly JobsOptionsValidator _validator = new();

    [Fact]
    public void The_defaults_are_valid() => Assert.True(_validator.Validate(null, new JobsOptions()).Succeeded);

    [Theory]
    [InlineData("MaxQueued")]
    [InlineData("MaxRequestBytes")]
    [InlineData("Limits.MaxFeatures")]
    [InlineData("Limits.MaxEpochs")]
    public void A_value_out_of_range_is_named(string setting)
    {
        var options = new JobsOptions();
        switch (setting)
        {
            case "MaxQueued":
                options.MaxQueued = 0;
                break;
            case "MaxRequestBytes":
                options.MaxRequestBytes = 10;
                break;
            case "Limits.MaxFeatures":
                options.Limits = options.Limits with { MaxFeatures = 0 };
                break;
            case "Limits.MaxEpochs":
                options.Limits = options.Limits with { MaxEpochs = -1 };
                break;
        }

        ValidateOptionsResult result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(setting.Split('.')[^1], result.FailureMessage, StringComparison.Ordinal);
    }
}
