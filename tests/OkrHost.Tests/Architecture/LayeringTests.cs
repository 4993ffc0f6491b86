using ArchUnitNET.Domain;
using ArchUnitNET.Fluent.Slices;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using OkrHost.UseCases;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace OkrHost.Tests.Architecture;

/// <summary>
/// The host's folders (one namespace each) depend one way: Security, Http, Configuration, Plugins at the
/// bottom; the report model and what computes it; the stores and insights; the use cases; the CLI on top.
/// Read from the compiled assembly, so a fully qualified name counts as much as a using.
/// </summary>
public class LayeringTests
{
    private static readonly ArchUnitNET.Domain.Architecture Host = new ArchLoader().LoadAssemblies(typeof(RunEnvironment).Assembly).Build();

    [Fact]
    public void No_two_host_folders_depend_on_each_other_even_through_others() =>
        SliceRuleDefinition.Slices().Matching("OkrHost.(*)").Should().BeFreeOfCycles().Check(Host);

    [Fact]
    public void Nothing_but_the_entry_point_imports_the_cli() =>
        Types().That().ResideInNamespaceMatching(@"^OkrHost\.(?!Cli$)").Should()
            .NotDependOnAny(Types().That().ResideInNamespaceMatching(@"^OkrHost\.Cli$"))
            .Check(Host);
}
