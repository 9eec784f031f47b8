"""Command line: `python -m data extract|dates|places|explain|index|bench`.

A thin layer over the library: each subcommand parses its arguments, calls one function and
writes the result. `main(argv)` returns the exit code so tests can call it directly.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import TextIO


def _read_text(source: str) -> str:
    """The file's text exactly as read (UTF-8, no newline translation), or stdin for '-'."""
    if source == "-":
        return sys.stdin.buffer.read().decode("utf-8", errors="replace")
    with open(source, encoding="utf-8", errors="replace", newline="") as handle:
        return handle.read()


def _iso_day(value: str) -> date:
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {value!r}") from None


class ProgressBar:
    """A one-line progress bar on a text stream: `extract  340/1000 [=====>    ]  24.1/s  ETA 0:00:27`."""

    def __init__(self, *, label: str = "extract", stream: TextIO | None = None, width: int = 30) -> None:
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self.started = time.monotonic()
        self.last_draw = 0.0
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last_draw < 0.1:
            return  # redrawing more than ten times a second only costs time
        self.last_draw = now
        elapsed = max(now - self.started, 1e-9)
        rate = done / elapsed
        filled = int(self.width * done / total) if total else self.width
        bar = "=" * filled + (">" if filled < self.width else "") + " " * (self.width - filled - 1)
        eta = f"ETA {timedelta(seconds=round((total - done) / rate))}" if rate > 0 and done < total else ""
        self.stream.write(f"\r{self.label} {done:>{len(str(total))}}/{total} [{bar}] {rate:6.1f}/s {eta:<14}")
        self.drawn = True
        if done >= total:
            self.close()

    def close(self) -> None:
        """End the bar's line (once)."""
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False


def _progress_for(args: argparse.Namespace) -> ProgressBar | None:
    """A bar on stderr when asked (--progress) or when stderr is a terminal."""
    if args.progress or (args.progress is None and sys.stderr.isatty()):
        return ProgressBar()
    return None


def _cmd_extract(args: argparse.Namespace) -> int:
    """Exit 0 when something was read, 1 when every input failed, 2 for a usage error."""
    from data.frame import export_events, export_problem
    from data.pipeline import load_events

    if args.out is None and args.store is None:
        print("extract: give --out FILE, --store [DIR] or both", file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else None
    if out is not None and (problem := export_problem(out)):
        print(f"extract: {problem}", file=sys.stderr)  # before the extraction, not after it
        return 2
    progress = _progress_for(args)
    dask = args.dask
    try:
        if args.store is not None:
            from data.store import EventStore

            store = EventStore(args.store or None)
            report = store.update(args.paths, workers=args.workers, progress=progress, dask=dask)
            if progress is not None:
                progress.close()
            result = store.load()
            summary = f"store {store.path}: {report.summary()}"
            read = report.new + report.changed + report.unchanged
        else:
            result = load_events(args.paths, workers=args.workers, progress=progress, dask=dask)
            if progress is not None:
                progress.close()
            summary = ""
            read = len(result.articles)
    except FileNotFoundError as error:
        print(f"extract: {error}", file=sys.stderr)
        return 2
    if out is not None:
        export_events(result.events, out)
    for problem in result.problems:
        print(f"problem: {problem.article_id}: {problem.stage}: {problem.message}", file=sys.stderr)
    if summary:
        print(summary, file=sys.stderr)
    print(
        f"extracted {len(result.events)} events from {len(result.articles)} articles "
        f"({len(result.problems)} problems)" + (f" -> {out}" if out else ""),
        file=sys.stderr,
    )
    if not read:
        print(f"extract: no article could be read from {', '.join(args.paths)}", file=sys.stderr)
        return 1
    return 0


def _cmd_dates(args: argparse.Namespace) -> int:
    from data.dates import find_dates

    text = _read_text(args.file)
    for mention in find_dates(text, published=args.published):
        record = {
            "start": mention.start,
            "end": mention.end,
            "text": mention.text,
            "date_start": mention.date_start.isoformat() if mention.date_start else None,
            "date_end": mention.date_end.isoformat() if mention.date_end else None,
            "date_precision": mention.date_precision,
        }
        print(json.dumps(record, ensure_ascii=False))
    return 0


def _cmd_places(args: argparse.Namespace) -> int:
    from data.places import find_places

    text = _read_text(args.file)
    for mention in find_places(text):
        record = {
            "start": mention.start,
            "end": mention.end,
            "text": mention.text,
            "place": mention.place,
            "place_id": mention.place_id,
            "lat": mention.lat,
            "lon": mention.lon,
            "country": mention.country,
            "geo_precision": mention.geo_precision,
            "role": mention.role,
        }
        print(json.dumps(record, ensure_ascii=False))
    return 0


def _cmd_explain(args: argparse.Namespace) -> int:
    from data.articles import read_articles
    from data.explain import explain_article

    articles, problems = read_articles([args.article])
    for problem in problems:
        print(f"problem: {problem.article_id}: {problem.stage}: {problem.message}", file=sys.stderr)
    if not articles:
        print(f"explain: no article could be read from {args.article}", file=sys.stderr)
        return 2
    for article in articles:
        print(explain_article(article))
    return 0


def _cmd_index(args: argparse.Namespace) -> int:
    """Build the place index once (the install step), so that the dashboard's first start only
    loads it; nothing to do when it is built already."""
    from data.gazetteer import built_index, load_gazetteer

    found = built_index()
    if found is not None:
        print(f"place index: {found} (built already)")
        return 0
    started = time.perf_counter()
    gazetteer = load_gazetteer()
    print(f"place index: {len(gazetteer):,} places in {time.perf_counter() - started:.1f} s -> {built_index()}")
    return 0


def _cmd_bench(args: argparse.Namespace) -> int:
    from data.bench import run_benchmarks

    return run_benchmarks(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m data", description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", required=True)

    extract = sub.add_parser(
        "extract",
        help="articles -> events file (.csv/.json/.geojson/.parquet) and/or the event store",
        description="Extract events from article files and folders. Give --out FILE, --store [DIR] or both; "
        "put --store after the paths (or write --store=DIR) so it does not take a path as its folder.",
    )
    extract.add_argument("paths", nargs="+", help="article files or folders (with manifest.csv)")
    extract.add_argument("--out", default=None, help="output file; its suffix picks the format")
    extract.add_argument(
        "--store",
        nargs="?",
        const="",
        default=None,
        metavar="DIR",
        help="update the event store incrementally (default folder: $SITREP_STORE/events "
        "or data/store/events); with --out, the whole store is exported",
    )
    extract.add_argument("--workers", type=int, default=1, help="processes to extract with")
    extract.add_argument(
        "--dask",
        default=None,
        metavar="ADDRESS",
        help="extract on Dask: a scheduler address (tcp://host:8786) or threads/processes",
    )
    extract.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar on stderr (default: only when stderr is a terminal)",
    )
    extract.set_defaults(func=_cmd_extract)

    dates = sub.add_parser("dates", help="date expressions in a text, as JSON lines")
    dates.add_argument("--published", type=_iso_day, required=True, help="publication date YYYY-MM-DD")
    dates.add_argument("file", help="a text file, or - for stdin")
    dates.set_defaults(func=_cmd_dates)

    places = sub.add_parser("places", help="place mentions in a text, as JSON lines")
    places.add_argument("file", help="a text file, or - for stdin")
    places.set_defaults(func=_cmd_places)

    explain = sub.add_parser(
        "explain",
        help="how one article was read: cues, clauses, sides, folding, events",
        description="Each sentence of the article: the event cues found, the ones dropped and "
        "why, each clause read as a candidate event and the event it was folded into.",
    )
    explain.add_argument("article", help="an article file (the manifest.csv beside it gives its metadata)")
    explain.set_defaults(func=_cmd_explain)

    # (handled in main: its options are data.calibrate's; listed here for --help)
    sub.add_parser(
        "calibrate",
        help="rebuild the confidence weights from the complete gold and print a reliability "
        "table (--write to save them); see data/calibrate.py",
    )

    index = sub.add_parser(
        "index",
        help="build the place index from GeoNames once (the install step: the first start then only loads it)",
    )
    index.set_defaults(func=_cmd_index)

    bench = sub.add_parser("bench", help="print speed and memory figures")
    bench.add_argument("--corpus", default=None, help="folder of articles (default ../shared/corpus)")
    bench.add_argument("--runs", type=int, default=3, help="runs per figure; medians are printed")
    bench.add_argument(
        "--scale",
        type=int,
        default=1000,
        metavar="N",
        help="also time the store over the corpus replicated to >= N articles in /tmp (0: skip)",
    )
    bench.set_defaults(func=_cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["calibrate"]:  # its options are data.calibrate's own
        from data.calibrate import main as calibrate

        return calibrate(argv[1:])
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
