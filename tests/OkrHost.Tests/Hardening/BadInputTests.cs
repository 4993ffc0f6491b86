using System.Net;
using System.Net.Sockets;
using OkrHost.Testing;

namespace OkrHost.Tests.Hardening;

/// <summary>
/// Every input a person can get wrong gets one line naming the value and where it came from, exit code
/// 2, before anything is fetched, and never a stack trace.
/// </summary>
public class BadInputTests
{
    private const string Okrs = """
        { "objectives": [ { "title": "Ship", "keyResults": [
            { "title": "Deploy more", "metric": "github.deployments", "target": 5, "baseline": 10, "direction": "increase" } ] } ] }
        """;

    /// <summary>Sets up the folder (the returned object, if any, is held for the run), the arguments, and the line expected on stderr.</summary>
    private sealed record Case(Func<TempFolder, IDisposable?> Setup, string[] Args, string Message);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["quarter of year 0"] = new(_ => null, ["report", "--period", "0000-Q1"],
            "error: command line: --period: '0000-Q1': the year must be from 1970 to 9998"),
        ["quarter past 9998"] = new(_ => null, ["report", "--period", "9999-Q4"],
            "error: command line: --period: '9999-Q4': the year must be from 1970 to 9998"),
        ["--from year 1"] = new(_ => null, ["report", "--from", "0001-01-01", "--to", "2026-01-01"],
            "error: command line: --from/--to: --from 0001-01-01 --to 2026-01-01 is too early: the previous period of the same length, which every metric is compared with, would start before 1970-01-01"),
        ["report.period of year 0"] = new(f => Config(f, """{ "report": { "period": "0000-01" } }"""), ["report"],
            "error: plugins.json: $.report.period: '0000-01': the year must be from 1970 to 9998"),
        ["sourceTimeoutSeconds 1e20"] = new(f => Config(f, """{ "http": { "sourceTimeoutSeconds": 1e20 } }"""), ["report"],
            "error: plugins.json: $.http.sourceTimeoutSeconds: 1E+20 is far too large"),
        ["incidentWindowHours 1e300"] = new(f => Config(f, """{ "dora": { "incidentWindowHours": 1e300 } }"""), ["report"],
            "error: plugins.json: $.dora.incidentWindowHours: must be a number of hours greater than 0 and at most 8760 (a year), not 1e300"),
        ["maxResponseMegabytes 0"] = new(f => Config(f, """{ "http": { "maxResponseMegabytes": 0 } }"""), ["report"],
            "error: plugins.json: $.http.maxResponseMegabytes: must be between 1 and 4096, not 0"),
        ["unreadable config"] = new(f => new FileStream(f.File("plugins.json", "{}"), FileMode.Open, FileAccess.ReadWrite, FileShare.None), ["report", "--config", "plugins.json"],
            "error: plugins.json: $: cannot be read: "),
        ["--config is a folder"] = new(f => Folder(f, "conf"), ["validate", "--config", "conf"],
            "error: conf: $: is a folder, not a config file"),
        ["plugins.json is a folder"] = new(f => Folder(f, "plugins.json"), ["report"],
            "error: plugins.json: $: is a folder, not a config file"),
        ["--okrs is a folder"] = new(f => Folder(f, "okrs"), ["validate", "--okrs", "okrs"],
            "error: okrs: $: is a folder, not an OKR file"),
        ["target on the wrong side of the baseline"] = new(f => File(f, "okrs.json", Okrs), ["validate", "--okrs", "okrs.json"],
            "error: okrs.json: $.objectives[0].keyResults[0].target: target 5 is below the baseline 10, but the direction is \"increase\": raise the target or make the direction \"decrease\""),
        ["--out at a file"] = new(f => { Config(f, "{}"); return File(f, "out.txt", "not a folder"); }, ["report", "--out", "out.txt"],
            "error: --out: {folder}/out.txt is a file, not a folder; nothing was fetched"),
        ["--out in a read-only file system"] = new(f => Config(f, "{}"), ["report", "--out", "/proc/okrhost-report"],
            "error: --out: cannot write the report to /proc/okrhost-report ("),
        ["snapshot with sources null"] = new(f => File(f, "report.json", Snapshot("null")), ["render", "--snapshot", "report.json"],
            "error: report.json: cannot read the snapshot: "),
        ["snapshot with a null source"] = new(f => File(f, "report.json", Snapshot("[null]")), ["render", "--snapshot", "report.json"],
            "error: report.json: cannot read the snapshot: $.sources[0] is null"),
        ["sandbox port out of range"] = new(_ => null, ["sandbox", "--port", "70000"],
            "error: --port 70000 is not a port: use 1 to 65535 (or 0 for any free port)"),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task A_bad_input_is_one_line_naming_it_with_exit_code_2(string name)
    {
        var (setup, args, message) = Cases[name];
        using var folder = new TempFolder();
        using var held = setup(folder);

        var result = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(message.Replace("{folder}", folder.Path, StringComparison.Ordinal), result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("report written", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sandbox_port_already_in_use_is_named()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;
        using var folder = new TempFolder();

        var result = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "sandbox", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"error: --port {port}: cannot listen on 127.0.0.1:{port} (", result.Error, StringComparison.Ordinal);
        Assert.Contains("choose a free port with --port", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Env_lines_that_do_not_parse_are_warnings_with_their_line_numbers_and_the_rest_is_read()
    {
        using var folder = new TempFolder();
        folder.File("plugins.json", """{ "sources": { "github": { "tokenEnv": "GOOD_TOKEN", "repositories": ["acme/api"] } } }""");
        folder.File(".env", "# tokens\nNO_EQUALS_SIGN\nBAD KEY=1\nQUOTED=\"unterminated\nexport\nexport GOOD_TOKEN=\"ghp_fromDotEnv123456\"\n");

        var result = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "validate");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("warning: .env: line 2: ignored: no '=' (expected NAME=value)", lines);
        Assert.Contains("warning: .env: line 3: ignored: 'BAD KEY' is not a variable name (letters, digits and _, not starting with a digit)", lines);
        Assert.Contains("warning: .env: line 4: ignored: unterminated double quote", lines);
        Assert.Contains("warning: .env: line 5: ignored: 'export' without NAME=value", lines);
        Assert.DoesNotContain("github: not-configured", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_setting_of_the_wrong_type_does_not_hide_the_plugins_other_problems()
    {
        using var folder = new TempFolder();
        folder.File("plugins.json", """{ "sources": { "github": { "branch": 42, "environmentPattern": "(", "repositories": ["acme/api"] } } }""");

        var result = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "validate");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("error: plugins.json: $.sources.github.branch: has a value of the wrong type", result.Error, StringComparison.Ordinal);
        Assert.Contains("error: plugins.json: $.sources.github.environmentPattern: ", result.Error, StringComparison.Ordinal);
    }

    private static string Snapshot(string sources) => $$"""
        { "schemaVersion": 1, "generatedAt": "2026-11-02T09:00:00Z", "title": "t",
          "period": { "from": "2026-10-01T00:00:00Z", "to": "2026-11-01T00:00:00Z" },
          "previousPeriod": { "from": "2026-09-01T00:00:00Z", "to": "2026-10-01T00:00:00Z" },
          "sources": {{sources}}, "metrics": [], "okrs": [] }
        """;

    private static IDisposable? Config(TempFolder folder, string json) => File(folder, "plugins.json", json);

    private static IDisposable? Folder(TempFolder folder, string name)
    {
        Directory.CreateDirectory(folder.Combine(name));
        return null;
    }

    private static IDisposable? File(TempFolder folder, string name, string content)
    {
        folder.File(name, content);
        return null;
    }
}
