using BenchmarkDotNet.Running;
using LinRegService.Benchmarks;

// Runs the benchmarks named by the arguments, e.g. `--filter *Epoch*`; `--filter *` runs all.
BenchmarkSwitcher.FromAssembly(typeof(BenchConfig).Assembly).Run(args, new BenchConfig());
