using BenchmarkDotNet.Running;
using LinRegService.Benchmarks;
using LinRegService.Benchmarks.ServiceLoad;
using LinRegService.Benchmarks.SideBySide;

// `engine …`, `bandwidth …` and `first-touch` are the engine's side of the side-by-side harness
// (bench/side-by-side/run), `service-load …`, `sweep-load …` and `dataset-upload …` drive a running service (bench/service/run, bench/sweeps/run, bench/datasets/run), `csv-parse` compares the CSV libraries, `scatter-probe` times the scatter at any bucket count; anything else picks BenchmarkDotNet benchmarks, e.g. `--filter *Epoch*`.
return args.FirstOrDefault() switch
{
    "engine" => EngineWorker.Run(args[1..]),
    "bandwidth" => BandwidthWorker.Run(args),
    "service-load" => await ServiceLoadWorker.RunAsync(args[1..]),
    "sweep-load" => await SweepLoadWorker.RunAsync(args[1..]),
    "dataset-upload" => await DatasetUploadWorker.RunAsync(args[1..]),
    "csv-parse" => DatasetUploadWorker.CompareParsers(args[1..]),
    "first-touch" => FirstTouchWorker.Run(),
    "scatter-probe" => ScatterProbe.Run(args[1..]),
    _ => RunBenchmarks(args),
};

static int RunBenchmarks(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(BenchConfig).Assembly).Run(args, new BenchConfig());
    return 0;
}
