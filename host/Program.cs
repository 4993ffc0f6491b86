using OkrHost.UseCases;
using OkrHost.Cli;

return await CliApp.RunAsync(args, RunEnvironment.FromProcess(TimeProvider.System));
