"""Benchmarks (`python -m data bench`): prints figures, asserts nothing.

Measured in fresh subprocesses so start-up is real:
  - start-up: interpreter + imports + gazetteer load, until the first article can be processed;
  - extraction throughput: articles per second over the corpus in one process (start-up excluded);
  - peak memory (max RSS) of that process.
Each figure is the median of --runs runs; shared machines are noisy.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"

# Runs inside the measured subprocess; prints one JSON line.
_WORKER = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from data.articles import read_articles
from data.gazetteer import get_gazetteer
from data.pipeline import extract_articles
get_gazetteer()
startup = time.perf_counter() - t0
articles, problems = read_articles([sys.argv[1]])
t1 = time.perf_counter()
events, _ = extract_articles(articles)
elapsed = time.perf_counter() - t1
print(json.dumps({"startup_s": startup, "articles": len(articles), "events": len(events),
                  "extract_s": elapsed, "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure_once(corpus: Path) -> dict:
    run = subprocess.run([sys.executable, "-c", _WORKER, str(corpus)], cwd=REPO, capture_output=True,
                         text=True, timeout=1800)
    if run.returncode != 0:
        raise RuntimeError(run.stderr[-2000:])
    return json.loads(run.stdout.strip().splitlines()[-1])


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
    print(f"start-up (imports + gazetteer load): {statistics.median(r['startup_s'] for r in runs):.2f} s")
    print(f"extraction, 1 process: {rate:.1f} articles/s "
          f"({statistics.median(r['extract_s'] for r in runs):.2f} s for {articles} articles)")
    print(f"peak memory (max RSS): {statistics.median(r['max_rss_mb'] for r in runs):.0f} MB")
    return 0
