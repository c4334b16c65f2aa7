using System.Globalization;
using System.Web;
using LinRegService.Browser.Tests.Support;
using LinRegService.Contracts;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LinRegService.Browser.Tests;

/// <summary>The dashboard on a 390 × 844 phone screen: nothing scrolls sideways, and the plots are drawn for the column they sit in.</summary>
public sealed class DashboardPhoneTests(BrowserSession session, ITestOutputHelper output) : IClassFixture<BrowserSession>
{
    private const int PhoneWidth = 390;

    [ChromiumFact]
    public async Task A_job_on_a_phone_fits_the_width_and_its_plots_are_drawn_for_it()
    {
        session.Errors.Clear();
        Job job = await session.FinishedJobAsync();
        IPage page = await session.NewPageAsync(new ViewportSize { Width = PhoneWidth, Height = 844 });

        await DashboardPage.OpenJobAsync(page, job.Id);
        await DashboardPage.WaitForImageAsync(page, "#loss-plot", "succeeded");
        await DashboardPage.WaitForImageAsync(page, "#data-plot", "succeeded");
        await page.ClickAsync("#predict-submit");
        await Expect(page.Locator("#predictions tbody tr")).ToHaveCountAsync(2);

        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= PhoneWidth, "the page scrolls sideways");
        Assert.Equal(PhoneWidth, await page.EvaluateAsync<int>("() => document.documentElement.clientWidth"));
        Assert.Equal(PhoneWidth, await page.EvaluateAsync<double>("() => document.querySelector('header').getBoundingClientRect().width"));
        foreach (string plot in new[] { "#loss-plot", "#data-plot" })
        {
            string src = (await page.GetAttributeAsync(plot, "src"))!;
            int width = int.Parse(HttpUtility.ParseQueryString(new Uri(session.Address, src).Query)["width"]!, CultureInfo.InvariantCulture);
            double shown = await page.EvaluateAsync<double>($"() => document.querySelector('{plot}').getBoundingClientRect().width");
            Assert.InRange(width, 200, PhoneWidth - 20); // drawn for the column, not 720 pixels scaled down
            Assert.InRange(shown, width, width + 10);
            Assert.Equal(width, await page.EvaluateAsync<int>($"() => document.querySelector('{plot}').naturalWidth"));
        }

        foreach (string path in await Screenshots.SaveAsync(page, "dashboard-phone"))
        {
            output.WriteLine($"screenshot: {path}");
        }
        Assert.True(session.Errors.Count == 0, "the page logged errors:\n" + string.Join("\n", session.Errors));
    }

    [ChromiumFact]
    public async Task The_submission_form_and_recent_jobs_fit_a_phone_too()
    {
        await session.FinishedJobAsync();
        IPage page = await session.NewPageAsync(new ViewportSize { Width = PhoneWidth, Height = 844 });

        await page.GotoAsync("/");
        await Expect(page.Locator("#job-list button.link").First).ToBeVisibleAsync();

        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= PhoneWidth, "the page scrolls sideways");
        Assert.Equal(PhoneWidth, await page.EvaluateAsync<double>("() => document.querySelector('header').getBoundingClientRect().width"));
        double form = await page.EvaluateAsync<double>("() => document.getElementById('job-form').getBoundingClientRect().right");
        Assert.True(form <= PhoneWidth, $"the form reaches {form} px");
    }
}
