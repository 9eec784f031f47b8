"""Add articles: uploaded files saved beside the event store, then extracted by a store update.

    1. save     each file under $SITREP_STORE/uploads/<batch>/ with a safe name, plus a
                manifest.csv merged from an uploaded one and the per-file fields of the form;
    2. check    every file read as the loader reads it (data.articles.read_file): a file that
                yields no article, a bad publication date, or text already in the store is
                reported with its reason and removed from the batch; the others stay;
    3. update   EventStore.update over the store's sources, uploads included: only the new
                articles are extracted; the new snapshot invalidates the page cache
                (components.state keys it on the snapshot).

`add_articles()` does all three without Streamlit (the tests call it directly); `show()` is the
page's form and report.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import shutil
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import streamlit as st

from components import state
from data.articles import (
    ARTICLE_SUFFIXES,
    MAX_ARTICLE_BYTES,
    ArticleError,
    parse_published,
    read_file,
    read_manifest,
)
from data.pipeline import Progress
from data.store import EventStore, UpdateReport

log = logging.getLogger(__name__)

MANIFEST = "manifest.csv"
FIELDS = ("title", "outlet", "published", "url")
UPLOAD_TYPES = [s.lstrip(".") for s in ARTICLE_SUFFIXES] + ["csv"]
ADDED, REJECTED = "added", "rejected"


@dataclass(frozen=True)
class Upload:
    """One uploaded file: its name as the browser gave it and its bytes."""

    name: str
    data: bytes


@dataclass
class FileOutcome:
    """What became of one uploaded file."""

    file: str
    status: str
    reason: str = ""
    article_ids: list[str] = field(default_factory=list)


@dataclass
class AddResult:
    """A batch of uploads: where it was saved, each file's outcome and the store update."""

    batch: str
    folder: Path | None
    files: list[FileOutcome]
    report: UpdateReport | None = None

    @property
    def article_ids(self) -> list[str]:
        return [a for f in self.files for a in f.article_ids]


def safe_name(name: str) -> str:
    """A file name safe to write: no folders, no leading dot, only [A-Za-z0-9._-]."""
    base = Path(name.replace("\\", "/")).name
    stem, suffix = Path(base).stem, Path(base).suffix.lower()
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._") or "article"
    suffix = re.sub(r"[^a-z0-9.]", "", suffix)
    return f"{stem[:80]}{suffix}"


def new_batch_name() -> str:
    """A sortable, unique batch folder name: UTC time plus a random suffix."""
    return f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"


def _manifest_rows(data: bytes) -> tuple[dict[str, dict[str, str]], str]:
    """The rows of an uploaded manifest.csv by file name, or a reason it cannot be read."""
    try:
        text = data.decode("utf-8-sig")
        rows = {}
        for row in csv.DictReader(io.StringIO(text)):
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k}
            if row.get("file"):
                rows[row["file"]] = row
        return rows, ""
    except (UnicodeDecodeError, csv.Error) as error:
        return {}, f"cannot read manifest.csv: {error}"


def _write_manifest(folder: Path, rows: dict[str, dict[str, str]]) -> None:
    with open(folder / MANIFEST, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["file", *FIELDS], extrasaction="ignore")
        writer.writeheader()
        for name, row in rows.items():
            writer.writerow({"file": name, **{k: row.get(k, "") for k in FIELDS}})


def save_batch(
    uploads: list[Upload],
    *,
    root: Path,
    metadata: dict[str, dict[str, str]] | None = None,
    known: dict[str, str] | None = None,
    batch: str | None = None,
) -> tuple[Path | None, list[FileOutcome]]:
    """Save the uploads as one batch folder under root; returns it (None when nothing was kept)
    and every file's outcome. metadata: file name -> title/outlet/published/url from the form
    (it wins over an uploaded manifest.csv); known: content hash -> article_id already stored.
    """
    batch = batch or new_batch_name()
    folder = root / batch
    folder.mkdir(parents=True, exist_ok=True)
    outcomes: list[FileOutcome] = []
    manifest: dict[str, dict[str, str]] = {}
    saved: dict[str, Path] = {}
    renamed: dict[str, str] = {}
    for upload in uploads:
        if Path(upload.name).name.lower() == MANIFEST:
            rows, trouble = _manifest_rows(upload.data)
            if trouble:
                outcomes.append(FileOutcome(upload.name, REJECTED, trouble))
            else:
                manifest.update(rows)
                outcomes.append(FileOutcome(upload.name, ADDED, f"{len(rows)} manifest rows"))
            continue
        name = safe_name(upload.name)
        suffix = Path(name).suffix
        if suffix not in ARTICLE_SUFFIXES:
            outcomes.append(
                FileOutcome(
                    upload.name,
                    REJECTED,
                    f"unsupported file type {suffix or '(none)'!r}; expected one of {', '.join(ARTICLE_SUFFIXES)}",
                )
            )
            continue
        if not upload.data:
            outcomes.append(FileOutcome(upload.name, REJECTED, "empty file"))
            continue
        if len(upload.data) > MAX_ARTICLE_BYTES:
            outcomes.append(
                FileOutcome(upload.name, REJECTED, f"{len(upload.data):,} bytes; the limit is {MAX_ARTICLE_BYTES:,}")
            )
            continue
        stem, index = Path(name).stem, 2
        while name in saved:
            name, index = f"{stem}-{index}{suffix}", index + 1
        (folder / name).write_bytes(upload.data)
        saved[name] = folder / name
        renamed[name] = upload.name
        outcomes.append(FileOutcome(upload.name, ADDED))
    # The form's fields win over the uploaded manifest; rows are keyed by the saved names.
    rows: dict[str, dict[str, str]] = {}
    for name, original in renamed.items():
        row = dict(manifest.get(original) or manifest.get(name) or {})
        for key, value in ((metadata or {}).get(original) or {}).items():
            if key in FIELDS and str(value or "").strip():
                row[key] = str(value).strip()
        if any(row.get(k) for k in FIELDS):
            rows[name] = row
    if rows:
        _write_manifest(folder, rows)
    by_name = {o.file: o for o in outcomes}
    manifest_rows, _ = read_manifest(folder)
    seen: dict[str, str] = dict(known or {})
    for name, path in saved.items():
        outcome = by_name[renamed[name]]
        row = manifest_rows.get(name, {})
        reason = _check(path, root, row, seen)
        if isinstance(reason, str):
            outcome.status, outcome.reason = REJECTED, reason
            path.unlink(missing_ok=True)
            manifest_rows.pop(name, None)
        else:
            outcome.article_ids, outcome.reason = reason
    if not any(folder.glob("*")) or not any(p.suffix in ARTICLE_SUFFIXES for p in folder.iterdir()):
        shutil.rmtree(folder, ignore_errors=True)
        return None, outcomes
    if rows:
        _write_manifest(folder, {n: r for n, r in manifest_rows.items() if n in saved and (folder / n).exists()})
    return folder, outcomes


def _check(path: Path, root: Path, row: dict[str, str], seen: dict[str, str]) -> str | tuple[list[str], str]:
    """Read a saved file as the loader will: a reason to reject it, or (article ids, notes)."""
    try:
        parse_published(row.get("published"))
    except ArticleError as error:
        return str(error)
    articles, problems = read_file(path, root, row)
    if not articles:
        return "; ".join(p.message for p in problems) or "no article found in the file"
    duplicates = [f"{a.article_id} repeats {seen[a.content_hash]}" for a in articles if a.content_hash in seen]
    if len(duplicates) == len(articles):
        return "already added: " + "; ".join(duplicates)
    for article in articles:
        seen.setdefault(article.content_hash, article.article_id)
    notes = [p.message for p in problems] + duplicates
    return [a.article_id for a in articles], "; ".join(notes)


def add_articles(
    uploads: list[Upload],
    *,
    store: EventStore,
    metadata: dict[str, dict[str, str]] | None = None,
    known: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> AddResult:
    """Save a batch of uploads beside the store and extract their events into it.

    Bad files are reported (FileOutcome.status "rejected" with the reason) and never stop the
    others; when no file is usable the store is not touched.
    """
    root = store.path.parent / state.UPLOADS_DIR
    folder, outcomes = save_batch(uploads, root=root, metadata=metadata, known=known)
    result = AddResult(batch=folder.name if folder else "", folder=folder, files=outcomes)
    if folder is None:
        return result
    sources = state.store_sources(store)
    result.report = store.update(sources, workers=state.update_workers(len(result.article_ids)), progress=progress)
    return result


def known_articles(data: state.Corpus) -> dict[str, str]:
    """content hash -> article_id of the articles already in the corpus."""
    if "content_hash" not in data.articles:
        return {}
    return dict(zip(data.articles["content_hash"], data.articles["article_id"], strict=False))


def outcome_frame(result: AddResult, data: state.Corpus) -> pd.DataFrame:
    """One row per uploaded file: status, articles, events extracted, and why when rejected."""
    counts = data.events["article_id"].value_counts()
    problems: dict[str, list[str]] = {}
    for problem in data.problems:
        problems.setdefault(problem.article_id, []).append(f"{problem.stage}: {problem.message}")
    rows = []
    for outcome in result.files:
        notes = [outcome.reason] if outcome.reason else []
        for article_id in outcome.article_ids:
            notes += [n for n in problems.get(article_id, []) if n not in notes]
        rows.append(
            {
                "file": outcome.file,
                "status": outcome.status,
                "articles": len(outcome.article_ids),
                "events": int(sum(counts.get(a, 0) for a in outcome.article_ids)),
                "notes": "; ".join(notes),
            }
        )
    return pd.DataFrame(rows, columns=["file", "status", "articles", "events", "notes"])


# --- the page -----------------------------------------------------------------------------

RESULT = "upload_result"
ROUND = "upload_round"


def _metadata_editor(files: list) -> dict[str, dict[str, str]]:
    """Per-file title/outlet/published/url, blank by default (the manifest or the file's own)."""
    names = [
        f.name
        for f in files
        if Path(f.name).name.lower() != MANIFEST and Path(f.name).suffix.lower() in (".txt", ".md", ".html", ".htm")
    ]
    if not names:
        return {}
    table = pd.DataFrame({"file": names, **{k: [""] * len(names) for k in FIELDS}})
    st.caption(
        "Optional, per file: what a manifest.csv would say. Blank fields come from an "
        "uploaded manifest.csv or the file's own metadata (front matter, HTML meta)."
    )
    edited = st.data_editor(
        table,
        key=f"upload_metadata_{st.session_state.get(ROUND, 0)}",
        hide_index=True,
        width="stretch",
        disabled=["file"],
        column_config={
            "published": st.column_config.TextColumn(
                "published", help="YYYY-MM-DD: relative dates ('on Tuesday') are read against it"
            ),
            "url": st.column_config.TextColumn("url"),
        },
    )
    return {row["file"]: {k: str(row[k] or "") for k in FIELDS} for row in edited.to_dict(orient="records")}


def show(data: state.Corpus) -> None:
    """The upload form, the extraction with a progress bar, and what each file gave."""
    if data.source.startswith("synthetic:"):
        st.info(
            f"The dashboard shows generated events ({state.SYNTHETIC_ENV}); unset it to add "
            "articles to the event store."
        )
        return
    st.caption(
        f"Files are kept in {html_safe(state.uploads_path())} and their events added to "
        f"the event store; the map, timeline and tables show them at once."
    )
    round_ = st.session_state.setdefault(ROUND, 0)
    files = st.file_uploader(
        "Article files (.txt, .md, .html, .json, .jsonl) and optionally a manifest.csv",
        type=UPLOAD_TYPES,
        accept_multiple_files=True,
        key=f"upload_files_{round_}",
    )
    metadata = _metadata_editor(files or [])
    if st.button("Extract events", key="upload_extract", type="primary", disabled=not files):
        bar = st.progress(0.0, text="Saving the files…")

        def progress(done: int, total: int) -> None:
            bar.progress(done / max(total, 1), text=f"Extracting events: {done} of {total} articles")

        result = add_articles(
            [Upload(f.name, f.getvalue()) for f in files],
            store=EventStore(state.store_path()),
            metadata=metadata,
            known=known_articles(data),
            progress=progress,
        )
        bar.empty()
        st.session_state[RESULT] = result
        st.session_state[ROUND] = round_ + 1  # a fresh uploader: the same files are not re-added
        st.rerun()
    result: AddResult | None = st.session_state.get(RESULT)
    if result is not None:
        report(result, state.corpus())


def report(result: AddResult, data: state.Corpus) -> None:
    """The last batch: per-file outcomes and a link to the new events."""
    table = outcome_frame(result, data)
    added = table[table["status"] == ADDED]
    rejected = table[table["status"] == REJECTED]
    events = int(added["events"].sum())
    if result.report is not None:
        st.success(
            f"{int(added['articles'].sum())} articles added, {events} events extracted "
            f"(batch {result.batch}); the store now holds {result.report.events:,} events "
            f"in {result.report.incidents:,} incidents."
        )
    if len(rejected):
        st.error(
            f"{len(rejected)} of {len(table)} files were not added; the reasons are below. The other files were kept."
        )
    st.dataframe(
        table,
        key="upload_outcomes",
        hide_index=True,
        width="stretch",
        column_config={
            "file": "File",
            "status": "Status",
            "articles": "Articles",
            "events": "Events",
            "notes": st.column_config.TextColumn("Notes", width="large"),
        },
    )
    new = data.events[data.events["article_id"].isin(result.article_ids)]
    if len(new):
        first = new.sort_values("confidence", ascending=False).iloc[0]["event_id"]
        left, right = st.columns(2)
        with left:
            _link("pages/1_Map.py", "Map", "See the new events on the map", {"event": [first]})
        with right:
            _link("pages/4_Events.py", "Events", "List every event", {})


def _link(page: str, url_path: str, label: str, params: dict[str, list[str]]) -> None:
    from components.details import page_link

    page_link(page, url_path, label, params)


def html_safe(path: Path) -> str:
    """A path for a caption (markdown): backticks keep it literal."""
    return f"`{str(path).replace('`', '')}`"
