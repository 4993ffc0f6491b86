using OkrHost.Testing;
using YamlDotNet.RepresentationModel;

namespace OkrHost.Tests.Deploy;

/// <summary>One YAML file of deploy/, parsed, with its path relative to the repository root.</summary>
public sealed record RecipeFile(string Path, IReadOnlyList<YamlNode> Documents);

/// <summary>An <c>okrhost</c> command line found in a recipe.</summary>
public sealed record RecipeCommand(string File, ShellCommand Command)
{
    /// <summary>"deploy/…/file.yml: okrhost …", as written.</summary>
    public override string ToString() => $"{File}: {Command.Raw}";
}

/// <summary>The shipped deployment recipes (deploy/**/*.yml|yaml) and what they name.</summary>
public static class Recipes
{
    public static string Folder => Path.Combine(RepoPaths.Root, "deploy");

    public static IReadOnlyList<RecipeFile> Load() =>
        Directory.EnumerateFiles(Folder, "*.*", SearchOption.AllDirectories)
            .Where(p => p.EndsWith(".yml", StringComparison.Ordinal) || p.EndsWith(".yaml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(path =>
            {
                var stream = new YamlStream();
                using (var reader = new StreamReader(path))
                {
                    stream.Load(reader);
                }

                var relative = System.IO.Path.GetRelativePath(RepoPaths.Root, path).Replace('\\', '/');
                return new RecipeFile(relative, stream.Documents.Select(d => d.RootNode).ToArray());
            })
            .ToArray();

    public static RecipeFile File(string path) => Load().Single(f => f.Path == path);

    /// <summary>
    /// Every <c>okrhost</c> command a recipe runs: in shell scripts (a workflow's <c>run:</c>, a
    /// container's <c>sh -c</c> argument) and as exec-form lists (<c>command: ["okrhost", …]</c>).
    /// </summary>
    public static IReadOnlyList<RecipeCommand> Commands(IEnumerable<RecipeFile> files) =>
        files.SelectMany(file => file.Documents.SelectMany(Descendants).SelectMany(node => node switch
        {
            YamlScalarNode { Value: { } script } => ShellCommands.Find(script, "okrhost"),
            YamlSequenceNode list when list.Children.FirstOrDefault() is YamlScalarNode { Value: "okrhost" } =>
                [ExecForm(list)],
            _ => [],
        }).Select(command => new RecipeCommand(file.Path, command))).ToArray();

    public static IEnumerable<YamlNode> Descendants(YamlNode node)
    {
        yield return node;
        var children = node switch
        {
            YamlMappingNode mapping => mapping.Children.Values,
            YamlSequenceNode sequence => sequence.Children,
            _ => [],
        };
        foreach (var descendant in children.SelectMany(Descendants))
        {
            yield return descendant;
        }
    }

    /// <summary>The node at <paramref name="path"/> (mapping keys), or null where the path ends early.</summary>
    public static YamlNode? At(this YamlNode node, params string[] path)
    {
        var current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return null;
            }

            current = next;
        }

        return current;
    }

    public static string? Text(this YamlNode node, params string[] path) => (node.At(path) as YamlScalarNode)?.Value;

    public static IEnumerable<YamlNode> Items(this YamlNode node, params string[] path) =>
        node.At(path) is YamlSequenceNode sequence ? sequence.Children : [];

    private static ShellCommand ExecForm(YamlSequenceNode list)
    {
        var words = list.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? "").ToArray();
        return new ShellCommand(string.Join(' ', words), words);
    }
}
