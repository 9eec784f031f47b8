"""Command line: `python -m data extract|export|review|dates|places|explain|index|bench`.

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
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # (imported where used: `python -m data dates` does not pay for pandas)
    import pandas as pd

    from data.pipeline import LoadResult
    from data.review import Change
    from data.store import EventStore


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
    from data.export import export_problem, write_export
    from data.pipeline import LoadResult, load_events

    if args.out is None and args.store is None:
        print("extract: give --out FILE, --store [DIR] or both", file=sys.stderr)
        return 2
    if args.rebuild and args.store is None:
        print("extract: --rebuild re-extracts a store: give --store [DIR]", file=sys.stderr)
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
            report = store.update(args.paths, workers=args.workers, progress=progress, dask=dask, rebuild=args.rebuild)
            if progress is not None:
                progress.close()
            result = store.load()
            summary = f"store {store.path}: {report.summary()}"
            events, unattached = _reviewed(store, result)
            result = LoadResult(events, result.articles, result.problems)
            if unattached:
                summary += (
                    f"\n{len(unattached)} review changes could not be re-attached: see `python -m data review list`"
                )
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
        write_export(result.events, out)
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


def _reviewed(store: EventStore, result: LoadResult, *, keep_rejected: bool = False) -> tuple[pd.DataFrame, list]:
    """The store's events with the analyst's review applied, and the changes no event takes any more."""
    from data.review import REVIEW_DB, ReviewLog, apply_reviews, reattach, review_defaults

    if not (store.path / REVIEW_DB).is_file():  # never reviewed: nothing to apply (and no file made)
        return review_defaults(result.events.copy()), []
    changes = ReviewLog(store.path).changes()
    reviewed = apply_reviews(result.events, changes, articles=result.articles, keep_rejected=keep_rejected)
    return reviewed, reattach(result.events, changes, articles=result.articles).unattached


def _open_store(path: str | None, command: str) -> tuple[EventStore, LoadResult] | tuple[None, None]:
    """The event store at `path` (default: $SITREP_STORE/events) and its contents, or None with a
    message when there is none."""
    from data.store import EventStore

    store = EventStore(path or None)
    if not store.exists():
        print(
            f"{command}: no event store at {store.path} (build it: python -m data extract PATH --store {store.path})",
            file=sys.stderr,
        )
        return None, None
    return store, store.load()


def _cmd_export(args: argparse.Namespace) -> int:
    """The reviewed state of a store to a file; exit 1 when there is no store, 2 for a bad --out."""
    from data.export import export_problem, write_export

    if problem := export_problem(args.out):
        print(f"export: {problem}", file=sys.stderr)
        return 2
    store, result = _open_store(args.store, "export")
    if store is None:
        return 1
    events, unattached = _reviewed(store, result, keep_rejected=args.keep_rejected)
    write_export(events, args.out)
    reviewed = int((events["review_status"] != "unreviewed").sum())
    print(f"exported {len(events)} events ({reviewed} reviewed) -> {args.out}", file=sys.stderr)
    if unattached:
        print(f"{len(unattached)} review changes could not be re-attached: see `review list`", file=sys.stderr)
    return 0


def _terminal_text(text: str, limit: int = 100) -> str:
    """Article text made safe for one terminal line: control characters (escape sequences) as spaces."""
    clean = "".join(c if c.isprintable() else " " for c in str(text))
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def _change_line(change: Change) -> str:
    """One change as a tab-separated line: id, time, reviewer, action, field: old -> new, reason, note."""
    what = f"{change.field}: {json.dumps(change.old_value, ensure_ascii=False)} -> " if change.field else ""
    value = json.dumps(change.new_value, ensure_ascii=False) if change.field or change.new_value else ""
    extra = "".join(
        f" {label}: {_terminal_text(text)}"
        for label, text in (("reason", change.reason), ("note", change.note))
        if text
    )
    return (
        f"{change.change_id}\t{change.at}\t{_terminal_text(change.reviewer, 40)}\t{change.action}\t{what}{value}{extra}"
    )


def _cmd_review(args: argparse.Namespace) -> int:
    """Exit 0 on success, 1 for an unknown event or a missing store, 2 for a bad field or value."""
    import pandas as pd

    from data.review import ReviewError, ReviewLog, default_reviewer, event_history, review_progress, review_queue

    store, result = _open_store(args.store, "review")
    if store is None:
        return 1
    reviewed, unattached = _reviewed(store, result, keep_rejected=True)
    if args.action == "list":
        shown = review_queue(reviewed) if args.queue else reviewed
        if args.status:
            shown = shown[shown["review_status"] == args.status]
        print("event_id\treview_status\tdate\tplace\ttype\tactors\tfatalities\treviewed_by\texcerpt")
        for row in shown.itertuples(index=False):
            when = (
                f"{row.date_start}/{row.date_end}"
                if row.date_start and row.date_end != row.date_start
                else str(row.date_start or "")
            )
            deaths = "" if pd.isna(row.fatalities) else str(int(row.fatalities))
            cells = (
                row.event_id,
                row.review_status,
                when,
                row.place,
                f"{row.event_type}: {row.sub_event_type}",
                ";".join(row.actors),
                deaths,
                row.reviewed_by,
                row.excerpt,
            )
            print("\t".join(_terminal_text(cell, 100) for cell in cells))
        print(review_progress(reviewed).text, file=sys.stderr)
        for item in unattached:
            print(
                f"not re-attached: change {item.change.change_id} ({item.change.action} "
                f"{item.change.field or ''} of event {item.change.event_id}): {item.reason}",
                file=sys.stderr,
            )
        return 0

    log = ReviewLog(store.path, reviewer=getattr(args, "reviewer", None))
    by_id = reviewed.set_index("event_id", drop=False)
    if args.event_id not in by_id.index:
        print(
            f"review: no event {args.event_id!r} in the store {store.path} (`review list` lists them)", file=sys.stderr
        )
        return 1
    event = by_id.loc[args.event_id]
    if args.action == "history":  # (with the changes an earlier id of the event carried)
        for change in event_history(args.event_id, result.events, log, articles=result.articles):
            print(_change_line(change))
        return 0
    try:
        if args.action == "accept":
            written = log.accept(event, note=args.note)
        elif args.action == "reject":
            if args.duplicate_of and args.duplicate_of not in by_id.index:
                print(
                    f"review: no event {args.duplicate_of!r} (--duplicate-of) in the store {store.path}",
                    file=sys.stderr,
                )
                return 1
            written = log.reject(event, reason=args.reason, duplicate_of=args.duplicate_of or "", note=args.note)
        elif args.action == "merge":
            if args.into not in by_id.index:
                print(f"review: no event {args.into!r} (--into) in the store {store.path}", file=sys.stderr)
                return 1
            written = log.merge(event, by_id.loc[args.into], note=args.note)
        else:
            fields = {}
            for assignment in args.set:
                name, equals, value = assignment.partition("=")
                if not equals or not name.strip():
                    print(f"review: expected --set FIELD=VALUE, got {assignment!r}", file=sys.stderr)
                    return 2
                fields[name.strip()] = value
            written = log.correct(event, fields, note=args.note)
    except ReviewError as error:
        print(f"review: {error}", file=sys.stderr)
        return 2
    print(
        f"{args.action} {args.event_id}: change {written.change_id} by {log.reviewer or default_reviewer()}",
        file=sys.stderr,
    )
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
        "--rebuild",
        action="store_true",
        help="re-extract every article of the store even when nothing changed (a new extractor version); "
        "the analyst's reviews are re-attached",
    )
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

    export = sub.add_parser(
        "export",
        help="the reviewed events of a store -> a file (.csv/.acled.csv/.json/.geojson/.parquet)",
        description="Write the event store's events with the analyst's review applied (corrections win, "
        "rejected events left out, added events in); the suffix of --out picks the format.",
    )
    export.add_argument("--store", default=None, metavar="DIR", help="the event store (default $SITREP_STORE/events)")
    export.add_argument("--out", required=True, help="output file; its suffix picks the format")
    export.add_argument("--keep-rejected", action="store_true", help="keep rejected events (review_status tells)")
    export.set_defaults(func=_cmd_export)

    review = sub.add_parser(
        "review",
        help="accept, correct, reject or merge events of a store; list them and their history",
        description="The analyst's review from the command line, written to <store>/review.sqlite. "
        "Exit 1 for an unknown event or a missing store, 2 for a bad field or value.",
    )
    actions = review.add_subparsers(dest="action", required=True)

    def action(name: str, help_text: str, *, event: bool = True) -> argparse.ArgumentParser:
        parser = actions.add_parser(name, help=help_text, description=help_text)
        if event:
            parser.add_argument("event_id", metavar="EVENT_ID")
        parser.add_argument(
            "--store", default=None, metavar="DIR", help="the event store (default $SITREP_STORE/events)"
        )
        if name not in ("list", "history"):
            parser.add_argument("--note", default="", help="a note kept with the change")
            parser.add_argument(
                "--reviewer", default=None, help="who reviews (default $SITREP_REVIEWER, else the OS user)"
            )
        parser.set_defaults(func=_cmd_review)
        return parser

    listing = action(
        "list",
        "every event with its review status (tab-separated), progress and what could not be re-attached",
        event=False,
    )
    listing.add_argument("--status", choices=("unreviewed", "accepted", "corrected", "rejected"), default=None)
    listing.add_argument("--queue", action="store_true", help="unreviewed events, most in need of review first")
    action("accept", "the event is right as it stands")
    reject = action("reject", "the event is not one (or a duplicate, or from the wrong article)")
    reject.add_argument("--reason", required=True, help="why: not an event, duplicate, wrong article, …")
    reject.add_argument("--duplicate-of", default=None, metavar="EVENT_ID", help="the event it duplicates")
    correct = action(
        "correct",
        "set fields: date, date_precision, place, lat, lon, geo_precision, actors, actor1, actor2, "
        "event_type, sub_event_type, fatalities, fatalities_low, fatalities_high",
    )
    correct.add_argument(
        "--set",
        action="append",
        required=True,
        metavar="FIELD=VALUE",
        help='e.g. fatalities=5, place=Tabqa, actors="Syrian Democratic Forces;Islamic State"',
    )
    merge = action("merge", "two reports of one event: folded into --into (same article) or one incident")
    merge.add_argument("--into", required=True, metavar="EVENT_ID")
    action("history", "the event's changes, oldest first")

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
