using PublicApiGenerator;

namespace OkrHost.Tests.Contracts;

/// <summary>
/// Freezes the plugin contract: a change to OkrHost.Contracts' public surface fails here until the
/// approved file is updated on purpose (and, for a breaking change, the contracts major version with it).
/// </summary>
public class PublicApiTests
{
    [Fact]
    public void The_contracts_public_api_has_not_changed_unintentionally()
    {
        var approvedPath = Path.Combine(OkrHost.Testing.RepoPaths.Root, "tests", "OkrHost.Tests", "Contracts", "OkrHost.Contracts.approved.txt");
        var actual = typeof(OkrHost.Contracts.ISourcePlugin).Assembly.GeneratePublicApi(new ApiGeneratorOptions { IncludeAssemblyAttributes = false });

        if (Environment.GetEnvironmentVariable("OKRHOST_APPROVE_API") == "1")
        {
            File.WriteAllText(approvedPath, actual);
        }

        // A missing file is a failure, not a fresh approval: otherwise deleting it would approve anything.
        Assert.True(File.Exists(approvedPath), $"{approvedPath} is missing; review the API and approve it with OKRHOST_APPROVE_API=1");
        Assert.Equal(File.ReadAllText(approvedPath).ReplaceLineEndings(), actual.ReplaceLineEndings());
    }
}
