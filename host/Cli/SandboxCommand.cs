using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using OkrHost.Configuration;
using OkrHost.Plugins;
using OkrHost.Sandbox;
using OkrHost.UseCases;

namespace OkrHost.Cli;

/// <summary><c>okrhost sandbox</c>: the five emulated services on loopback until Ctrl+C.</summary>
internal sealed class SandboxCommand : CliCommand
{
    private readonly Option<int> _port = new("--port") { Description = "Port on 127.0.0.1 (default 5055; 0 picks a free one)", DefaultValueFactory = _ => 5055 };
    private readonly Option<SandboxProfile> _profile = new("--profile") { Description = "demo or large", DefaultValueFactory = _ => SandboxProfile.Demo };
    private readonly Option<int> _seed = new("--seed") { Description = "Seed of the simulated organisation", DefaultValueFactory = _ => 42 };
    private readonly Option<int> _latency = new("--latency-ms") { Description = "Latency added to every answer" };
    private readonly Option<string?> _faults = new("--faults")
    {
        Description = "Faults to inject, e.g. github:rate-limit:0.2,slack:server-error:0.1:3,notion:outage (service:kind[:rate[:count]], service * for all)",
    };

    public SandboxCommand(CliContext context)
        : base("sandbox", "Serve the five emulated services on loopback until Ctrl+C, for a real config to aim at", context)
    {
        _port.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value is < 0 or > 65535)
            {
                result.AddError($"--port {value} is not a port: use 1 to 65535 (or 0 for any free port)");
            }
        });
        AddInOrder(_port, _profile, _seed, _latency, _faults);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        IReadOnlyList<FaultSpec> faults;
        try
        {
            faults = parse.GetValue(_faults) is { } text ? FaultSpec.Parse(text) : [];
        }
        catch (FormatException ex)
        {
            Environment.Error.WriteLine($"error: --faults: {ex.Message}");
            return ExitCodes.InvalidInput;
        }

        var port = parse.GetValue(_port);
        IRunningSandbox server;
        try
        {
            server = await SandboxLoader.StartAsync(Environment.SandboxDirectory, new SandboxOptions
            {
                Faults = faults,
                Port = port,
                Profile = parse.GetValue(_profile),
                Seed = parse.GetValue(_seed),
                Latency = TimeSpan.FromMilliseconds(parse.GetValue(_latency)),
            }, cancellationToken);
        }
        catch (IOException ex) when (ex is not FileNotFoundException)
        {
            throw new InvalidInputException($"--port {port}: cannot listen on 127.0.0.1:{port} ({ex.Message.TrimEnd('.')}); choose a free port with --port");
        }

        await using var running = server;
        PrintSandboxConfig(server, Environment.Out);
        Environment.Out.WriteLine("press Ctrl+C to stop");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }

        return ExitCodes.Ok;
    }

    /// <summary>
    /// What <c>okrhost sandbox</c> tells the user: the token exports and a complete plugins.json, OKRs
    /// included (from the sandbox's Notion OKR database) and the scripted model for the narrative and
    /// <c>ask</c>, so following it gives a scored report.
    /// </summary>
    internal static void PrintSandboxConfig(IRunningSandbox server, TextWriter output)
    {
        var (sources, variables) = server.DemoSources();
        output.WriteLine($"sandbox listening on {server.RootUrl} ({server.Profile} profile, seed {server.Seed}, now {server.Now:yyyy-MM-dd HH:mm}Z)");
        output.WriteLine("tokens (export them, then save the plugins.json below and run okrhost report):");
        foreach (var (name, value) in variables.Append(new(DemoReport.ModelKeyVariable, server.Model.ApiKey)))
        {
            output.WriteLine($"  export {name}={value}");
        }

        // With the scripted model's insights block, okrhost ask works against the standalone sandbox as it does with --demo.
        var config = new JsonObject
        {
            ["okrs"] = new JsonObject { ["source"] = "notion" },
            ["sources"] = sources,
            ["insights"] = JsonSerializer.SerializeToNode(DemoReport.ScriptedModelInsights(server), PluginsFile.SectionJson),
        };
        output.WriteLine(config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
