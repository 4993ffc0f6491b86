namespace OkrHost.Sandbox.Faults;

/// <summary>
/// A pure function of (seed, service, request ordinal, rule, purpose) to [0, 1): whether a request is
/// faulted never depends on timing or on other services' traffic, so a run can be replayed exactly.
/// </summary>
internal static class FaultDice
{
    public static double Roll(int seed, string service, long ordinal, int rule, int purpose = 0)
    {
        var hash = Mix((ulong)(uint)seed);
        hash = Mix(hash ^ Fnv1a(service));
        hash = Mix(hash ^ (ulong)ordinal);
        hash = Mix(hash ^ (ulong)(uint)rule);
        hash = Mix(hash ^ (ulong)(uint)purpose);
        return (hash >> 11) * (1.0 / (1UL << 53));
    }

    // SplitMix64's finaliser: every input bit affects every output bit.
    private static ulong Mix(ulong value)
    {
        value += 0x9E3779B97F4A7C15UL;
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9UL;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EBUL;
        return value ^ (value >> 31);
    }

    private static ulong Fnv1a(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}
