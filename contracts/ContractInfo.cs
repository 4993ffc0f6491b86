namespace OkrHost.Contracts;

/// <summary>Version of the plugin contract, checked by the host when it loads a plugin.</summary>
/// <remarks><c>MajorVersion</c> is generated from the project's <c>Version</c>, the one place the contract version is set.</remarks>
public static partial class ContractInfo
{
}
