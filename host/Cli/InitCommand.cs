using System.CommandLine;
using OkrHost.UseCases;

namespace OkrHost.Cli;

/// <summary><c>okrhost init</c>: a starting plugins.json, okrs.json and .env.example from what the installed plugins declare.</summary>
internal sealed class InitCommand : CliCommand
{
    private readonly Option<string?> _dir = new("--dir") { Description = "Folder to set up (default: the current folder)" };
    private readonly Option<bool> _force = new("--force") { Description = "Overwrite plugins.json, okrs.json and .env.example if they exist" };

    public InitCommand(CliContext context)
        : base("init", "Write a starting plugins.json, okrs.json and .env.example, and keep .env, okrhost.db* and out/ out of git", context)
    {
        AddInOrder(_dir, _force);
    }

    protected override Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken) =>
        new ProjectSetup(Environment).RunAsync(parse.GetValue(_dir), parse.GetValue(_force), cancellationToken);
}
