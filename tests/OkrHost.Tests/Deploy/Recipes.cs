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
    /// Every <c>okrhost</c> command a recipe runs: in a workflow step's <c>run:</c> script, in a
    /// container's shell script (<c>command: ["/bin/sh", "-c"]</c> with the script in <c>args</c>), or as
    /// a container's exec form (<c>command: ["okrhost", …]</c>, or only <c>args</c>: the image's
    /// entrypoint is okrhost).
    /// </summary>
    public static IReadOnlyList<RecipeCommand> Commands(IEnumerable<RecipeFile> files) =>
        files.SelectMany(file => file.Documents.SelectMany(Descendants).OfType<YamlMappingNode>().SelectMany(Run)
            .Select(command => new RecipeCommand(file.Path, command))).ToArray();

    private static IEnumerable<ShellCommand> Run(YamlMappingNode node)
    {
        if (node.Text("run") is { } script)
        {
            return ShellCommands.Find(script, "okrhost");
        }

        var command = node.Items("command").Select(Scalar).ToArray();
        var arguments = node.Items("args").Select(Scalar).ToArray();
        if (command is ["sh" or "/bin/sh" or "bash" or "/bin/bash", "-c", ..])
        {
            return command[2..].Concat(arguments).SelectMany(s => ShellCommands.Find(s, "okrhost"));
        }

        string[] words = command.Length > 0 ? [.. command, .. arguments] : arguments.Length > 0 ? ["okrhost", .. arguments] : [];
        return words is ["okrhost", ..] ? [new ShellCommand(string.Join(' ', words), words)] : [];
    }

    private static string Scalar(YamlNode node) => (node as YamlScalarNode)?.Value ?? "";

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
}
