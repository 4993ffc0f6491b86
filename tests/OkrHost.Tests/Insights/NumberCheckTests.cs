using OkrHost.Insights;

namespace OkrHost.Tests.Insights;

public class NumberCheckTests
{
    private static readonly double[] Facts = [42, 37, 0.0455, 9.48, 13.1, 47.2, 0.73, 1165, -12];

    [Theory]
    [InlineData("Deployments rose from 37 to 42.")]
    [InlineData("Deployments per week reached 9.5, or 9 when rounded down.")]
    [InlineData("The failure rate is 4.55% (4.6%, about 5%).")]
    [InlineData("Progress is 73 percent.")]
    [InlineData("The change failure rate fell 47.2%.")]
    [InlineData("1,165 issues were closed; one metric fell by 12.")]
    [InlineData("On 2026-10-31 at 14:05, the 3rd week of Q4 2026, p90 and ENG-1412 were fine.")]
    public void Numbers_that_are_facts_after_rounding_or_as_percentages_pass(string prose)
    {
        Assert.Empty(NumberCheck.Unsupported(prose, Facts));
    }

    [Theory]
    [InlineData("Deployments rose to 43.", "43")]
    [InlineData("Deployments per week reached 9.49.", "9.49")]
    [InlineData("The failure rate is 0.06 of deployments.", "0.06")]
    [InlineData("Progress is 73.", "73")]
    [InlineData("Lead time improved by 30%.", "30%")]
    [InlineData("Deployments rose 1,200 times.", "1,200")]
    public void A_number_that_is_no_fact_is_named(string prose, string unsupported)
    {
        Assert.Equal([unsupported], NumberCheck.Unsupported(prose, Facts));
    }
}
