using System.Globalization;
using OkrHost.Contracts;
using OkrHost.Contracts.Okrs;

namespace OkrHost.Okrs;

/// <summary>Checks of a key result's numbers that hold wherever the OKRs come from (a file or a plugin).</summary>
public static class KeyResultRules
{
    /// <summary>
    /// Why a target on the wrong side of its baseline for the direction cannot be scored (an "increase"
    /// from 10 to 5 would read as achieved before any work); null when it is fine.
    /// </summary>
    public static string? WrongSide(double target, double baseline, KeyResultDirection direction) => direction switch
    {
        KeyResultDirection.Increase when target < baseline =>
            $"target {Number(target)} is below the baseline {Number(baseline)}, but the direction is \"increase\": raise the target or make the direction \"decrease\"",
        KeyResultDirection.Decrease when target > baseline =>
            $"target {Number(target)} is above the baseline {Number(baseline)}, but the direction is \"decrease\": lower the target or make the direction \"increase\"",
        _ => null,
    };

    private static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
