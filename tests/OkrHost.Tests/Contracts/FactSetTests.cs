using OkrHost.Contracts;

namespace OkrHost.Tests.Contracts;

public class FactSetTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(10);

    [Fact]
    public void Changes_are_read_from_a_margin_before_the_stored_collection_when_the_window_is_the_same()
    {
        var stored = Stored(new ReportPeriod(Monday.AddDays(-91), Monday), collectedAt: Monday.AddHours(9));

        Assert.Equal(Monday.AddHours(9) - Margin, stored.ChangedSince(stored.Window, Margin));
    }

    [Fact]
    public void Changes_are_read_from_the_stored_window_end_when_the_window_moved_past_it()
    {
        var stored = Stored(new ReportPeriod(Monday.AddDays(-91), Monday), collectedAt: Monday.AddHours(9));

        Assert.Equal(Monday, stored.ChangedSince(new ReportPeriod(Monday.AddDays(-84), Monday.AddDays(7)), Margin));
    }

    [Fact]
    public void A_stored_window_ending_after_its_collection_keeps_the_collection_as_the_start()
    {
        // A period still running when it was collected: its end lies after the collection.
        var stored = Stored(new ReportPeriod(Monday.AddDays(-91), Monday.AddDays(7)), collectedAt: Monday.AddDays(2));

        Assert.Equal(Monday.AddDays(2) - Margin, stored.ChangedSince(new ReportPeriod(Monday.AddDays(-84), Monday.AddDays(14)), Margin));
    }

    private static FactSet Stored(ReportPeriod window, DateTimeOffset collectedAt) => new() { Window = window, CollectedAt = collectedAt };
}
