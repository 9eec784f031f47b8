"""Benchmark (not a test): what the analyst's review costs, on generated events.

    .venv/bin/python tests/bench_review.py [--sizes 10000,100000] [--reviews 1000] [--runs 3]

For each size: `--reviews` writes (a third each accept, reject, correct) into a fresh review log
in a temporary folder, then, as CPU seconds of this process (medians of --runs; wall time moves
with whatever else the machine runs):
  * write         one write (CPU; the wall time, with synchronous=FULL, is mostly fsync);
  * read log      ReviewLog.changes(): every change row;
  * defaults      apply_reviews with no change: a copy of the frame with the review columns;
  * apply         apply_reviews with every change (keep_rejected=True);
  * queue         review_queue over the reviewed frame (mostly source_disagreements);
  * accuracy      field_accuracy.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from data.review import ReviewLog, apply_reviews, field_accuracy, review_queue  # noqa: E402
from data.synthetic import generate  # noqa: E402


def cpu_seconds(work: Callable[[], object], runs: int) -> float:
    """The median CPU time of `runs` calls."""
    times = []
    for _ in range(runs):
        started = time.process_time()
        work()
        times.append(time.process_time() - started)
    return statistics.median(times)


def bench(size: int, reviews: int, runs: int) -> str:
    events = generate(size).events
    with tempfile.TemporaryDirectory() as folder:
        log = ReviewLog(folder, reviewer="bench")
        step = max(size // reviews, 1)
        started, wall = time.process_time(), time.perf_counter()
        for number in range(min(reviews, size)):
            event = events.iloc[number * step]
            if number % 3 == 0:
                log.accept(event)
            elif number % 3 == 1:
                log.reject(event, reason="not an event")
            else:
                log.correct(event, {"fatalities": str(100_000 + number)})  # never the extracted value
        write_cpu = (time.process_time() - started) / reviews
        write_wall = (time.perf_counter() - wall) / reviews
        changes = log.changes()
        read = cpu_seconds(log.changes, runs)
        defaults = cpu_seconds(lambda: apply_reviews(events, []), runs)
        apply = cpu_seconds(lambda: apply_reviews(events, changes, keep_rejected=True), runs)
        reviewed = apply_reviews(events, changes, keep_rejected=True)
        queue = cpu_seconds(lambda: review_queue(reviewed), runs)
        accuracy = cpu_seconds(lambda: field_accuracy(reviewed), runs)
    return (
        f"{size:>7,} events, {reviews:,} reviews ({len(changes):,} rows): write {write_cpu * 1000:.1f} ms CPU "
        f"({write_wall * 1000:.1f} ms wall), read log {read * 1000:.0f} ms, defaults {defaults * 1000:.0f} ms, "
        f"apply {apply * 1000:.0f} ms, queue {queue * 1000:.0f} ms, accuracy {accuracy * 1000:.0f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated event counts")
    parser.add_argument("--reviews", type=int, default=1000, help="writes into the log")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; medians are printed")
    args = parser.parse_args(argv)
    for size in (int(part) for part in args.sizes.split(",")):
        print(bench(size, args.reviews, args.runs), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
