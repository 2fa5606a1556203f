// weblab: the command-line entry point (generate, train-base, eval, bench, run).
return WebLab.Cli.Commands.Run(args);
