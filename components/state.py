"""All caching and session state in one place: the loaded corpus, the filters, the selection, the URL.

* The corpus (events, articles, problems, facet values, actor aliases) is read from the event
  store (data.store.EventStore at $SITREP_STORE/events), which is built from the articles
  ($SITREP_ARTICLES, else seeds/) the first time. It is cached with `st.cache_resource`, keyed
  on the store's path and its current snapshot (the CURRENT file), so an update (the Add
  articles page, `python -m data extract --store`) is read on the next rerun. It is a shared
  read-only object: pages never mutate it (filter_events returns new frames). st.cache_data
  would unpickle a copy on every rerun (~80 ms for 10,000 events).
* The filters live in widget keys (`f_*`); the selected event in `selected_event`. Both are
  mirrored into the URL (st.query_params) after every run, and read back from it when the URL
  changes from outside (a pasted address, a link with ?event=…). The Map page's map and details
  panel are a fragment that writes the URL itself (components.details.map_and_details).
* Page visits, and whether this visit's map has drawn: what waits for it (see the end).
"""

from __future__ import annotations

import csv
import logging
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from components.format import COLOUR_BY, operation_colours, with_display_columns
from components.incidents import incident_codes, incident_view
from components.timespan import news_span
from data.filters import (
    DEFAULT_MIN_CONFIDENCE,
    VIEWS,
    EventFilter,
    facet_values,
    filter_events,
    filter_from_params,
    filter_to_params,
    normalise_events,
)
from data.frame import EVENT_COLUMNS
from data.operations import load_operations
from data.review import ReviewLog, apply_reviews, review_defaults
from data.schema import Problem
from data.store import EventStore, StoreError, default_store_path

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parent.parent
ARTICLES_ENV = "SITREP_ARTICLES"
STORE_ENV = "SITREP_STORE"
# Development and benchmarks: SITREP_SYNTHETIC=10000 (or 10000:seed) shows generated events.
SYNTHETIC_ENV = "SITREP_SYNTHETIC"
ACTORS_CSV = REPO / "data" / "reference" / "actors.csv"
UPLOADS_DIR = "uploads"
# Below this many files an update runs in this process (a worker loads the gazetteer anew).
PARALLEL_FROM = 40

FILTER_KEYS = (
    "f_dates",
    "f_actors",
    "f_types",
    "f_countries",
    "f_places",
    "f_operations",
    "f_min_conf",
    "f_show_all",
    "f_q",
    "f_view",
    "f_review",
)
# What the map and timeline colour events by (components.format.COLOUR_BY; ?colour=operation).
COLOUR_KEY = "map_colour"
# The review statuses the sidebar filters by (rejected events leave every view).
REVIEW_FILTER = ("unreviewed", "accepted", "corrected")
SELECTED = "selected_event"
_URL_WRITTEN = "_url_written"
URL_UNMATCHED = "_url_unmatched"  # what the address asked for that matched nothing, in words
_CORPUS_SEEN = "_corpus_seen"
# Page visits and the map's "drawn" signal (see begin_page and map_drawn).
_PAGE = "_page_title"
PAGE_VISIT = "_page_visit"
MAP_DRAWN = "_map_drawn_visit"
DEFERRED = "_deferred_fragments"
# Whether this run's widgets (the sidebar filters, the play control) wait for the map.
_WIDGETS_WAIT = "_widgets_wait_for_map"


@dataclass
class Corpus:
    """What the pages read: the normalised event frame and everything derived from it once."""

    source: str
    events: pd.DataFrame
    articles: pd.DataFrame
    problems: list[Problem]
    facets: dict[str, list[str]]
    aliases: dict[str, list[str]] = field(default_factory=dict)
    first_day: date | None = None
    last_day: date | None = None
    news_first: date | None = None  # where the news starts (components.timespan.news_span)
    note: str = ""
    signature: str = ""
    # the events analysts rejected (or folded into another report): out of every view, listed on
    # the Review page; empty until a review exists
    rejected: pd.DataFrame | None = None
    review_version: int = 0  # the review log's last change this corpus was read with
    _codes: np.ndarray | None = field(default=None, repr=False)
    _rows: tuple[object, dict[str, int]] | None = field(default=None, repr=False)
    _operation_colours: dict[str, str] | None = field(default=None, repr=False)

    def operation_colours(self) -> dict[str, str]:
        """Each operation's colour, from the operations of the whole corpus (the same on every
        page and under every filter: components.format.operation_colours)."""
        if self._operation_colours is None:
            ids = self.events["operation_id"].unique() if "operation_id" in self.events else []
            self._operation_colours = operation_colours(ids)
        return self._operation_colours

    def event(self, event_id: str | None) -> pd.Series | None:
        """One event by id, or None (a dictionary lookup: pages call this on every rerun)."""
        if not event_id or self.events.empty:
            return None
        if self._rows is None or self._rows[0] is not self.events:
            rows: dict[str, int] = {}
            for position, key in enumerate(self.events["event_id"].tolist()):
                rows.setdefault(key, position)  # the first row of an id, as before
            self._rows = (self.events, rows)
        position = self._rows[1].get(event_id)
        return None if position is None else self.events.iloc[position]

    def default_dates(self) -> tuple[date, date] | None:
        """The date range a view starts with: the news span (earlier mentions are shown too,
        in the timeline's "earlier" band, until a range is set)."""
        if not (self.first_day and self.last_day):
            return None
        return (self.news_first or self.first_day, self.last_day)

    def earlier(self) -> pd.DataFrame:
        """The events that end before the news span (background mentions)."""
        if not self.news_first or self.news_first <= (self.first_day or self.news_first):
            return self.events.iloc[:0]
        return self.events[self.events["date_end"] < pd.Timestamp(self.news_first)]

    def codes(self) -> np.ndarray:
        """Each event's incident as a small integer (computed once, kept on the corpus)."""
        if self._codes is None or len(self._codes) != len(self.events):
            self._codes = incident_codes(self.events)
        return self._codes

    def article(self, article_id: str) -> pd.Series | None:
        hits = self.articles[self.articles["article_id"] == article_id]
        return None if hits.empty else hits.iloc[0]


def corpus_path() -> Path:
    """The articles folder: $SITREP_ARTICLES, else the repo's seeds/."""
    return Path(os.environ.get(ARTICLES_ENV) or REPO / "seeds").expanduser().resolve()


def store_path() -> Path:
    """The event store: $SITREP_STORE/events, else data/store/events."""
    return default_store_path().expanduser().resolve()


def uploads_path() -> Path:
    """Where the Add articles page keeps uploaded files: beside the store, under uploads/."""
    return store_path().parent / UPLOADS_DIR


def store_signature(path: Path) -> str:
    """The store's current snapshot (the one line of CURRENT): a new update is a new key."""
    try:
        return (path / "CURRENT").read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def store_sources(store: EventStore) -> list[Path]:
    """The paths the store mirrors: those of its last update (or the corpus), plus uploads.

    An explicit $SITREP_ARTICLES replaces the corpus the store was built from; uploads stay.
    """
    uploads = uploads_path()
    explicit = os.environ.get(ARTICLES_ENV, "").strip()
    paths = [Path(p) for p in store.meta().get("paths", [])] if not explicit else []
    paths = [p for p in paths if p != uploads] or [corpus_path()]
    if uploads.is_dir() and any(uploads.iterdir()):
        paths.append(uploads)
    return paths


def needs_build(store: EventStore) -> bool:
    """No store yet, or $SITREP_ARTICLES names a corpus the store was not built from."""
    if not store.exists():
        return True
    explicit = os.environ.get(ARTICLES_ENV, "").strip()
    if not explicit:
        return False
    built_from = {str(Path(p)) for p in store.meta().get("paths", [])}
    return str(corpus_path()) not in built_from


# How long the place index takes to build on a fresh machine (measured 10-20 s): the first
# page's bar moves over it while it waits (data.gazetteer gives no progress of its own).
PLACE_INDEX_BUILD_S = 20.0
# Time for the server to send the progress bar before this process loads the index.
BAR_SEND_S = 0.15


def _build_store(store: EventStore, slot) -> list[Problem]:
    """Build (or re-point) the store from the corpus, with a moving progress bar and its steps
    in `slot` (an st.empty); problems if it cannot."""
    sources = store_sources(store)
    missing = [p for p in sources if not p.exists()]
    if missing:
        return [Problem("", "load", f"no articles at {missing[0]} (set {ARTICLES_ENV})")]
    with slot.container():
        st.markdown("**Preparing the events for a first view** — once for these articles.")
        bar = st.progress(0.0, text="Step 1 of 2 · the place index…")
        _place_index(bar)

        def progress(done: int, total: int) -> None:
            bar.progress(
                0.25 + 0.75 * done / max(total, 1),
                text=f"Step 2 of 2 · reading {total:,} articles: {done:,} done, their events extracted",
            )

        folder = sources[0].name or sources[0]
        bar.progress(0.25, text=f"Step 2 of 2 · reading the articles in {folder}…")
        try:
            store.update(sources, workers=update_workers(len(sources)), progress=progress)
        finally:
            slot.empty()
    return []


def _place_index(bar) -> None:
    """Load the place index (data.gazetteer), building it first on a fresh machine, while the
    bar moves over its first quarter with the time it usually takes. The build runs in a process
    of its own: it holds the interpreter lock for seconds at a time (reading GeoNames' JSON),
    which would freeze the bar of a thread of this one; this process then loads the file."""
    import multiprocessing
    import time

    from data.gazetteer import built_index, get_gazetteer, load_gazetteer

    loaded = get_gazetteer.cache_info().currsize > 0  # (this process has it already)
    if not loaded and built_index() is None:
        builder = multiprocessing.get_context("spawn").Process(
            target=load_gazetteer, name="sitrep-place-index", daemon=True
        )
        started = time.monotonic()
        builder.start()
        while builder.is_alive():
            elapsed = time.monotonic() - started
            bar.progress(
                0.25 * min(elapsed / PLACE_INDEX_BUILD_S, 0.95),
                text=f"Step 1 of 2 · building the place index from GeoNames (once per "
                f"machine, about {PLACE_INDEX_BUILD_S:.0f} s): {elapsed:.0f} s",
            )
            builder.join(0.25)
    bar.progress(0.25, text="Step 1 of 2 · loading the place index…")
    if not loaded:
        # Unpickling the index holds the interpreter for a second (more on a busy machine), and
        # with it the server's thread that sends the bar: let it send first, or the first step
        # is never seen.
        time.sleep(BAR_SEND_S)
    get_gazetteer()


def update_workers(n_files: int) -> int:
    """Processes for an update: one for a few files (each process loads the gazetteer anew)."""
    return 1 if n_files < PARALLEL_FROM else max(1, min(os.cpu_count() or 1, 4))


def read_aliases(path: Path = ACTORS_CSV) -> dict[str, list[str]]:
    """actor -> aliases from reference/actors.csv (actor,actor_type,aliases with '|'); {} if absent."""
    out: dict[str, list[str]] = {}
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                actor = (row.get("actor") or "").strip()
                if actor:
                    aliases = [a.strip() for a in (row.get("aliases") or "").split("|")]
                    out[actor] = [a for a in aliases if a and a != actor]
    except (OSError, csv.Error, UnicodeDecodeError) as exc:
        log.info("no actor aliases read from %s: %s", path, exc)
    return out


def _empty_articles() -> pd.DataFrame:
    return pd.DataFrame(columns=["article_id", "title", "outlet", "url", "published", "text"])


def _read(path: Path, synthetic: str) -> tuple[pd.DataFrame, pd.DataFrame, list[Problem], str]:
    """Load the store (or generate events); per-corpus trouble becomes a Problem, not a crash."""
    if synthetic:
        from data.synthetic import generate

        count, _, seed = synthetic.partition(":")
        result = generate(int(count), seed=int(seed or 0))
        return result.events, result.articles, [], f"{int(count):,} synthetic events ({SYNTHETIC_ENV})"
    try:
        result = EventStore(path).load()
    except StoreError as error:
        return pd.DataFrame(), _empty_articles(), [Problem("", "load", str(error))], ""
    return result.events, result.articles, list(result.problems), ""


@st.cache_resource(show_spinner="Reading the event store…", max_entries=4)
def load_corpus(path: str, signature: object, synthetic: str = "") -> Corpus:
    """The corpus at path (the store folder), read and prepared once per (path, snapshot)."""
    events, articles, problems, note = _read(Path(path), synthetic)
    return _prepared(
        events,
        articles,
        problems,
        source=path if not synthetic else f"synthetic:{synthetic}",
        signature=str(signature),
        note=note,
    )


def _prepared(
    events: pd.DataFrame, articles: pd.DataFrame, problems: list[Problem], *, source: str, signature: str, note: str
) -> Corpus:
    """A Corpus of a loaded (or reviewed) frame: normalised, with its display columns, facets and span."""
    events = normalise_events(events) if len(events.columns) else events
    if events.empty:
        events = normalise_events(pd.DataFrame(columns=list(events.columns) or list(EVENT_COLUMNS)))
    events = with_display_columns(events)
    if "incident_id" not in events:
        events["incident_id"] = ""
    if "review_status" not in events:  # generated events, an empty corpus: none reviewed
        events = review_defaults(events.copy())
    if not len(articles.columns):
        articles = _empty_articles()
    starts = (
        pd.to_datetime(events.get("date_start"), errors="coerce").dropna()
        if "date_start" in events
        else pd.Series(dtype="datetime64[ns]")
    )
    ends = (
        pd.to_datetime(events.get("date_end"), errors="coerce").dropna()
        if "date_end" in events
        else pd.Series(dtype="datetime64[ns]")
    )
    span = (
        news_span(events.get("date_start"), events.get("date_end"), events.get("published"))
        if not events.empty
        else None
    )
    return Corpus(
        source=source,
        events=events.reset_index(drop=True),
        articles=articles.reset_index(drop=True),
        problems=problems,
        facets=facet_values(events)
        if not events.empty
        else {"actors": [], "event_types": [], "countries": [], "places": []},
        aliases=read_aliases(),
        first_day=starts.min().date() if len(starts) else None,
        last_day=max(ends.max(), starts.max()).date() if len(starts) else None,
        news_first=max(span[0], starts.min().date()) if span else None,
        note=note,
        signature=signature,
    )


@st.cache_resource(max_entries=4)
def review_log(path: str) -> ReviewLog:
    """The review log of the store at path (data/review.py), one object per store: it sets up
    its database once, then each call opens a short connection."""
    return ReviewLog(Path(path))


@st.cache_resource(show_spinner="Applying the analysts' reviews…", max_entries=4)
def reviewed_corpus(path: str, signature: str, version: int, _extracted: Corpus) -> Corpus:
    """The corpus as reviewed: corrections win, rejected events are gone, added ones are in
    (data.review.apply_reviews over the extracted corpus); keyed on the store's snapshot and the
    review log's last change, so a review shows on the next rerun. Its signature carries both,
    so every cache keyed on a corpus signature (incidents, the map's payload) follows a review."""
    reviewed = apply_reviews(
        _extracted.events[_stored_columns(_extracted.events)],
        review_log(path),
        articles=_extracted.articles,
        keep_rejected=True,
    )
    rejected = reviewed["review_status"] == "rejected"
    data = _prepared(
        reviewed[~rejected],
        _extracted.articles,
        _extracted.problems,
        source=_extracted.source,
        signature=f"{signature}+review{version}",
        note=_extracted.note,
    )
    data.rejected = with_display_columns(normalise_events(reviewed[rejected])).reset_index(drop=True)
    data.review_version = version
    return data


def review_is_stale(data: Corpus) -> bool:
    """Whether the review log changed since `data` was read: a fragment's rerun (the Map page's map
    and details) holds the corpus of the page's last run, so after a review it must run the page."""
    if data.source.startswith("synthetic:"):
        return False
    return review_log(str(store_path())).version() != data.review_version


def _stored_columns(events: pd.DataFrame) -> list[str]:
    """The frame's columns without the display columns (with_display_columns adds them again)."""
    return [c for c in events.columns if c in EVENT_COLUMNS]


def corpus() -> Corpus:
    """The current corpus: the event store, built from the articles first when there is none.

    Cached per store snapshot, so an update (the Add articles page, the CLI) is read on the
    next rerun.
    """
    synthetic = os.environ.get(SYNTHETIC_ENV, "").strip()
    if synthetic:
        return load_corpus(f"synthetic:{synthetic}", (), synthetic)
    store = EventStore(store_path())
    problems: list[Problem] = []
    # The progress bar's place is kept in every run, not only in the one that builds the store:
    # the elements after it keep theirs, and a map whose place changed would be loaded again
    # (on a new server, the rerun that follows the map's first drawing, a click lost with it).
    slot = st.empty()
    if needs_build(store):
        problems = _build_store(store, slot)
    if problems and not store.exists():
        return empty_corpus(str(corpus_path()), problems)
    signature = store_signature(store.path)
    extracted = load_corpus(str(store.path), signature)
    # One short query per run; with no review yet (no database) nothing more is done.
    version = review_log(str(store.path)).version()
    if not version:
        return extracted
    return reviewed_corpus(str(store.path), signature, version, extracted)


def empty_corpus(source: str, problems: list[Problem]) -> Corpus:
    """No store and no articles to build one from: nothing to show, and why."""
    empty = with_display_columns(normalise_events(pd.DataFrame(columns=list(EVENT_COLUMNS))))
    return Corpus(
        source=source,
        events=empty,
        articles=_empty_articles(),
        problems=problems,
        facets={"actors": [], "event_types": [], "countries": [], "places": []},
        aliases=read_aliases(),
    )


# --- filters, selection and the URL ------------------------------------------------------


def keep_widget_state() -> None:
    """Keep the filters when moving between pages (Streamlit drops state of unrendered widgets)."""
    for key in (*FILTER_KEYS, SELECTED, COLOUR_KEY):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def canonical_actor(name: str, data: Corpus) -> str | None:
    """The corpus's actor for a name or one of its aliases (case-insensitive), else None."""
    wanted = name.strip().casefold()
    for actor in data.facets["actors"]:
        if actor.casefold() == wanted:
            return actor
    for actor, aliases in data.aliases.items():
        if wanted in (a.casefold() for a in aliases) and actor in data.facets["actors"]:
            return actor
    return None


def _url_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def _apply_params(params: dict[str, list[str]], data: Corpus) -> list[str]:
    """Set the filter widgets and the selection from URL parameters; returns what matched
    nothing, in words ("no actor named 'Nobody'"), for the page to report."""
    wanted = filter_from_params(params)
    unmatched: list[str] = []
    actors = []
    for name in wanted.actors:
        actor = canonical_actor(name, data)
        if actor is None:
            unmatched.append(f"no actor named {name!r}")
        elif actor not in actors:
            actors.append(actor)

    def known(values: tuple[str, ...], options: list[str], label: str) -> list[str]:
        for value in values:
            if value not in options:
                unmatched.append(f"no {label} {value!r}")
        return [v for v in values if v in options]

    st.session_state["f_actors"] = actors
    st.session_state["f_types"] = known(wanted.event_types, data.facets["event_types"], "event type")
    st.session_state["f_countries"] = known(wanted.countries, data.facets["countries"], "country")
    st.session_state["f_places"] = known(wanted.places, data.facets["places"], "place")
    st.session_state["f_operations"] = known(wanted.operations, known_operation_ids(), "operation")
    st.session_state["f_review"] = known(wanted.review_statuses, list(REVIEW_FILTER), "review status")
    # min_conf=0 is the "show all" switch; the slider keeps the default to come back to.
    st.session_state["f_show_all"] = not wanted.min_confidence
    st.session_state["f_min_conf"] = float(wanted.min_confidence or DEFAULT_MIN_CONFIDENCE)
    st.session_state["f_q"] = wanted.text
    for name in ("from", "to"):
        value = (params.get(name) or [""])[0]
        if value and (wanted.date_from if name == "from" else wanted.date_to) is None:
            unmatched.append(f"{name}={value!r} is not a date (YYYY-MM-DD)")
    default = data.default_dates()
    if default:
        unmatched += _date_range_words(wanted.date_from, wanted.date_to, data)
        first = max(wanted.date_from or default[0], data.first_day)
        last = min(wanted.date_to or default[1], data.last_day)
        st.session_state["f_dates"] = (first, last) if first <= last else default
    colour = (params.get("colour") or [COLOUR_BY[0]])[0]
    st.session_state[COLOUR_KEY] = colour if colour in COLOUR_BY else COLOUR_BY[0]
    if colour not in COLOUR_BY:
        unmatched.append(f"no colouring {colour!r} ({' or '.join(COLOUR_BY)})")
    view = (params.get("view") or ["reports"])[0]
    st.session_state["f_view"] = view if view in VIEWS else "reports"
    if view not in VIEWS:
        unmatched.append(f"no view {view!r} (reports or incidents)")
    event = (params.get("event") or [""])[0]
    if event and data.event(event) is None:
        unmatched.append(f"no event {event!r}")
        event = ""
    st.session_state[SELECTED] = event or None
    return unmatched


def _date_range_words(date_from: date | None, date_to: date | None, data: Corpus) -> list[str]:
    """What a URL's dates outside the events' days do, in words (nothing when they fit)."""
    out = []
    span = f"the events run from {data.first_day.isoformat()} to {data.last_day.isoformat()}"
    if date_from and date_from > data.last_day:
        out.append(f"no events from {date_from.isoformat()} on ({span}); that date is not applied")
    if date_to and date_to < data.first_day:
        out.append(f"no events up to {date_to.isoformat()} ({span}); that date is not applied")
    if date_from and date_to and date_from > date_to:
        out.append(f"from {date_from.isoformat()} is after to {date_to.isoformat()}; the dates are not applied")
    return out


def known_operation_ids() -> list[str]:
    """Every operation id of the reference, in its order (the operation filter's options)."""
    return [op.id for op in load_operations()]


def init_state(data: Corpus) -> None:
    """Defaults for every filter widget, then the URL when it changed from outside the app."""
    keep_widget_state()
    defaults = {
        "f_actors": [],
        "f_types": [],
        "f_countries": [],
        "f_places": [],
        "f_operations": [],
        "f_review": [],
        "f_min_conf": DEFAULT_MIN_CONFIDENCE,
        "f_show_all": False,
        "f_q": "",
        "f_view": "reports",
        SELECTED: None,
    }
    if data.default_dates():
        defaults["f_dates"] = data.default_dates()
    for key, value in defaults.items():
        st.session_state.setdefault(key, value)
    _follow_corpus(data)
    params = _url_params()
    # An empty URL after switching pages is not a request to clear the filters.
    if params and params != st.session_state.get(_URL_WRITTEN):
        unmatched = _apply_params(params, data)
        if unmatched:
            st.session_state[URL_UNMATCHED] = unmatched
        st.session_state[_URL_WRITTEN] = params


def _follow_corpus(data: Corpus) -> None:
    """After an update the corpus may span more days or offer other facet values: a date range
    that covered the whole old span covers the new one, and vanished values are dropped (a
    widget whose value is not among its options raises)."""
    seen = st.session_state.get(_CORPUS_SEEN)
    now = (data.source, data.signature, data.default_dates())
    if seen == now:
        return
    st.session_state[_CORPUS_SEEN] = now
    if seen is None:
        return
    dates = st.session_state.get("f_dates")
    if data.default_dates():
        if not dates or len(dates) != 2 or tuple(dates) == seen[2]:
            st.session_state["f_dates"] = data.default_dates()
        else:
            first = min(max(dates[0], data.first_day), data.last_day)
            last = max(min(dates[1], data.last_day), first)
            st.session_state["f_dates"] = (first, last)
    for key, facet in (
        ("f_actors", "actors"),
        ("f_types", "event_types"),
        ("f_countries", "countries"),
        ("f_places", "places"),
    ):
        values = st.session_state.get(key) or []
        st.session_state[key] = [v for v in values if v in data.facets[facet]]


def current_filter(data: Corpus) -> EventFilter:
    """The EventFilter the widgets describe. The default range (the news span) is no filter:
    earlier mentions stay in the view, in the timeline's "earlier" band; a bound at the
    events' own first or last day is none either."""
    dates = st.session_state.get("f_dates") or ()
    date_from = date_to = None
    if isinstance(dates, (tuple, list)) and len(dates) == 2 and data.first_day and tuple(dates) != data.default_dates():
        date_from = dates[0] if dates[0] > data.first_day else None
        date_to = dates[1] if dates[1] < data.last_day else None
    return EventFilter(
        date_from=date_from,
        date_to=date_to,
        actors=tuple(st.session_state.get("f_actors") or ()),
        event_types=tuple(st.session_state.get("f_types") or ()),
        countries=tuple(st.session_state.get("f_countries") or ()),
        places=tuple(st.session_state.get("f_places") or ()),
        operations=tuple(st.session_state.get("f_operations") or ()),
        min_confidence=min_confidence(),
        text=str(st.session_state.get("f_q") or ""),
        review_statuses=tuple(st.session_state.get("f_review") or ()),
    )


def colour_by() -> str:
    """What the map and the timeline colour events by: "type" (the default) or "operation"."""
    value = st.session_state.get(COLOUR_KEY) or COLOUR_BY[0]
    return value if value in COLOUR_BY else COLOUR_BY[0]


def date_range(data: Corpus) -> tuple[date, date] | None:
    """The range the date widget shows (the default: the news span); None with no dates."""
    dates = st.session_state.get("f_dates") or ()
    if isinstance(dates, (tuple, list)) and len(dates) == 2:
        return dates[0], dates[1]
    return data.default_dates()


def dates_are_default(data: Corpus) -> bool:
    """Whether the date widget shows the default range (earlier mentions are then in view)."""
    return date_range(data) == data.default_dates()


def min_confidence() -> float:
    """The minimum confidence in force: 0 while "show all" is on, else the slider's value."""
    return 0.0 if st.session_state.get("f_show_all") else slider_confidence()


def show_all(on: bool = True) -> None:
    """Turn the "show all events, including low-confidence ones" switch on (or off)."""
    st.session_state["f_show_all"] = on


def slider_confidence() -> float:
    """The minimum the slider sets (in force whenever "show all" is off)."""
    return float(st.session_state.get("f_min_conf", DEFAULT_MIN_CONFIDENCE))


def below_minimum(data: Corpus, minimum: float | None = None) -> int:
    """How many events (reports) the other filters keep whose confidence is below `minimum`
    (default: the minimum in force, so: how many it hides)."""
    minimum = min_confidence() if minimum is None else minimum
    if not minimum or data.events.empty:
        return 0
    kept = filter_events(data.events, current_filter(data).narrowed(min_confidence=0.0))
    confidence = pd.to_numeric(kept["confidence"], errors="coerce")
    return int((confidence < minimum).sum())


def view_params(data: Corpus) -> dict[str, list[str]]:
    """The URL parameters of the current view (filters, view, selected event)."""
    params = filter_to_params(current_filter(data))
    if st.session_state.get("f_view", "reports") != "reports":
        params["view"] = [st.session_state["f_view"]]
    if colour_by() != COLOUR_BY[0]:
        params["colour"] = [colour_by()]
    if st.session_state.get(SELECTED):
        params["event"] = [st.session_state[SELECTED]]
    return params


def sync_url(data: Corpus) -> None:
    """Write the view into the address bar, so copying it reproduces the view."""
    params = view_params(data)
    if params != _url_params():
        st.query_params.from_dict(params)
    st.session_state[_URL_WRITTEN] = params


def incidents_view() -> bool:
    """Whether the sidebar shows incidents (merged reports) rather than reports."""
    return st.session_state.get("f_view") == "incidents"


def noun(plural: bool = True) -> str:
    """What the pages count: "incidents" or "events"."""
    word = "incident" if incidents_view() else "event"
    return word + "s" if plural else word


def shown_words(data: Corpus, shown: pd.DataFrame) -> str:
    """ "12 events shown of 40 loaded" or "9 incidents shown (14 reports) of 40 reports loaded"."""
    if incidents_view() and "n_reports" in shown:
        return (
            f"{len(shown):,} incidents shown ({int(shown['n_reports'].sum()):,} reports) of "
            f"{len(data.events):,} reports loaded."
        )
    return f"{len(shown):,} events shown of {len(data.events):,} loaded."


def filtered(data: Corpus) -> pd.DataFrame:
    """The events the current filters keep; in the incidents view one row per incident
    (components.incidents.incident_view) with n_reports and n_sources."""
    event_filter = current_filter(data)
    frame = filter_events(data.events, event_filter)
    if incidents_view():
        params = tuple(sorted((k, tuple(v)) for k, v in filter_to_params(event_filter).items()))
        frame = _incidents(data.source, data.signature, params, data, frame)
    return frame


@st.cache_resource(max_entries=8, show_spinner="Grouping reports into incidents…")
def _incidents(source: str, signature: str, params: tuple, _data: Corpus, _reports: pd.DataFrame) -> pd.DataFrame:
    """The incidents view of one filter on one corpus snapshot (keyed on source, snapshot and
    the filter's URL parameters; the frames themselves are not hashed)."""
    return incident_view(_reports, _data.events, _data.codes())


def select(event_id: str | None) -> None:
    """Make event_id the selected event (shared by map, timeline, table and Sources)."""
    st.session_state[SELECTED] = event_id or None


def selected_id() -> str | None:
    return st.session_state.get(SELECTED)


# --- what waits for the map ----------------------------------------------------------------
# The browser draws the map in an iframe (Leaflet, the event payload, clustering) on the same
# main thread as the rest of the page; an Altair chart beside it (Vega: ~0.8 MB of script to
# compile, then the chart) roughly doubles the time until the map shows. So on the first run of
# a visit to a page, such a chart waits in a keyed fragment (components.deferred) until the
# map's script reports that it has drawn its events (mapview: the "sitrep_drawn" value), and
# that report reruns only the waiting fragments.


def begin_page(title: str) -> None:
    """Count visits: arriving on another page (or a new session) starts a new visit."""
    if st.session_state.get(_PAGE) != title:
        st.session_state[_PAGE] = title
        st.session_state[PAGE_VISIT] = int(st.session_state.get(PAGE_VISIT, 0)) + 1
    st.session_state[DEFERRED] = []


def map_drawn_this_visit() -> bool:
    """Whether a map of this page visit has reported that it drew its events."""
    return st.session_state.get(MAP_DRAWN) == st.session_state.get(PAGE_VISIT, 0)


def any_map_drawn() -> bool:
    """Whether a map has reported that it drew, on any page of this browser session."""
    return MAP_DRAWN in st.session_state


def set_widgets_wait(wait: bool) -> None:
    """Say whether this run's widgets wait for the page's map (components.sidebar.page_setup:
    on a session's first page, a page with a map)."""
    st.session_state[_WIDGETS_WAIT] = wait


def widgets_wait_for_map() -> bool:
    """Whether this run's widgets wait for the page's map (set_widgets_wait)."""
    return bool(st.session_state.get(_WIDGETS_WAIT))


def defer(fragment_key: str) -> None:
    """Note a keyed fragment that waits for the map (rerun when the map reports)."""
    keys = list(st.session_state.get(DEFERRED) or [])
    if fragment_key not in keys:
        keys.append(fragment_key)
    st.session_state[DEFERRED] = keys


def map_drawn(sink: str) -> None:
    """The map component's callback for its "drawn" report: mark this visit's map as drawn and
    rerun what waited for it; with nothing waiting, rerun only `sink` (an empty keyed fragment
    beside the map), so that the report costs no rerun of the page. Never the page: a rerun of
    the page would redraw the map's fragment, and a marker click made meanwhile could be lost.
    Raises st.rerun's exception, as a callback may."""
    waiting = [] if map_drawn_this_visit() else list(st.session_state.get(DEFERRED) or [])
    mark_map_drawn()
    st.rerun(waiting or sink)


def mark_map_drawn() -> None:
    """From now on in this visit, nothing waits for the map."""
    st.session_state[MAP_DRAWN] = st.session_state.get(PAGE_VISIT, 0)
