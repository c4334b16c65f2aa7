"""Side-by-side harness: this engine against PyTorch and NumPy peers, interleaved in one run.

Run through ./run (it builds the engine first). For every configuration and round it starts one
process per implementation, in turn, so a slow phase of a shared machine hits all of them alike;
it reports medians over the rounds, the ratio of each peer to the engine, the floor of one epoch
from the read and copy bandwidth measured in the same run, and the peak memory against the
dataset's bytes. Results go to bench/side-by-side/results/ and the plot to docs/images/.
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ENGINE = os.path.join(ROOT, "bench", "LinRegService.Benchmarks", "bin", "Release", "net10.0", "LinRegService.Benchmarks")

# name, flags, engine repeats per process (the last ones count: the engine runs warm in the
# service), peer repeats per process, runs dropped as warm-up, whether only training is timed.
CONFIGS = [
    ("book run 1000×2 b10 e3", dict(examples=1000, features=2, batch=10, epochs=3), 25, 25, 5, True),
    ("seed's printed run 1000×2 b10 e3", dict(examples=1000, features=2, batch=10, epochs=3, feature_std=0.1, init_std=0.1), 25, 25, 5, True),
    ("200,000×256 b128 e2", dict(examples=200_000, features=256, batch=128, epochs=2), 2, 1, 0, False),
    ("1,000,000×16 b256 e3", dict(examples=1_000_000, features=16, batch=256, epochs=3), 2, 1, 0, False),
    ("10,000,000×16 b1024 e1", dict(examples=10_000_000, features=16, batch=1024, epochs=1), 2, 1, 0, False),
]
PEERS = ["torch-seed", "torch-manual", "numpy"]
FIELDS = ["gen_s", "train_s", "whole_s", "epoch_s", "final_loss", "peak_rss"]


def flags(config, repeat, train_only):
    out = []
    for key, value in config.items():
        out += ["--" + key.replace("_", "-"), str(value)]
    return out + ["--repeat", str(repeat), "--train-only", "1" if train_only else "0"]


def run_lines(command):
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def find_python():
    """The first Python that imports numpy and torch (Debian's python3-numpy / python3-torch)."""
    missing = {}
    for python in ["/usr/bin/python3", sys.executable, "python3"]:
        have = {}
        for module in ["numpy", "torch"]:
            probe = subprocess.run([python, "-c", f"import {module}"], capture_output=True, check=False)
            have[module] = probe.returncode == 0
        if all(have.values()):
            return python, {}
        missing[python] = [m for m, ok in have.items() if not ok]
    return None, missing


def blas_in_use(python):
    probe = subprocess.run([python, "-c", "import numpy, numpy.__config__ as c; c.show()"], capture_output=True, text=True, check=False)
    link = os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3")
    return "openblas" if "openblas" in link else f"reference BLAS ({link})" if os.path.exists(link) else "unknown"


def median_record(records):
    return {field: statistics.median(r[field] for r in records) for field in FIELDS}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="processes per implementation and configuration (median over them)")
    parser.add_argument("--only", help="run only configurations whose name contains this text")
    parser.add_argument("--report", metavar="JSON", help="print the tables of an earlier run's results file and exit")
    args = parser.parse_args()
    if args.report:
        with open(args.report, encoding="utf-8") as f:
            print(report(json.load(f)))
        return 0

    python, missing = find_python()
    peers = PEERS if python else []
    if not python:
        print("!! No Python with both numpy and torch was found; the peers are skipped.", file=sys.stderr)
        for where, modules in missing.items():
            print(f"   {where}: missing {', '.join(modules)}", file=sys.stderr)
        print("   Install: apt-get install python3-numpy python3-torch libopenblas0-pthread", file=sys.stderr)
    blas = blas_in_use(python) if python else "-"
    if python and blas != "openblas":
        print(f"!! NumPy and PyTorch use {blas}; install libopenblas0-pthread for the fair peer pip's wheels are.", file=sys.stderr)

    started = datetime.datetime.now(datetime.timezone.utc)
    bandwidth = [run_lines([ENGINE, "bandwidth", "1024"])[0]]
    configs = [c for c in CONFIGS if not args.only or args.only in c[0]]
    raw = {name: {impl: [] for impl in ["engine"] + peers} for name, *_ in configs}
    for round_index in range(args.rounds):
        for name, config, engine_repeat, peer_repeat, warmup, train_only in configs:
            for impl in ["engine"] + peers:
                if impl == "engine":
                    lines = run_lines([ENGINE, "engine"] + flags(config, engine_repeat, train_only))
                    kept = lines[warmup:] if train_only else lines[-1:]
                else:
                    lines = run_lines([python, os.path.join(HERE, "peers.py"), impl] + flags(config, peer_repeat, train_only))
                    kept = lines[warmup:] if train_only else lines[-1:]
                # The first run's own peak: later runs in the same process may overlap the garbage of earlier ones.
                peak = lines[0]["peak_rss"]
                record = median_record(kept) | {"peak_rss": peak}
                if impl == "engine" and not train_only:
                    record["cold_whole_s"] = lines[0]["whole_s"]
                raw[name][impl].append(record)
                print(f"round {round_index + 1}/{args.rounds}  {name:<34} {impl:<13} whole {record['whole_s']:.4f} s  train {record['train_s']:.4f} s", flush=True)
    bandwidth.append(run_lines([ENGINE, "bandwidth", "1024"])[0])

    read_gbs = max(b["read_gbs"] for b in bandwidth)
    copy_gbs = max(b["copy_gbs"] for b in bandwidth)
    summary = {
        "date": started.strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "blas": blas,
        "rounds": args.rounds,
        "bandwidth": {"read_gbs": read_gbs, "copy_gbs": copy_gbs, "runs": bandwidth},
        "configs": [],
    }
    for name, config, *_rest in configs:
        train_only = _rest[-1]
        dataset_bytes = config["examples"] * (config["features"] + 1) * 4
        floor_epoch = dataset_bytes / (copy_gbs * 1e9) + dataset_bytes / (read_gbs * 1e9)
        entry = {"name": name, "config": config, "train_only": train_only, "dataset_bytes": dataset_bytes,
                 "floor_epoch_s": floor_epoch, "results": {}}
        for impl, records in raw[name].items():
            if records:
                med = median_record(records)
                if impl == "engine" and not train_only:
                    med["cold_whole_s"] = statistics.median(r["cold_whole_s"] for r in records)
                entry["results"][impl] = med
        summary["configs"].append(entry)

    out_dir = os.path.join(HERE, "results")
    os.makedirs(out_dir, exist_ok=True)
    stamp = started.strftime("%Y%m%d-%H%M")
    json_path = os.path.join(out_dir, f"side-by-side-{stamp}.json")
    with open(json_path, "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=1)
    text = report(summary)
    md_path = os.path.join(out_dir, f"side-by-side-{stamp}.md")
    with open(md_path, "w", encoding="utf-8") as f:
        f.write(text)
    print()
    print(text)
    print(f"results: {os.path.relpath(json_path, ROOT)}, {os.path.relpath(md_path, ROOT)}")
    plot(summary, python)
    return 0


def machine():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    dotnet = subprocess.run(["dotnet", "--version"], capture_output=True, text=True, check=False).stdout.strip()
    return f"{cpu}, {os.cpu_count()} cores, Linux {platform.release()}, .NET SDK {dotnet}"


def seconds(value):
    if value >= 1:
        return f"{value:.2f} s"
    if value >= 1e-3:
        return f"{value * 1e3:.1f} ms"
    return f"{value * 1e6:.0f} µs"


def ratio(value):
    return f"{value:.1f}×" if value < 10 else f"{value:.0f}×"


def report(summary):
    bw = summary["bandwidth"]
    lines = [
        f"Side-by-side run of {summary['date']} on {summary['machine']}; Python peers with {summary['blas']}; "
        f"median of {summary['rounds']} processes each.",
        f"Bandwidth measured in this run (2 threads, 1 GiB): read {bw['read_gbs']:.1f} GB/s, copy {bw['copy_gbs']:.1f} GB/s "
        "(bytes copied per second).",
        "",
        "Ratios are peer time over engine time. The engine's whole job also solves the closed form (the",
        "least-squares optimum every job reports), which the peers do not; the last column compares the",
        "same work, generation plus training, against the fastest peer.",
        "",
        "| job | engine | PyTorch as the seed | PyTorch manual | NumPy manual | × seed | × torch manual | × NumPy | engine generation + training | × fastest peer, same work |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for entry in summary["configs"]:
        key = "train_s" if entry["train_only"] else "whole_s"
        res = entry["results"]
        engine = res["engine"][key]
        cells = [seconds(res[p][key]) if p in res else "—" for p in PEERS]
        ratios = [ratio(res[p][key] / engine) if p in res else "—" for p in PEERS]
        same = res["engine"]["train_s"] if entry["train_only"] else res["engine"]["gen_s"] + res["engine"]["train_s"]
        peers = [res[p][key] for p in PEERS if p in res]
        fastest = ratio(min(peers) / same) if peers else "—"
        label = entry["name"] + (" (training only, warm)" if entry["train_only"] else " (whole job)")
        lines.append(f"| {label} | {seconds(engine)} | " + " | ".join(cells) + " | " + " | ".join(ratios) + f" | {seconds(same)} | {fastest} |")
    lines += [
        "",
        "| job | impl | generation | training | per epoch | whole job | final loss | peak RSS |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for entry in summary["configs"]:
        for impl, r in entry["results"].items():
            lines.append(f"| {entry['name']} | {impl} | {seconds(r['gen_s'])} | {seconds(r['train_s'])} | {seconds(r['epoch_s'])} | "
                         f"{seconds(r['whole_s'])} | {r['final_loss']:.3g} | {r['peak_rss'] / 2**20:.0f} MiB |")
    lines += [
        "",
        "Engine against the floor and the memory budget (floor of one epoch = one copy of the rows for the",
        "bucketed scatter, with the loss riding on its read, plus one read for the in-cache training pass):",
        "",
        "| job | dataset (X and y, float32) | engine per epoch | floor per epoch | × floor | engine peak RSS | budget 1.25×data + 100 MB | generation, ns per value per core | engine cold whole job |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for entry in summary["configs"]:
        e = entry["results"]["engine"]
        budget = 1.25 * entry["dataset_bytes"] + 100e6
        cold = seconds(e["cold_whole_s"]) if "cold_whole_s" in e else "—"
        values = entry["config"]["examples"] * (entry["config"]["features"] + 1)
        per_value = e["gen_s"] * os.cpu_count() / values * 1e9
        lines.append(f"| {entry['name']} | {entry['dataset_bytes'] / 2**20:.1f} MiB | {seconds(e['epoch_s'])} | {seconds(entry['floor_epoch_s'])} | "
                     f"{e['epoch_s'] / entry['floor_epoch_s']:.1f}× | {e['peak_rss'] / 2**20:.0f} MiB | {budget / 2**20:.0f} MiB | {per_value:.2f} | {cold} |")
    return "\n".join(lines) + "\n"


def plot(summary, python):
    """Time against dataset size, one line per implementation, drawn by matplotlib when it is there."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("!! matplotlib is missing (apt-get install python3-matplotlib): no plot drawn.", file=sys.stderr)
        return
    entries = sorted(summary["configs"], key=lambda e: e["dataset_bytes"])
    entries = [e for e in entries if not e["name"].startswith("seed")]
    fig, ax = plt.subplots(figsize=(8, 5))
    for impl, label in [("engine", "this engine"), ("torch-seed", "PyTorch as the seed"), ("torch-manual", "PyTorch manual"), ("numpy", "NumPy manual")]:
        points = [(e["dataset_bytes"] / 2**20, e["results"][impl]["train_s" if e["train_only"] else "whole_s"]) for e in entries if impl in e["results"]]
        if points:
            ax.plot(*zip(*points), marker="o", label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("dataset size (MiB of float32 X and y)")
    ax.set_ylabel("seconds (book run: training only; others: whole job)")
    ax.set_title(f"Time against dataset size, {summary['date']}")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    images = os.path.join(ROOT, "docs", "images")
    os.makedirs(images, exist_ok=True)
    for ext in ["svg", "png"]:
        fig.savefig(os.path.join(images, f"side-by-side.{ext}"), dpi=110, bbox_inches="tight", metadata={"Date": None} if ext == "svg" else None)
    print("plot: docs/images/side-by-side.svg, docs/images/side-by-side.png")


if __name__ == "__main__":
    sys.exit(main())
