using OkrHost.Cli;

return await CliApp.RunAsync(args, CliEnvironment.FromProcess());
