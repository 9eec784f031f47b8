"""Benchmarks (`python -m data bench`): prints figures, asserts nothing.

Measured in fresh subprocesses so start-up is real:
  - start-up: interpreter + imports + gazetteer load + every stage's matchers built
    (data.pipeline.prepare), until the first article costs what the others do;
  - extraction throughput: articles per second over the corpus in one process (start-up excluded),
    in wall-clock time and in the process's CPU time (steadier when the machine is shared);
  - peak memory (max RSS) of that process;
  - how far the confidence can be trusted: of the rows at 0.8, how many are right (a held-out
    reliability table on the complete gold, see data.calibrate).
At scale (skipped with --no-scale), over the corpus replicated to at least --scale articles in a
temporary folder under /tmp (copies made at run time, deleted after; identical texts in
separate subfolders, so word-level caches warm a little faster than on a real corpus):
  - building the event store from nothing with 1 and 2 worker processes: articles per second in
    the extraction stage and end to end (read + extract + incidents + write);
  - an incremental re-run with nothing new, a store load, and their peak memory.
Each figure is the median of --runs runs; shared machines are noisy.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
DEFAULT_SCALE = 1000

# Runs inside the measured subprocess; prints one JSON line.
_WORKER = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from data.articles import read_articles
from data.pipeline import extract_articles, prepare
prepare()
startup = time.perf_counter() - t0
articles, problems = read_articles([sys.argv[1]])
t1, c1 = time.perf_counter(), time.process_time()
events, _ = extract_articles(articles)
elapsed, cpu = time.perf_counter() - t1, time.process_time() - c1
print(json.dumps({"startup_s": startup, "articles": len(articles), "events": len(events),
                  "extract_s": elapsed, "extract_cpu_s": cpu,
                  "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

# Builds a store from nothing (argv: corpus, store, workers), timing the extraction stage apart;
# the gazetteer is loaded first, as in _WORKER.
_BUILD = r"""
import json, resource, sys, time
import data.store
from data.pipeline import prepare
from data.store import EventStore
prepare()  # start-up is measured apart; forked workers inherit the loaded index and matchers
extract = data.store.extract_articles
spent = []
def timed(*args, **kwargs):
    t = time.perf_counter()
    try:
        return extract(*args, **kwargs)
    finally:
        spent.append(time.perf_counter() - t)
data.store.extract_articles = timed
t0 = time.perf_counter()
report = EventStore(sys.argv[2]).update([sys.argv[1]], workers=int(sys.argv[3]))
total = time.perf_counter() - t0
usage = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({"articles": report.new, "events": report.events, "incidents": report.incidents,
                  "extract_s": sum(spent), "total_s": total, "max_rss_mb": usage / 1024}))
"""

# Re-runs an update with nothing new, or loads the store (argv: mode, corpus, store).
_STORE = r"""
import json, resource, sys, time
from data.store import EventStore
store = EventStore(sys.argv[3])
t0 = time.perf_counter()
if sys.argv[1] == "rerun":
    report = store.update([sys.argv[2]])
    assert not report.written and report.extracted == 0, report
    rows = report.events
else:
    rows = len(store.load().events)
print(json.dumps({"seconds": time.perf_counter() - t0, "events": rows,
                  "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _run(code: str, *args: str) -> dict:
    run = subprocess.run([sys.executable, "-c", code, *args], cwd=REPO, capture_output=True, text=True, timeout=3600)
    if run.returncode != 0:
        raise RuntimeError(run.stderr[-2000:])
    return json.loads(run.stdout.strip().splitlines()[-1])


def measure_once(corpus: Path) -> dict:
    return _run(_WORKER, str(corpus))


def replicate(corpus: Path, target: Path, *, at_least: int) -> int:
    """Copies of the corpus folder under `target` (copy000/, copy001/, ...) until there are
    at least `at_least` article files; returns the number of files."""
    files = [
        p
        for p in corpus.iterdir()
        if p.is_file()
        and p.suffix.lower() in (".txt", ".md", ".html", ".htm", ".json", ".jsonl")
        and p.stem.lower() != "readme"
    ]
    copies = max(1, math.ceil(at_least / max(1, len(files))))
    for index in range(copies):
        folder = target / f"copy{index:03d}"
        folder.mkdir(parents=True)
        for path in files:
            shutil.copyfile(path, folder / path.name)
        if (corpus / "manifest.csv").is_file():
            shutil.copyfile(corpus / "manifest.csv", folder / "manifest.csv")
    return copies * len(files)


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def run_scale(corpus: Path, *, at_least: int, runs: int) -> None:
    """The figures over the replicated corpus (see the module docstring)."""
    work = Path(tempfile.mkdtemp(prefix="sitrep-bench-", dir="/tmp"))
    try:
        replica = work / "corpus"
        count = replicate(corpus, replica, at_least=at_least)
        print(f"scale: corpus replicated to {count} articles in {replica} (deleted after)")
        store = work / "store"
        for workers in (1, 2):
            builds = []
            for attempt in range(runs):
                target = work / f"build-{workers}-{attempt}"
                builds.append(_run(_BUILD, str(replica), str(target), str(workers)))
                if workers == 2 and attempt == 0:
                    shutil.copytree(target, store)
                shutil.rmtree(target, ignore_errors=True)
            articles = builds[0]["articles"]
            print(
                f"store build from nothing, {workers} worker{'s' if workers > 1 else ''}: "
                f"extraction {statistics.median(articles / b['extract_s'] for b in builds):.1f} articles/s, "
                f"end to end {statistics.median(articles / b['total_s'] for b in builds):.1f} articles/s "
                f"({_median(builds, 'total_s'):.1f} s for {articles} articles, {builds[0]['events']} events, "
                f"{builds[0]['incidents']} incidents); peak memory {_median(builds, 'max_rss_mb'):.0f} MB per process"
            )
        # one unmeasured re-run first: it re-extracts if the extractor's code changed since the build
        # (a work tree being edited) and warms the OS file cache, as the store load's first run does
        _run(_BUILD, str(replica), str(store), "2")
        reruns = [_run(_STORE, "rerun", str(replica), str(store)) for _ in range(runs)]
        loads = [_run(_STORE, "load", str(replica), str(store)) for _ in range(runs)]
        size = sum(p.stat().st_size for p in store.rglob("*") if p.is_file()) / 1e6
        print(
            f"incremental re-run, nothing new: {_median(reruns, 'seconds'):.2f} s "
            f"(peak memory {_median(reruns, 'max_rss_mb'):.0f} MB)"
        )
        print(
            f"store load ({loads[0]['events']} events, {size:.1f} MB on disk): {_median(loads, 'seconds'):.2f} s "
            f"(peak memory {_median(loads, 'max_rss_mb'):.0f} MB)"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def print_reliability() -> None:
    """How far the confidence can be trusted: the calibration's held-out reliability table on the
    complete gold (data.calibrate), when the gold is beside the repository."""
    from data.calibrate import REPO as ROOT
    from data.calibrate import SHARED, collect, print_report

    eval_dir, corpus = SHARED / "eval", SHARED / "corpus"
    if not (eval_dir / "score_fields.py").is_file() or not corpus.is_dir():
        print(f"confidence reliability: skipped (no gold at {eval_dir})")
        return
    print("confidence reliability (python -m data calibrate):")
    sys.stdout.flush()
    print_report(collect(eval_dir, corpus, ROOT / "seeds"))


def run_benchmarks(args: argparse.Namespace) -> int:
    corpus = Path(args.corpus) if args.corpus else DEFAULT_CORPUS
    if not corpus.is_dir():
        print(f"bench: corpus folder not found: {corpus} (pass --corpus)", file=sys.stderr)
        return 2
    measure_once(corpus)  # warm the gazetteer cache and the OS file cache
    runs = [measure_once(corpus) for _ in range(max(1, args.runs))]
    articles = runs[0]["articles"]
    rate = statistics.median(r["articles"] / r["extract_s"] for r in runs)
    print(f"corpus: {corpus} ({articles} articles, {runs[0]['events']} events), {len(runs)} runs, medians")
    print(f"start-up (imports, gazetteer, matchers): {statistics.median(r['startup_s'] for r in runs):.2f} s")
    cpu_rate = statistics.median(r["articles"] / r["extract_cpu_s"] for r in runs)
    print(
        f"extraction, 1 process: {rate:.1f} articles/s "
        f"({statistics.median(r['extract_s'] for r in runs):.2f} s for {articles} articles); "
        f"{cpu_rate:.1f} articles per CPU second (what other processes take from this one "
        f"does not count)"
    )
    print(f"peak memory (max RSS): {statistics.median(r['max_rss_mb'] for r in runs):.0f} MB")
    print_reliability()
    if getattr(args, "scale", DEFAULT_SCALE):
        sys.stdout.flush()
        run_scale(corpus, at_least=args.scale, runs=max(1, args.runs))
    return 0
