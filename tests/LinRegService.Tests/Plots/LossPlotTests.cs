using LinRegService.Contracts;
using LinRegService.Plots;
using LinRegService.Storage;
using LinRegService.Tests.Support;

namespace LinRegService.Tests.Plots;

/// <summary>The loss plot of jobs the endpoint tests cannot easily hold still: no epoch yet, losses within one decade, a diverged loss.</summary>
public sealed class LossPlotTests
{
    [Fact]
    public void A_job_without_epochs_gets_empty_axes_with_finite_ticks()
    {
        SvgPlot plot = Render(JobStatus.Queued);

        Assert.Equal(0, plot.Markers);
        Assert.Contains("Loss per epoch", plot.Texts);
        Assert.Contains(0.0001, plot.Numbers);
        Assert.Contains(1, plot.Numbers);
    }

    [Fact]
    public void Losses_within_one_decade_still_get_labelled_decades_around_them()
    {
        SvgPlot plot = Render(JobStatus.Running, 0.0574, 0.0541, 0.0510); // the seed's printed losses

        Assert.Equal(3, plot.Markers);
        Assert.Contains(0.01, plot.Numbers);
        Assert.Contains(0.1, plot.Numbers);
    }

    [Fact]
    public void Losses_that_a_log_scale_cannot_show_are_left_out()
    {
        SvgPlot plot = Render(JobStatus.Failed, 0.5, double.PositiveInfinity, double.NaN, 0);

        Assert.Equal(1, plot.Markers);
        Assert.All(plot.Numbers, t => Assert.True(double.IsFinite(t)));
    }

    private static SvgPlot Render(JobStatus status, params double[] losses)
    {
        var job = new JobRecord
        {
            Id = "j",
            Status = status,
            CreatedAt = DateTimeOffset.UnixEpoch,
            Request = new JobRequest { Training = new TrainingRequest { Epochs = 5 } },
            EpochLosses = losses,
        };
        (byte[] bytes, string type) = PlotImage.Render(LossPlot.Build(job), PlotImage.Svg);
        Assert.Equal("image/svg+xml", type);
        return SvgPlot.Parse(System.Text.Encoding.UTF8.GetString(bytes));
    }
}
