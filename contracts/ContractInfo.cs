namespace OkrHost.Contracts;

/// <summary>Version of the plugin contract, checked by the host when it loads a plugin.</summary>
public static class ContractInfo
{
    /// <summary>
    /// The contract's major version, equal to this assembly's major version. A plugin compiled against
    /// another major version of <c>OkrHost.Contracts</c> is skipped with a warning; minor versions only
    /// add members, so a plugin built against an older minor still loads.
    /// </summary>
    public const int MajorVersion = 2;
}
