"""normref benchmarks: throughput, linearity, peak memory and cold start.

    python bench/run.py                 # 1, 4 and 16 MB, 100 MB JSONL stream for peak RSS,
                                        # 8 MB JSONL with --jobs 1 and --jobs 2
    python bench/run.py --quick         # small sizes, proves the script runs (CI)

Prints a table and writes the figures to a JSON file (default bench/results.json).
See docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import make_digest, make_jsonl_lines  # noqa: E402

MB = 1024 * 1024

#: The floor any approach pays to read the text: one case-insensitive pass for twenty stems.
BASELINE_PATTERN = re.compile(
    r"стат|ст\.|част|ч\.|пункт|п\.|кодекс|закон|конвенц|пакт|протокол|конституц|правил"
    r"|замечани|декларац|article|covenant|convention|бап|заң",
    re.IGNORECASE,
)

TARGETS = {
    "tag_mb_s": 3.0,
    "extract_resolve_mb_s": 5.0,
    "tag_vs_baseline_max": 4.0,
    "scaling_16_vs_1_max": 17.0,
    "cold_start_s_max": 0.3,
    "peak_rss_mb_max": 150.0,
    "jobs_speedup_min": 1.8,
}


def timed(func, repeat: int) -> tuple[float, float]:
    """Median wall time and median CPU time of ``repeat`` runs (on a machine busy with other
    work, the wall time also counts the waits for a core)."""
    times = []
    cpu = []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        func()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(times), statistics.median(cpu)


def measure_size(size_mb: float, repeat: int) -> dict[str, float]:
    from normref.catalogue import load_catalogue
    from normref.digest import iter_digest
    from normref.extract import extract
    from normref.resolve import Resolver
    from normref.tag import Tagger

    catalogue = load_catalogue()
    resolver = Resolver(catalogue)
    tagger = Tagger(catalogue)
    text = make_digest(int(size_mb * MB / 1.9))  # Cyrillic is ~1.9 bytes a character
    n_bytes = len(text.encode("utf-8"))

    def baseline() -> None:
        for _ in BASELINE_PATTERN.finditer(text):
            pass

    def extract_resolve() -> None:
        resolver.resolve(extract(text))

    def tag() -> None:
        for incident in iter_digest(text):
            tagger.tag(incident)

    t_base, c_base = timed(baseline, repeat)
    t_er, c_er = timed(extract_resolve, repeat)
    t_tag, c_tag = timed(tag, repeat)
    # the runs above repeat one text, so from the second on (and for tag from the first, after
    # extract+resolve) the citations come from normref's in-memory caches of built citations;
    # once more on a text of the same kind that no cache has seen
    unseen = make_digest(len(text), seed=1000 + int(size_mb * 100))
    unseen_mb = len(unseen.encode("utf-8")) / MB
    t_unseen, c_unseen = timed(lambda: [tagger.tag(i) for i in iter_digest(unseen)], 1)
    mb = n_bytes / MB
    return {
        "size_mb": round(mb, 3),
        "baseline_s": t_base,
        "extract_resolve_s": t_er,
        "tag_s": t_tag,
        "baseline_mb_s": mb / t_base,
        "extract_resolve_mb_s": mb / t_er,
        "tag_mb_s": mb / t_tag,
        "tag_vs_baseline": t_tag / t_base,
        "extract_resolve_vs_baseline": t_er / t_base,
        "baseline_cpu_s": c_base,
        "extract_resolve_cpu_s": c_er,
        "tag_cpu_s": c_tag,
        "extract_resolve_cpu_mb_s": mb / c_er,
        "tag_cpu_mb_s": mb / c_tag,
        "tag_vs_baseline_cpu": c_tag / c_base,
        "tag_unseen_mb_s": unseen_mb / t_unseen,
        "tag_unseen_cpu_mb_s": unseen_mb / c_unseen,
    }


def paired_scaling(small_mb: float, large_mb: float, repeat: int) -> dict[str, object]:
    """Tag time at the largest size over the time at the smallest, the two timed in turn
    (small, large, small, large ...) so that both sides of each ratio see the same host: on a
    shared machine whose speed drifts over minutes, sizes measured minutes apart would compare
    two machines. Every timed run is on a text of its own that no run has tagged before: a text
    tagged again finds its citations in normref's in-memory caches, which hold all of a small
    text but not a large one, and that would measure the caches rather than the growth of the
    time. Each small side is the median of three texts; the figure is the median of the
    ``repeat`` ratios."""
    from normref.catalogue import load_catalogue
    from normref.digest import iter_digest
    from normref.tag import Tagger

    tagger = Tagger(load_catalogue())
    seeds = iter(range(5000, 6000))

    def fresh(size: float) -> str:
        return make_digest(int(size * MB / 1.9), seed=next(seeds))

    def tag(text: str):
        def run() -> None:
            for incident in iter_digest(text):
                tagger.tag(incident)
        return run

    tag(fresh(small_mb))()  # the one-off costs (the dictionary, per-word caches) paid first
    ratios, cpu_ratios, size_ratios = [], [], []
    for _ in range(repeat):
        small = [fresh(small_mb) for _ in range(3)]
        large = fresh(large_mb)
        small_runs = [timed(tag(text), 1) for text in small]
        large_t, large_c = timed(tag(large), 1)
        small_t = statistics.median(t for t, _ in small_runs)
        small_c = statistics.median(c for _, c in small_runs)
        ratios.append(large_t / small_t)
        cpu_ratios.append(large_c / small_c)
        small_bytes = statistics.mean(len(text.encode("utf-8")) for text in small)
        size_ratios.append(len(large.encode("utf-8")) / small_bytes)
        del small, large
    return {"time_ratio": statistics.median(ratios),
            "cpu_time_ratio": statistics.median(cpu_ratios),
            "size_ratio": statistics.mean(size_ratios), "pairs": ratios}


def normref_command() -> list[str]:
    exe = Path(sys.executable).with_name("normref")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "normref"]


def cold_start(runs: int) -> tuple[float, float]:
    """Median wall time of a whole `normref annotate` process on a 1 KB text, and the median
    CPU time (user + system) of that process: on a machine busy with other work the wall time
    grows with the wait for a core, the CPU time does not. Measured as after an install: the
    package's bytecode compiled, the cache filled by one run."""
    import normref

    sample = (make_digest(2000)[:1024]).encode("utf-8")[:1024].decode("utf-8", "ignore")
    command = normref_command() + ["annotate", "--format", "json"]
    # Bytecode as `pip install` leaves it: an editable install (or PYTHONDONTWRITEBYTECODE, set
    # on the project's machine) would otherwise compile every module of normref in every run.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(normref.__file__).parent)],
                   capture_output=True, check=True)
    subprocess.run(command, input=sample, capture_output=True, text=True, check=True)  # warm
    times = []
    cpu = []
    for _ in range(runs):
        before = _children_cpu()
        started = time.perf_counter()
        subprocess.run(command, input=sample, capture_output=True, text=True, check=True)
        times.append(time.perf_counter() - started)
        cpu.append(_children_cpu() - before)
    return statistics.median(times), statistics.median(cpu)


def stream_peak_rss(size_mb: float) -> dict[str, float]:
    """Peak RSS of `normref tag --format jsonl` over a JSONL stream of ``size_mb``."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "stream.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for line in make_jsonl_lines(int(size_mb * MB)):
                out.write(line)
        n_bytes = path.stat().st_size
        code = (
            "import resource, subprocess, sys\n"
            "with open(sys.argv[1], 'rb') as f:\n"
            "    p = subprocess.run(sys.argv[2:], stdin=f, stdout=subprocess.DEVNULL)\n"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
            "sys.exit(p.returncode)\n"
        )
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-c", code, str(path), *normref_command(), "tag", "-",
             "--format", "jsonl"],
            capture_output=True, text=True, check=True,
        )
        elapsed = time.perf_counter() - started
        peak_kb = int(result.stdout.strip().splitlines()[-1])
    return {"stream_mb": round(n_bytes / MB, 1), "stream_s": elapsed,
            "stream_mb_s": n_bytes / MB / elapsed, "peak_rss_mb": peak_kb / 1024}


def jobs_speedup(size_mb: float, jobs: int = 2, runs: int = 3) -> dict[str, float]:
    """Wall time of `normref tag FILE.jsonl --format jsonl` with ``--jobs 1`` and ``--jobs N``
    (whole processes, run alternately, median of ``runs`` each: two workers need both cores,
    so one busy moment on a shared machine spoils a single run), and whether the outputs are
    byte for byte the same."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "items.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for line in make_jsonl_lines(int(size_mb * MB), seed=3):
                out.write(line)
        times: dict[int, list[float]] = {1: [], jobs: []}
        cpu: dict[int, list[float]] = {1: [], jobs: []}
        outputs = {}
        for _ in range(runs):
            for n in (1, jobs):
                target = Path(tmp) / f"out-{n}.jsonl"
                before = _children_cpu()
                started = time.perf_counter()
                with target.open("wb") as out:
                    subprocess.run([*normref_command(), "tag", str(path), "--format", "jsonl",
                                    "--jobs", str(n)], stdout=out, check=True)
                times[n].append(time.perf_counter() - started)
                cpu[n].append(_children_cpu() - before)
                outputs[n] = target.read_bytes()
        n_bytes = path.stat().st_size
    t1, tn = statistics.median(times[1]), statistics.median(times[jobs])
    return {"jobs_mb": round(n_bytes / MB, 1), "jobs": jobs, "jobs_1_s": t1,
            f"jobs_{jobs}_s": tn, "jobs_speedup": t1 / tn,
            "jobs_1_cpu_s": statistics.median(cpu[1]),
            f"jobs_{jobs}_cpu_s": statistics.median(cpu[jobs]),
            "jobs_same_output": outputs[1] == outputs[jobs]}


def _children_cpu() -> float:
    """CPU seconds (user and system) of the ended child processes, their workers included."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": str(os.cpu_count()), "python": platform.python_version(),
            "system": f"{platform.system()} {platform.release()}"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 4, 16],
                        help="corpus sizes in MB (default 1 4 16)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--pairs", type=int, default=5,
                        help="small/large pairs for the linearity figure (median; default 5)")
    parser.add_argument("--stream-mb", type=float, default=100,
                        help="size of the JSONL stream for peak RSS (default 100)")
    parser.add_argument("--cold-runs", type=int, default=7)
    parser.add_argument("--jobs-mb", type=float, default=None,
                        help="size of the JSONL file for --jobs 1 vs --jobs 2 "
                             "(default: the largest of --sizes)")
    parser.add_argument("--jobs-runs", type=int, default=3,
                        help="runs of each for the --jobs figure (median)")
    parser.add_argument("--quick", action="store_true",
                        help="small sizes, one run each: proves the bench runs")
    parser.add_argument("--out", default=str(Path(__file__).with_name("results.json")))
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.repeat, args.stream_mb, args.cold_runs = [0.1, 0.2], 1, 1, 3
        args.pairs = 1
        args.jobs_mb, args.jobs_runs = 0.5, 1

    results: dict[str, object] = {"machine": machine(), "date": time.strftime("%Y-%m-%d"),
                                  "sizes": []}
    print(f"machine: {results['machine']}")
    print(f"{'MB':>6} {'baseline MB/s':>14} {'extract+resolve MB/s':>21} {'tag MB/s':>9} "
          f"{'tag/baseline':>13}   (by CPU time: {'e+r MB/s':>8} {'tag MB/s':>8} "
          f"{'tag/base':>8})  {'tag, unseen text':>16}")
    for size in args.sizes:
        row = measure_size(size, args.repeat)
        results["sizes"].append(row)
        print(f"{row['size_mb']:>6.2f} {row['baseline_mb_s']:>14.1f} "
              f"{row['extract_resolve_mb_s']:>21.2f} {row['tag_mb_s']:>9.2f} "
              f"{row['tag_vs_baseline']:>13.1f}   {'':15}{row['extract_resolve_cpu_mb_s']:>8.2f} "
              f"{row['tag_cpu_mb_s']:>8.2f} {row['tag_vs_baseline_cpu']:>8.1f}  "
              f"{row['tag_unseen_mb_s']:>16.2f}")
    sizes = results["sizes"]
    results["scaling"] = paired_scaling(min(args.sizes), max(args.sizes), args.pairs)
    scaling = results["scaling"]["time_ratio"]
    size_ratio = results["scaling"]["size_ratio"]
    print(f"time at {max(args.sizes):g} MB / time at {min(args.sizes):g} MB, timed in turn, "
          f"each on a new text: "
          f"{scaling:.1f} (size ratio {size_ratio:.1f}; by CPU time "
          f"{results['scaling']['cpu_time_ratio']:.1f}; pairs "
          + ", ".join(f"{r:.1f}" for r in results["scaling"]["pairs"]) + ")")
    results["cold_start_s"], results["cold_start_cpu_s"] = cold_start(args.cold_runs)
    print(f"cold start of `normref annotate` on 1 KB: {results['cold_start_s'] * 1000:.0f} ms "
          f"(CPU time {results['cold_start_cpu_s'] * 1000:.0f} ms)")
    stream = stream_peak_rss(args.stream_mb)
    results["stream"] = stream
    print(f"tag --format jsonl on {stream['stream_mb']} MB JSONL: {stream['stream_mb_s']:.2f} MB/s,"
          f" peak RSS {stream['peak_rss_mb']:.0f} MB")

    parallel = jobs_speedup(args.jobs_mb or max(args.sizes), runs=args.jobs_runs)
    results["parallel"] = parallel
    print(f"tag --jobs 2 vs --jobs 1 on {parallel['jobs_mb']} MB JSONL: "
          f"{parallel['jobs_speedup']:.2f}x faster "
          f"({parallel['jobs_1_s']:.1f} s -> {parallel['jobs_2_s']:.1f} s; CPU time "
          f"{parallel['jobs_1_cpu_s']:.1f} s -> {parallel['jobs_2_cpu_s']:.1f} s), same output: "
          f"{parallel['jobs_same_output']}")

    medium = max(sizes, key=lambda r: r["size_mb"])
    checks = {
        "tag_mb_s": medium["tag_mb_s"] >= TARGETS["tag_mb_s"],
        "extract_resolve_mb_s": medium["extract_resolve_mb_s"] >= TARGETS["extract_resolve_mb_s"],
        "tag_vs_baseline": medium["tag_vs_baseline"] <= TARGETS["tag_vs_baseline_max"],
        "scaling": scaling <= TARGETS["scaling_16_vs_1_max"] * size_ratio / 16,
        "cold_start": results["cold_start_s"] <= TARGETS["cold_start_s_max"],
        "peak_rss": stream["peak_rss_mb"] <= TARGETS["peak_rss_mb_max"],
        "jobs_speedup": parallel["jobs_speedup"] >= TARGETS["jobs_speedup_min"]
        and parallel["jobs_same_output"],
    }
    results["targets"] = TARGETS
    results["met"] = checks
    for name, ok in checks.items():
        print(f"  {'ok  ' if ok else 'MISS'} {name}")
    Path(args.out).write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(f"figures written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
