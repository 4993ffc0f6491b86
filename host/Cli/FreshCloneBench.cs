using System.ComponentModel;
using OkrHost.UseCases;

namespace OkrHost.Cli;

/// <summary>
/// PRODUCT.md section 15: from a fresh clone to the first demo report, the README's one command
/// (<c>dotnet run --project host -- report --demo</c>) taken apart into restore, build and run, each
/// timed. Measured only from inside a clone of the repository: the clone is of its committed HEAD, the
/// NuGet cache is the machine's (warm once anything was built), and compiler build servers are off, so
/// the build starts as cold as on a fresh machine.
/// </summary>
internal static class FreshCloneBench
{
    /// <summary>PRODUCT.md section 15: restore, build and run together, at most.</summary>
    private static readonly TimeSpan Target = TimeSpan.FromSeconds(40);

    public static async Task<int> RunAsync(RunEnvironment environment, string folder, CancellationToken cancellationToken)
    {
        var output = environment.Out;
        output.WriteLine();
        var checkout = FindCheckout(environment.CurrentDirectory);
        if (checkout is null)
        {
            output.WriteLine($"fresh clone to report --demo: not measured: {environment.CurrentDirectory} is not inside a clone of okrhost's repository (run bench from one)");
            return ExitCodes.Ok;
        }

        var clone = Path.Combine(folder, "fresh-clone");
        var git = ChildCommand.OnPath("git");
        var dotnet = ChildCommand.OnPath("dotnet");
        var steps = new (string Name, ChildCommand Command, string[] Arguments, string Directory)[]
        {
            ("clone", git, ["clone", "--quiet", checkout, clone], folder),
            ("restore", dotnet, ["restore", "host"], clone),
            ("build", dotnet, ["build", "host", "--no-restore", "--disable-build-servers"], clone),
            ("run", dotnet, ["run", "--project", "host", "--no-build", "--", "report", "--demo"], clone),
        };
        var times = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var (name, command, arguments, directory) in steps)
        {
            var started = environment.Clock.GetTimestamp();
            ChildCommand.Result result;
            try
            {
                result = await command.RunAsync(arguments, directory, new Dictionary<string, string>(), environment.Clock, cancellationToken);
            }
            catch (Win32Exception ex)
            {
                output.WriteLine($"fresh clone to report --demo: not measured: {command.FileName} could not start ({ex.Message})");
                return ExitCodes.Ok;
            }

            times[name] = environment.Clock.GetElapsedTime(started);
            if (result.ExitCode != 0)
            {
                output.WriteLine($"fresh clone to report --demo: {command.FileName} {string.Join(' ', arguments)} exited {result.ExitCode}:");
                output.WriteLine(string.Join('\n', (result.Output + result.Error).TrimEnd().Split('\n').TakeLast(15)));
                return ExitCodes.Unexpected;
            }
        }

        var total = times["restore"] + times["build"] + times["run"];
        output.WriteLine($"fresh clone to report --demo written ({checkout}, committed HEAD; NuGet cache as it is; build servers off):");
        output.WriteLine($"  restore {BenchCommand.Seconds(times["restore"])} s + build {BenchCommand.Seconds(times["build"])} s + run {BenchCommand.Seconds(times["run"])} s = {BenchCommand.Seconds(total)} s "
            + $"(target at most {BenchCommand.Seconds(Target)} s: {(total <= Target ? "met" : "NOT MET")}); the clone itself {BenchCommand.Seconds(times["clone"])} s, not counted");
        return ExitCodes.Ok;
    }

    /// <summary>The root of the okrhost repository clone <paramref name="directory"/> is in, or null.</summary>
    internal static string? FindCheckout(string directory)
    {
        for (var current = new DirectoryInfo(directory); current is not null; current = current.Parent)
        {
            if (File.Exists(Path.Combine(current.FullName, "OkrHost.sln")) && Path.Exists(Path.Combine(current.FullName, ".git")))
            {
                return current.FullName;
            }
        }

        return null;
    }
}
