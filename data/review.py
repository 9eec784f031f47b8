"""The analyst's review: accept, correct, reject, merge or add events, kept in SQLite, applied to the frame.

Why SQLite (standard library) and not the Parquet snapshots: reviews are small writes, one
event at a time, from several browser sessions at once, and must never be lost: SQLite's
transactions give that (WAL mode, synchronous=FULL, a busy timeout). The database is
`<store>/review.sqlite`, where `<store>` is the event store's folder (`EventStore.path`,
`$SITREP_STORE/events` by default) beside — never inside — its snapshots, so a rebuild of the
snapshots leaves it alone. It is the user's own file, not the repository's: it keeps the text
of the excerpt each change was made on, so the change can be re-attached after a re-extraction.

An append-only log (table `changes`; triggers refuse UPDATE and DELETE): one row per change,
one row per corrected column. The current state is derived from the log, never updated in place.

API (keyword arguments after the first one or two; all stable):

    log = ReviewLog(store_path, *, reviewer=None)        # reviewer: arg, $SITREP_REVIEWER, OS user
    log.path                                             # <store_path>/review.sqlite
    log.accept(event, *, seen=None, note="", reviewer=None) -> WriteResult
    log.correct(event, fields, *, seen=None, note="", reviewer=None) -> WriteResult
    log.reject(event, *, reason, duplicate_of="", seen=None, note="", reviewer=None) -> WriteResult
    log.merge(event, into, *, seen=None, note="", reviewer=None) -> WriteResult
    log.add(article_id, start, end, excerpt, fields, *, note="", reviewer=None) -> WriteResult
        (WriteResult.event_id: the new event's id)
    log.history(event_id) -> list[Change]                # oldest first
    log.last_change(event_id) -> int                     # 0 when never reviewed: pass it as `seen`
    log.changes() -> list[Change]; log.version() -> int  # the last change id (a cache key)
    log.changes_since(when, *, exclude_reviewer=None) -> list[Change]

    apply_reviews(events, log_or_changes, *, articles=None, keep_rejected=False) -> DataFrame
    reattach(events, changes, *, articles=None) -> Attachment   # .event_of, .unattached, .merge_target
    event_history(event_id, events, log_or_changes, *, articles=None) -> list[Change]  # with re-attached ones
    not_reattached(events, log_or_changes, *, articles=None) -> list[Unattached]
    review_queue(reviewed, *, views=None) -> DataFrame   # unreviewed events, most in need first
    review_progress(reviewed) -> ReviewProgress          # .reviewed, .total, .text
    field_accuracy(reviewed) -> DataFrame                # field, right, reviewed, share
    source_disagreements(events) -> Series               # per event: fields its incident's sources differ on
    normalise_fields(fields, event) -> dict              # validated column -> value; raises ReviewError
    review_defaults(frame) -> DataFrame                  # the review columns at their unreviewed values
    place_candidates(name, *, country="", limit=10) -> list[dict]   # a place picker's choices
    known_actors() -> list[str]                          # an actor picker's choices
    json_value(value) -> Any; frame_value(column, value) -> Any   # a frame value as logged, and back
    default_reviewer() -> str                            # $SITREP_REVIEWER, else the OS user
    ACLED_TYPES, CORRECTABLE, FIELD_GROUPS, REJECT_REASONS, REVIEW_STATUSES   # for pickers and labels

The reviewed frame has the contract's review columns (data/frame.py): review_status
(unreviewed/accepted/corrected/rejected), reviewed_by, reviewed_at (UTC, ISO), review_reason (a
rejection's reason, "merged into <id>"), extracted ({column: extracted value} of each column
whose value a correction changed: a correction back to the extracted value leaves the event
"accepted") and origin (extracted, or analyst for an added event). Writes raise ReviewError for a
bad field or value, and `correct` when nothing would change. Pages should cache the reviewed
frame on `log.version()`.

`event` is a row of the event frame (a pandas Series or a mapping with event_id, article_id,
excerpt_start, excerpt_end, excerpt and the fields) as the writer saw it: the change keeps its
excerpt as evidence and the row's values as the old values.

Optimistic concurrency: each write takes `seen`, the last change id of the event the writer had
seen (`last_change`, 0 for none; None: do not check, as the CLI does). When the event changed
since, the write still lands (both are in the history) and `WriteResult.conflict` says so, with
the changes the writer had not seen.

Correctable fields (`CORRECTABLE`): `date` ("2017-06-05" or "2017-06-01/2017-06-30"),
`date_start`, `date_end`, `date_precision`; `place` (a gazetteer name: its point, country,
division and precision come with it), `lat` and `lon` (together: a point), `geo_precision`;
`actors` (a list or "A;B"; aliases become canonical names from data/reference/actors.csv, unknown
names are kept as new actors), `actor1`, `actor2`; `event_type`, `sub_event_type` (valid ACLED
pairs only); `fatalities` (alone it also sets low and high: an exact count), `fatalities_low`,
`fatalities_high` ("" or "none": not reported).

Merging (`merge(event, into)`): two reports of one event. Within one article the event is folded
into the other (it leaves the frame like a rejected one, its sentences join the other's
mentions); across articles both stay, as reports of one incident (the same incident_id).

Re-attachment: a change attaches to the event of the same id; else to the event of the same
article whose excerpt (or one of its mentions) overlaps its evidence most (when the article's
text changed, the evidence is first looked for in the new text); what cannot be re-attached is
returned with its reason by `reattach`/`not_reattached`, never dropped from the log.
"""

from __future__ import annotations

import dataclasses
import getpass
import hashlib
import json
import math
import os
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from data.frame import EVENT_COLUMNS, is_missing, json_value  # noqa: F401 (json_value re-exported)
from data.schema import DATE_PRECISIONS, GEO_PRECISIONS, ORIGINS, REVIEW_STATUSES  # noqa: F401 (re-exported)

REVIEW_DB = "review.sqlite"
REVIEWER_ENV = "SITREP_REVIEWER"
SCHEMA_VERSION = 1
# Seconds a writer waits for another session's transaction before giving up (they take ms).
BUSY_TIMEOUT_S = 10.0
ACTIONS = ("accept", "correct", "reject", "merge", "add")
# Reasons the details panel offers (any text is allowed).
REJECT_REASONS = ("not an event", "duplicate", "wrong article")

# ACLED's event types and sub-event types (codebook 2023), plus "Overtakes territory", the
# name the extractor gives the non-state actor's takeover (ACLED's older name).
ACLED_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
        "Overtakes territory",
    ),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}

# The columns a correction sets, and the fields the extraction is scored on (field_accuracy).
PLACE_COLUMNS = ("place", "place_id", "lat", "lon", "country", "admin1", "geo_precision")
FIELD_GROUPS: dict[str, tuple[str, ...]] = {
    "date": ("date_start", "date_end", "date_precision"),
    "place": PLACE_COLUMNS,
    "actors": ("actors", "actor1", "actor2"),
    "type": ("event_type", "sub_event_type"),
    "deaths": ("fatalities", "fatalities_low", "fatalities_high"),
}
CORRECTED_COLUMNS = tuple(column for group in FIELD_GROUPS.values() for column in group)
CORRECTABLE = (
    "date",
    "date_start",
    "date_end",
    "date_precision",
    "place",
    "lat",
    "lon",
    "geo_precision",
    "actors",
    "actor1",
    "actor2",
    "event_type",
    "sub_event_type",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
)
FATALITY_COLUMNS = ("fatalities", "fatalities_low", "fatalities_high")
DATE_COLUMNS = ("date_start", "date_end")
# Confidence closer than this is a tie in the review queue: calibration is not finer than that,
# so the next criteria (views, disagreeing sources) decide among such events.
QUEUE_CONFIDENCE_STEP = 0.05

_SCHEMA = """
CREATE TABLE IF NOT EXISTS changes (
    change_id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL,
    article_id TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('accept', 'correct', 'reject', 'merge', 'add')),
    field TEXT NOT NULL DEFAULT '',
    old_value TEXT NOT NULL DEFAULT 'null',
    new_value TEXT NOT NULL DEFAULT 'null',
    reviewer TEXT NOT NULL,
    at TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    evidence_article_id TEXT NOT NULL,
    evidence_start INTEGER NOT NULL,
    evidence_end INTEGER NOT NULL,
    evidence_hash TEXT NOT NULL,
    evidence_text TEXT NOT NULL,
    seen INTEGER,
    conflict_with INTEGER
);
CREATE INDEX IF NOT EXISTS changes_event ON changes (event_id, change_id);
CREATE INDEX IF NOT EXISTS changes_at ON changes (at);
CREATE TRIGGER IF NOT EXISTS changes_append_only_update BEFORE UPDATE ON changes
BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS changes_append_only_delete BEFORE DELETE ON changes
BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END;
"""
_CHANGE_FIELDS = (
    "change_id",
    "event_id",
    "article_id",
    "action",
    "field",
    "old_value",
    "new_value",
    "reviewer",
    "at",
    "note",
    "reason",
    "evidence_article_id",
    "evidence_start",
    "evidence_end",
    "evidence_hash",
    "evidence_text",
    "seen",
    "conflict_with",
)

_PLACEHOLDERS = ", ".join("?" * len(_CHANGE_FIELDS[1:]))  # every column but the change id


class ReviewError(ValueError):
    """A review that cannot be made: a bad field or value, an unknown event; the message says which."""


@dataclass(frozen=True)
class Change:
    """One row of the review log. old_value/new_value are decoded JSON."""

    change_id: int
    event_id: str
    article_id: str
    action: str
    field: str
    old_value: Any
    new_value: Any
    reviewer: str
    at: str
    note: str
    reason: str
    evidence_article_id: str
    evidence_start: int
    evidence_end: int
    evidence_hash: str
    evidence_text: str
    seen: int | None
    conflict_with: int | None

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> Change:
        values = dict(zip(_CHANGE_FIELDS, row, strict=True))
        values["old_value"] = json.loads(values["old_value"])
        values["new_value"] = json.loads(values["new_value"])
        return cls(**values)


@dataclass(frozen=True)
class WriteResult:
    """What a write did: its (last) change id, the event it is about, and whether the event had
    changed since the writer's `seen` (then `missed` lists the changes the writer had not seen)."""

    change_id: int
    event_id: str
    conflict: bool = False
    missed: tuple[Change, ...] = ()


@dataclass(frozen=True)
class Unattached:
    """A change that no event of the current frame takes, and why."""

    change: Change
    reason: str


@dataclass
class Attachment:
    """Where each change of the log goes in a frame: change id -> event id; the rest, with reasons."""

    event_of: dict[int, str] = field(default_factory=dict)
    unattached: list[Unattached] = field(default_factory=list)
    # A merge's change id -> the current id of the event it was merged into.
    merge_target: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ReviewProgress:
    reviewed: int
    total: int

    @property
    def text(self) -> str:
        """ "312 of 803 reviewed"."""
        return f"{self.reviewed:,} of {self.total:,} reviewed"


def default_reviewer() -> str:
    """$SITREP_REVIEWER, else the OS user's name."""
    name = os.environ.get(REVIEWER_ENV, "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name (a container without /etc/passwd entry)
        return "unknown"


def _utc_now() -> str:
    """UTC time as a fixed-width ISO string: ordered as text, so `at` compares in SQL."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _as_utc_text(when: datetime | str) -> str:
    if isinstance(when, str):
        when = datetime.fromisoformat(when.replace("Z", "+00:00"))
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def added_event_id(article_id: str, start: int, end: int, change_id: int) -> str:
    """The id of an event an analyst added (16 hex digits, as extracted ids, never one of theirs)."""
    return hashlib.sha1(f"added|{article_id}|{start}|{end}|{change_id}".encode()).hexdigest()[:16]


# ---------------------------------------------------------------------------------- values


def frame_value(column: str, value: Any) -> Any:
    """A logged value as the frame holds it (dates as date, missing floats as NaN)."""
    if column in DATE_COLUMNS:
        return date.fromisoformat(value) if value else None
    if column in ("lat", "lon"):
        return float("nan") if value is None else float(value)
    if column in FATALITY_COLUMNS:
        return pd.NA if value is None else int(value)
    if column == "actors":
        return list(value or [])
    return "" if value is None else value


def _get(event: Mapping[str, Any] | pd.Series, name: str, default: Any = None) -> Any:
    try:
        value = event[name]
    except (KeyError, IndexError):
        return default
    return value


def _parse_date(value: Any, label: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ReviewError(f"Expected {label} as YYYY-MM-DD, got {value!r}") from None


def _parse_count(value: Any, column: str) -> int | None:
    if is_missing(value) or (isinstance(value, str) and value.strip().lower() in ("", "none", "null", "unknown")):
        return None
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        raise ReviewError(f"Expected {column} as a whole number >= 0 or 'none', got {value!r}") from None
    if isinstance(number, bool) or number < 0:
        raise ReviewError(f"Expected {column} as a whole number >= 0 or 'none', got {value!r}")
    return number


def _parse_float(value: Any, column: str, limit: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ReviewError(f"Expected {column} as a number, got {value!r}") from None
    if math.isnan(number) or abs(number) > limit:
        raise ReviewError(f"Expected {column} within [-{limit:g}, {limit:g}], got {value!r}")
    return number


def _actor_names(value: Any) -> list[str]:
    names = [str(v) for v in value] if isinstance(value, (list, tuple)) else str(value).split(";")
    names = [" ".join(name.split()) for name in names]
    if any(not name for name in names) and len(names) > 1:
        raise ReviewError(f"Expected actor names separated by ';', got an empty name in {value!r}")
    return [canonical_actor(name) for name in names if name]


def canonical_actor(name: str) -> str:
    """The actor reference's canonical name for a name or alias; an unknown name as given (a new actor)."""
    from data.actors import actor_table, canonical_name

    return name if name in actor_table() else canonical_name(name)


def _resolve_place(name: str, country: str = "") -> dict[str, Any]:
    """A gazetteer name's entry, in the event's country first (Tabqa in Syria, not elsewhere)."""
    from data.gazetteer import get_gazetteer

    gazetteer = get_gazetteer()
    place = (gazetteer.resolve(name, country=country) if country else None) or gazetteer.resolve(name)
    if place is None or place.lat is None or place.lon is None:
        raise ReviewError(f"no place named {name!r} in the gazetteer (give lat and lon for a point it lacks)")
    return {
        "place": place.name,
        "place_id": place.place_id,
        "lat": float(place.lat),
        "lon": float(place.lon),
        "country": place.country,
        "admin1": place.admin1,
        "geo_precision": place.geo_precision,
    }


def place_candidates(name: str, *, country: str = "", limit: int = 10) -> list[dict[str, Any]]:
    """Gazetteer entries a place picker offers for a typed name, best first (the event's country
    first): each as the place columns a correction sets (`correct(event, {"place": ...})` takes
    the first; give lat and lon to take another)."""
    from data.gazetteer import get_gazetteer

    places = [p for p in get_gazetteer().lookup(" ".join(name.split())) if p.lat is not None and p.lon is not None]
    places.sort(key=lambda p: p.country != country)  # stable: the prior's order within each group
    unique = list({p.place_id: p for p in places}.values())[:limit]
    return [
        {
            "place": p.name,
            "place_id": p.place_id,
            "lat": float(p.lat),
            "lon": float(p.lon),
            "country": p.country,
            "admin1": p.admin1,
            "geo_precision": p.geo_precision,
        }
        for p in unique
    ]


def known_actors() -> list[str]:
    """The actor reference's canonical names (data/reference/actors.csv), sorted: what an actor
    picker offers (a name not among them is allowed: a new actor)."""
    from data.actors import actor_table

    return sorted(name for name in actor_table() if "{" not in name)


def normalise_fields(fields: Mapping[str, Any], event: Mapping[str, Any] | pd.Series | None = None) -> dict[str, Any]:
    """Validated corrections as column -> value (JSON-ready: ISO dates, None for not reported).

    `event` (the row being corrected) gives the values a partial correction must agree with
    (a sub-event type with its type, a date_end after the date_start). Raises ReviewError with
    the field, the value and what was expected.
    """
    event = event if event is not None else {}
    unknown = [name for name in fields if name not in CORRECTABLE]
    if unknown:
        raise ReviewError(f"Expected fields among {', '.join(CORRECTABLE)}; got {', '.join(map(repr, unknown))}")
    if not fields:
        raise ReviewError("Expected at least one field to correct")
    out: dict[str, Any] = {}

    # Dates: the interval and its precision.
    if "date" in fields:
        text = str(fields["date"]).strip()
        first, _, last = text.partition("/")
        out["date_start"] = _parse_date(first, "date").isoformat()
        out["date_end"] = _parse_date(last or first, "date").isoformat()
    for column in DATE_COLUMNS:
        if column in fields:
            out[column] = _parse_date(fields[column], column).isoformat()
    if "date_precision" in fields:
        precision = str(fields["date_precision"]).strip()
        if precision not in DATE_PRECISIONS or precision == "unknown":
            allowed = [p for p in DATE_PRECISIONS if p != "unknown"]
            raise ReviewError(f"Expected date_precision one of {allowed}, got {fields['date_precision']!r}")
        out["date_precision"] = precision
    if any(column in out for column in DATE_COLUMNS):
        start = out.get("date_start") or json_value(_get(event, "date_start"))
        end = out.get("date_end") or json_value(_get(event, "date_end"))
        if "date_end" not in out and start and end and end < start:
            end = out["date_end"] = start  # a new start past the old end: a day
        if not start or not end:
            raise ReviewError("Expected both date_start and date_end (or date=START/END) for an undated event")
        if end < start:
            raise ReviewError(f"Expected date_end on or after date_start, got {start} to {end}")
        out.setdefault("date_start", start)
        out.setdefault("date_end", end)
        if "date_precision" not in out:
            current = _get(event, "date_precision", "unknown")
            out["date_precision"] = (
                "day" if start == end else (current if current not in ("day", "unknown") else "range")
            )
    elif "date_precision" in out and not json_value(_get(event, "date_start")):
        raise ReviewError("Expected a date (date=YYYY-MM-DD) with date_precision for an undated event")

    # Place: a gazetteer name, or a point.
    if "place" in fields:
        name = " ".join(str(fields["place"]).split())
        if not name:
            raise ReviewError("Expected a place name, got an empty one")
        if "lat" in fields or "lon" in fields:
            out.update(place=name, place_id="", country=json_value(_get(event, "country", "")) or "", admin1="")
        else:
            out.update(_resolve_place(name, str(_get(event, "country", "") or "")))
    if ("lat" in fields) != ("lon" in fields):
        raise ReviewError("Expected lat and lon together (a point)")
    if "lat" in fields:
        lat, lon = _parse_float(fields["lat"], "lat", 90), _parse_float(fields["lon"], "lon", 180)
        if lat == 0 and lon == 0:
            raise ReviewError("Expected a real point, got 0,0")
        out.update(lat=lat, lon=lon)
        out.setdefault("geo_precision", "site")
        if "place" not in fields:
            out.update(place_id="")
    if "geo_precision" in fields:
        precision = str(fields["geo_precision"]).strip()
        if precision not in GEO_PRECISIONS:
            raise ReviewError(f"Expected geo_precision one of {GEO_PRECISIONS}, got {fields['geo_precision']!r}")
        out["geo_precision"] = precision

    # Actors and their sides.
    if "actors" in fields:
        out["actors"] = list(dict.fromkeys(_actor_names(fields["actors"])))
    for column in ("actor1", "actor2"):
        if column in fields:
            names = _actor_names(fields[column]) if str(fields[column]).strip() else []
            if len(names) > 1:
                raise ReviewError(f"Expected one actor for {column}, got {fields[column]!r}")
            out[column] = names[0] if names else ""
    sides = [out[c] for c in ("actor1", "actor2") if out.get(c)]
    if sides:
        actors = out.get("actors", list(json_value(_get(event, "actors", [])) or []))
        missing = [name for name in sides if name not in actors]
        if missing:
            out["actors"] = actors + missing  # a side is one of the event's actors

    # Type and sub-type: a valid ACLED pair.
    if "event_type" in fields or "sub_event_type" in fields:
        kind = str(fields.get("event_type", "")).strip()
        sub = str(fields.get("sub_event_type", "")).strip()
        if kind and kind not in ACLED_TYPES:
            raise ReviewError(f"Expected event_type one of {list(ACLED_TYPES)}, got {kind!r}")
        if sub and not kind:
            owners = [k for k, subs in ACLED_TYPES.items() if sub in subs]
            if not owners:
                allowed = sorted({s for subs in ACLED_TYPES.values() for s in subs})
                raise ReviewError(f"Expected sub_event_type one of {allowed}, got {sub!r}")
            kind = owners[0]
        if kind and not sub:
            current = str(_get(event, "sub_event_type", "") or "")
            if current not in ACLED_TYPES[kind]:
                raise ReviewError(
                    f"Expected a sub_event_type of {kind!r} too ({', '.join(ACLED_TYPES[kind])}); "
                    f"the event's {current!r} is not one"
                )
            sub = current
        if sub not in ACLED_TYPES[kind]:
            raise ReviewError(f"Expected sub_event_type of {kind!r} one of {list(ACLED_TYPES[kind])}, got {sub!r}")
        out.update(event_type=kind, sub_event_type=sub)

    # Deaths: best, low, high.
    for column in FATALITY_COLUMNS:
        if column in fields:
            out[column] = _parse_count(fields[column], column)
    if "fatalities" in fields and "fatalities_low" not in fields and "fatalities_high" not in fields:
        out["fatalities_low"] = out["fatalities_high"] = out["fatalities"]  # an exact count
    if any(column in out for column in FATALITY_COLUMNS):
        best, low, high = (out[c] if c in out else json_value(_get(event, c)) for c in FATALITY_COLUMNS)
        if low is not None and high is not None and low > high:
            raise ReviewError(f"Expected fatalities_low <= fatalities_high, got {low} and {high}")
        if best is not None and ((low is not None and best < low) or (high is not None and best > high)):
            raise ReviewError(
                f"Expected fatalities within [fatalities_low, fatalities_high], got {best} in [{low}, {high}]"
            )
    return out


# ---------------------------------------------------------------------------------- the log


class ReviewLog:
    """The review log of one event store: `<store_path>/review.sqlite`, created on first use."""

    def __init__(self, store_path: str | Path, *, reviewer: str | None = None) -> None:
        self.store_path = Path(store_path)
        self.path = self.store_path / REVIEW_DB
        self.reviewer = reviewer
        self._ready = False

    def __repr__(self) -> str:
        return f"ReviewLog({str(self.store_path)!r})"

    # ------------------------------------------------------------------------------ connection

    def _connect(self) -> sqlite3.Connection:
        """A new connection (one per call: safe across Streamlit's threads), the schema in place."""
        self.store_path.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        connection.execute("PRAGMA synchronous = FULL")  # a committed review survives a power cut
        if not self._ready:
            connection.execute("PRAGMA journal_mode = WAL")  # readers never wait for a writer
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                connection.close()
                raise ReviewError(f"Expected a review log of version <= {SCHEMA_VERSION}, got {version} in {self.path}")
            if version < SCHEMA_VERSION:  # a new file: the table, its indexes and append-only triggers
                connection.execute("BEGIN IMMEDIATE")
                for statement in _statements(_SCHEMA):
                    connection.execute(statement)
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                connection.execute("COMMIT")
            self._ready = True
        return connection

    def _read(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple]:
        if not self.path.exists():
            return []
        connection = self._connect()
        try:
            return connection.execute(sql, parameters).fetchall()
        finally:
            connection.close()

    # ------------------------------------------------------------------------------ reading

    def changes(self) -> list[Change]:
        """Every change, oldest first."""
        return [
            Change.from_row(row)
            for row in self._read(f"SELECT {', '.join(_CHANGE_FIELDS)} FROM changes ORDER BY change_id")
        ]

    def history(self, event_id: str) -> list[Change]:
        """The changes logged against one event id, oldest first (see `reattach` for the ones an
        earlier id of the event carried)."""
        rows = self._read(
            f"SELECT {', '.join(_CHANGE_FIELDS)} FROM changes WHERE event_id = ? ORDER BY change_id", (event_id,)
        )
        return [Change.from_row(row) for row in rows]

    def last_change(self, event_id: str) -> int:
        """The id of the event's last change, 0 when it has none: what a writer passes as `seen`."""
        rows = self._read("SELECT MAX(change_id) FROM changes WHERE event_id = ?", (event_id,))
        return int(rows[0][0] or 0) if rows else 0

    def version(self) -> int:
        """The last change id of the whole log (0 when empty): changes whenever the log does."""
        rows = self._read("SELECT MAX(change_id) FROM changes")
        return int(rows[0][0] or 0) if rows else 0

    def changes_since(self, when: datetime | str, *, exclude_reviewer: str | None = None) -> list[Change]:
        """Changes made after `when` (UTC; naive times are taken as UTC), oldest first, optionally
        leaving out one reviewer's own ("corrections by others")."""
        sql = f"SELECT {', '.join(_CHANGE_FIELDS)} FROM changes WHERE at > ?"
        parameters: list[Any] = [_as_utc_text(when)]
        if exclude_reviewer is not None:
            sql += " AND reviewer != ?"
            parameters.append(exclude_reviewer)
        rows = self._read(sql + " ORDER BY change_id", parameters)
        return [Change.from_row(row) for row in rows]

    # ------------------------------------------------------------------------------ writing

    def accept(
        self,
        event: Mapping[str, Any] | pd.Series,
        *,
        seen: int | None = None,
        note: str = "",
        reviewer: str | None = None,
    ) -> WriteResult:
        """The event is right as it stands."""
        return self._write(event, "accept", [("", None, None)], seen=seen, note=note, reviewer=reviewer)

    def correct(
        self,
        event: Mapping[str, Any] | pd.Series,
        fields: Mapping[str, Any],
        *,
        seen: int | None = None,
        note: str = "",
        reviewer: str | None = None,
    ) -> WriteResult:
        """Set fields (see CORRECTABLE); one logged row per column, all in one transaction."""
        values = normalise_fields(fields, event)
        # Only what changes is logged (a place brings its country, often the same one).
        rows = [
            (column, json_value(_get(event, column)), value)
            for column, value in values.items()
            if json_value(_get(event, column)) != value
        ]
        if not rows:
            raise ReviewError(f"event {_get(event, 'event_id')!r} already has these values: nothing to correct")
        return self._write(event, "correct", rows, seen=seen, note=note, reviewer=reviewer)

    def reject(
        self,
        event: Mapping[str, Any] | pd.Series,
        *,
        reason: str,
        duplicate_of: str = "",
        seen: int | None = None,
        note: str = "",
        reviewer: str | None = None,
    ) -> WriteResult:
        """Not an event (or a duplicate of `duplicate_of`, or from the wrong article): it leaves the frame."""
        reason = " ".join(str(reason).split())
        if not reason:
            raise ReviewError(f"Expected a reason to reject an event (e.g. {', '.join(REJECT_REASONS)})")
        new = {"duplicate_of": duplicate_of} if duplicate_of else None
        return self._write(event, "reject", [("", None, new)], seen=seen, note=note, reviewer=reviewer, reason=reason)

    def merge(
        self,
        event: Mapping[str, Any] | pd.Series,
        into: Mapping[str, Any] | pd.Series,
        *,
        seen: int | None = None,
        note: str = "",
        reviewer: str | None = None,
    ) -> WriteResult:
        """`event` and `into` report one real event: folded into `into` within an article, one
        incident across articles (logged against `event`)."""
        # The target's own evidence too: if it is re-extracted under another id, it is found again.
        target = {
            "event_id": str(_get(into, "event_id")),
            "article_id": str(_get(into, "article_id")),
            "incident_id": str(_get(into, "incident_id", "") or ""),
            "excerpt_start": int(_get(into, "excerpt_start", 0)),
            "excerpt_end": int(_get(into, "excerpt_end", 0)),
            "excerpt": str(_get(into, "excerpt", "") or ""),
        }
        if target["event_id"] == str(_get(event, "event_id")):
            raise ReviewError("Expected two different events to merge, got the same one twice")
        return self._write(event, "merge", [("", None, target)], seen=seen, note=note, reviewer=reviewer)

    def add(
        self,
        article_id: str,
        start: int,
        end: int,
        excerpt: str,
        fields: Mapping[str, Any],
        *,
        note: str = "",
        reviewer: str | None = None,
    ) -> WriteResult:
        """An event the extractor missed, told by article_text[start:end] == excerpt; returns its new id
        (WriteResult.event_id). `fields` as for `correct` (at least the type)."""
        if not (0 <= start < end) or len(excerpt) != end - start:
            raise ReviewError(f"Expected an excerpt of end - start characters, got {len(excerpt)} for {start}-{end}")
        values = normalise_fields(fields, {})
        if "event_type" not in values:
            raise ReviewError("Expected event_type (and sub_event_type) for an added event")
        event = {
            "event_id": "",
            "article_id": article_id,
            "excerpt_start": start,
            "excerpt_end": end,
            "excerpt": excerpt,
        }
        return self._write(event, "add", [("", None, values)], seen=None, note=note, reviewer=reviewer)

    def _write(
        self,
        event: Mapping[str, Any] | pd.Series,
        action: str,
        rows: list[tuple[str, Any, Any]],
        *,
        seen: int | None,
        note: str,
        reviewer: str | None,
        reason: str = "",
    ) -> WriteResult:
        """Append the rows in one transaction, checking `seen` against the event's last change."""
        event_id = str(_get(event, "event_id") or "")
        article_id = str(_get(event, "article_id") or "")
        if action != "add" and not event_id:
            raise ReviewError("Expected an event with an event_id")
        start, end = int(_get(event, "excerpt_start", 0)), int(_get(event, "excerpt_end", 0))
        excerpt = str(_get(event, "excerpt", "") or "")
        who = reviewer or self.reviewer or default_reviewer()
        at = _utc_now()
        connection = self._connect()
        try:
            connection.execute("BEGIN IMMEDIATE")  # the write lock now: `seen` is checked under it
            try:
                missed: list[Change] = []
                if seen is not None and event_id:
                    missed = [
                        Change.from_row(row)
                        for row in connection.execute(
                            f"SELECT {', '.join(_CHANGE_FIELDS)} FROM changes WHERE event_id = ? AND change_id > ? "
                            "ORDER BY change_id",
                            (event_id, int(seen)),
                        )
                    ]
                conflict_with = missed[-1].change_id if missed else None
                change_id = 0
                for column, old, new in rows:
                    change_id = self._insert_row(
                        connection,
                        (
                            event_id,
                            article_id,
                            action,
                            column,
                            json.dumps(old, ensure_ascii=False),
                            json.dumps(new, ensure_ascii=False),
                            who,
                            at,
                            " ".join(str(note).split()),
                            reason,
                            article_id,
                            start,
                            end,
                            _hash(excerpt),
                            excerpt,
                            seen,
                            conflict_with,
                        ),
                    )
                if action == "add":
                    event_id = added_event_id(article_id, start, end, change_id)
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        finally:
            connection.close()
        return WriteResult(change_id, event_id, conflict=bool(missed), missed=tuple(missed))

    def _insert_row(self, connection: sqlite3.Connection, values: tuple) -> int:
        """Insert one change row (inside the caller's transaction); its change id."""
        cursor = connection.execute(
            f"INSERT INTO changes ({', '.join(_CHANGE_FIELDS[1:])}) VALUES ({_PLACEHOLDERS})",
            values,
        )
        return int(cursor.lastrowid)


def _statements(script: str) -> list[str]:
    """The schema's statements one by one (triggers hold ';' inside BEGIN … END)."""
    statements, current = [], []
    for line in script.strip().splitlines():
        current.append(line)
        joined = "\n".join(current).strip()
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            statements.append(joined)
            current = []
    return statements


# ---------------------------------------------------------------------------------- re-attachment


def _changes_of(log_or_changes: ReviewLog | Iterable[Change]) -> list[Change]:
    if isinstance(log_or_changes, ReviewLog):
        return log_or_changes.changes()
    return sorted(log_or_changes, key=lambda change: change.change_id)


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


@dataclass
class _Evidence:
    """Where a change's evidence lies in the current text of its article (None: nowhere)."""

    start: int
    end: int


def _locate(change: Change, texts: Mapping[str, str] | None) -> _Evidence | None:
    """The change's excerpt in its article's current text: at its offsets if still there, else the
    occurrence nearest to them; its old offsets when no texts are given."""
    if texts is None:
        return _Evidence(change.evidence_start, change.evidence_end)
    text = texts.get(change.evidence_article_id)
    if text is None:
        return None
    if text[change.evidence_start : change.evidence_end] == change.evidence_text:
        return _Evidence(change.evidence_start, change.evidence_end)
    if not change.evidence_text:
        return None
    found, position = [], text.find(change.evidence_text)
    while position >= 0:
        found.append(position)
        position = text.find(change.evidence_text, position + 1)
    if not found:
        return None
    best = min(found, key=lambda p: abs(p - change.evidence_start))
    return _Evidence(best, best + len(change.evidence_text))


def reattach(events: pd.DataFrame, changes: Iterable[Change], *, articles: pd.DataFrame | None = None) -> Attachment:
    """Which event of `events` each change belongs to after a re-extraction.

    The event of the same id; else (its id no longer extracted) the event of the same article
    whose excerpt or mentions overlap the change's evidence most (ties: the one whose extracted
    values agree with the change's old values, then the first); an added event goes with its
    article. With `articles` (article_id, text), evidence whose article text changed is looked
    for in the new text. Everything else is `unattached`, with its reason.
    """
    changes = sorted(changes, key=lambda change: change.change_id)
    texts = dict(zip(articles["article_id"], articles["text"], strict=False)) if articles is not None else None
    rows = _Rows(events)
    ids = rows.ids

    attachment = Attachment()
    moved: dict[str, str | Unattached] = {}  # an old event id -> its event now (or why none)
    for change in changes:
        if change.action == "add":
            present = (texts is not None and change.evidence_article_id in texts) or (
                texts is None and rows.has_article(change.evidence_article_id)
            )
            evidence = _locate(change, texts) if present else None
            if not present:
                reason = f"article {change.evidence_article_id!r} is no longer in the store"
            elif evidence is None:
                reason = f"the sentence it was added from is no longer in article {change.evidence_article_id!r}"
            if evidence is None:
                attachment.unattached.append(Unattached(change, reason))
                continue
            new_id = added_event_id(change.article_id, change.evidence_start, change.evidence_end, change.change_id)
            ids.add(new_id)
            attachment.event_of[change.change_id] = new_id
            continue
        if change.action == "merge":
            into = _merge_target(change)
            if into.event_id not in ids and into.event_id not in moved:
                moved[into.event_id] = _successor(into, texts, rows)
            target = into.event_id if into.event_id in ids else moved[into.event_id]
            if isinstance(target, Unattached):  # the event stays as it is rather than vanish
                reason = f"the event it was merged into ({into.event_id}) is not found: {target.reason}"
                attachment.unattached.append(Unattached(change, reason))
                continue
            attachment.merge_target[change.change_id] = target
        if change.event_id in ids:
            attachment.event_of[change.change_id] = change.event_id
            continue
        if change.event_id not in moved:
            moved[change.event_id] = _successor(change, texts, rows)
        target = moved[change.event_id]
        if isinstance(target, Unattached):
            attachment.unattached.append(Unattached(change, target.reason))
            attachment.merge_target.pop(change.change_id, None)
        else:
            attachment.event_of[change.change_id] = target
    return attachment


def _merge_target(change: Change) -> Change:
    """A merge's target as a change of its own, with the target's excerpt as evidence."""
    into = change.new_value or {}
    excerpt = str(into.get("excerpt", ""))
    return dataclasses.replace(
        change,
        event_id=str(into.get("event_id", "")),
        article_id=str(into.get("article_id", "")),
        evidence_article_id=str(into.get("article_id", "")),
        evidence_start=int(into.get("excerpt_start", 0)),
        evidence_end=int(into.get("excerpt_end", 0)),
        evidence_text=excerpt,
        evidence_hash=_hash(excerpt),
    )


def event_history(
    event_id: str,
    events: pd.DataFrame,
    log_or_changes: ReviewLog | Iterable[Change],
    *,
    articles: pd.DataFrame | None = None,
) -> list[Change]:
    """Every change that applies to an event of `events`, oldest first: its own and those an
    earlier id of it carried before a re-extraction (ReviewLog.history gives only its own)."""
    changes = _changes_of(log_or_changes)
    attachment = reattach(events, changes, articles=articles)
    return [change for change in changes if attachment.event_of.get(change.change_id) == event_id]


class _Rows:
    """What re-attachment asks of the frame, read once: its ids, and the rows of an article
    (only for the few articles whose events changed ids)."""

    def __init__(self, events: pd.DataFrame) -> None:
        self.events = events
        self.event_ids = events["event_id"].to_numpy(dtype=object)
        self.ids = set(self.event_ids)
        self.article_ids = events["article_id"].to_numpy(dtype=object)
        self._articles: set[str] | None = None

    def has_article(self, article_id: str) -> bool:
        if self._articles is None:
            self._articles = set(self.article_ids)
        return article_id in self._articles

    def of_article(self, article_id: str) -> list[int]:
        return np.flatnonzero(self.article_ids == article_id).tolist()


def _successor(change: Change, texts: Mapping[str, str] | None, rows: _Rows) -> str | Unattached:
    """The event that now tells what a change's (no longer extracted) event told, or why none."""
    article = change.evidence_article_id
    if texts is not None and article not in texts or texts is None and not rows.has_article(article):
        return Unattached(change, f"article {article!r} is no longer in the store")
    evidence = _locate(change, texts)
    if evidence is None:
        return Unattached(change, f"its sentence is no longer in article {article!r} (the article changed)")
    best: tuple[int, int, int] | None = None
    chosen = ""
    for position in rows.of_article(article):
        event = rows.events.iloc[position]
        spans = [(int(event["excerpt_start"]), int(event["excerpt_end"]))]
        spans += [(int(m["start"]), int(m["end"])) for m in (event.get("mentions") or [])]
        overlap = max(_overlap(evidence.start, evidence.end, s, e) for s, e in spans)
        if overlap <= 0:
            continue
        agree = _agreement(change, event) if change.action == "correct" else 0
        key = (overlap, agree, -position)
        if best is None or key > best:
            best, chosen = key, str(rows.event_ids[position])
    if not chosen:
        return Unattached(
            change,
            f"no event of article {article!r} is told in its sentence (characters "
            f"{evidence.start}-{evidence.end}) any more",
        )
    return chosen


def _agreement(change: Change, row: pd.Series) -> int:
    """1 when the row's value of the corrected column is the one the change corrected (a split event's
    right half), else 0."""
    if not change.field or change.field not in row.index:
        return 0
    return int(json_value(row[change.field]) == change.old_value)


def not_reattached(
    events: pd.DataFrame, log_or_changes: ReviewLog | Iterable[Change], *, articles: pd.DataFrame | None = None
) -> list[Unattached]:
    """The changes no event of `events` takes any more, with their reasons (the page that lists them)."""
    return reattach(events, _changes_of(log_or_changes), articles=articles).unattached


# ---------------------------------------------------------------------------------- applying


@dataclass
class _EventReview:
    """One event's derived review state while folding its changes."""

    values: dict[str, Any] = field(default_factory=dict)
    verdict: str = ""  # accept / reject / '' (only corrections)
    reason: str = ""
    reviewer: str = ""
    at: str = ""
    folded_into: str = ""
    incident_of: str = ""


def review_defaults(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with the review columns at their unreviewed values (in place; returned)."""
    for column in ("reviewed_by", "reviewed_at", "review_reason"):
        frame[column] = ""
    frame["review_status"] = "unreviewed"
    frame["origin"] = "extracted"
    extracted = np.empty(len(frame), dtype=object)
    for position in range(len(frame)):  # (a dict each: one shared dict would change with any row's)
        extracted[position] = {}
    frame["extracted"] = pd.Series(extracted, index=frame.index, dtype=object)
    return frame


def apply_reviews(
    events: pd.DataFrame,
    log_or_changes: ReviewLog | Iterable[Change],
    *,
    articles: pd.DataFrame | None = None,
    keep_rejected: bool = False,
) -> pd.DataFrame:
    """The reviewed event frame: corrected fields win, rejected (and folded) events are dropped
    (kept, with review_status 'rejected', when `keep_rejected`), added events are included,
    merges are folded; with the review columns (review_status, reviewed_by, reviewed_at,
    review_reason, extracted: {column: extracted value} for each corrected column, origin).

    `articles` (article_id, title, outlet, url, published, text) lets evidence be found in
    changed article texts and gives added events their article's metadata.
    """
    changes = _changes_of(log_or_changes)
    frame = review_defaults(events.copy().reset_index(drop=True))
    if not changes:
        return frame
    attachment = reattach(frame, changes, articles=articles)
    added = [c for c in changes if c.action == "add" and c.change_id in attachment.event_of]
    if added:
        frame = pd.concat([frame, _added_rows(frame, added, attachment, articles)], ignore_index=True)
        frame["origin"] = frame["origin"].fillna("extracted")

    reviews: dict[str, _EventReview] = {}
    for change in changes:
        event_id = attachment.event_of.get(change.change_id)
        if event_id is None:
            continue
        review = reviews.setdefault(event_id, _EventReview())
        review.reviewer, review.at = change.reviewer, change.at
        if change.action == "accept":
            review.verdict, review.reason, review.folded_into = "accept", "", ""
        elif change.action == "add":
            review.verdict = "accept"
        elif change.action == "correct":
            review.values[change.field] = change.new_value
            if review.verdict == "reject":  # correcting a rejected event reinstates it
                review.verdict, review.reason, review.folded_into = "", "", ""
        elif change.action == "reject":
            review.verdict = "reject"
            duplicate = (change.new_value or {}).get("duplicate_of", "")
            review.reason = change.reason + (f" (duplicate of {duplicate})" if duplicate else "")
        elif change.action == "merge":
            target = attachment.merge_target[change.change_id]
            if target == event_id:
                continue  # the extractor now reads the two as one event itself: nothing to fold
            if (change.new_value or {}).get("article_id") == change.article_id:
                review.verdict, review.folded_into = "reject", target
                review.reason = f"merged into {target}"
            else:
                review.verdict = review.verdict or "accept"
                review.incident_of = target

    # Only the reviewed rows change: their new values are gathered per column, then set at once.
    positions = pd.Index(frame["event_id"]).get_indexer(list(reviews))
    position_of = dict(zip(reviews, positions.tolist(), strict=True))
    updates: dict[str, dict[int, Any]] = {}
    series: dict[str, pd.Series] = {}  # (frame[column] costs a little each time: read once)

    def original(column: str, row: int) -> Any:
        if column not in series:
            series[column] = frame[column]
        return series[column].iat[row]

    def current(column: str, row: int) -> Any:
        return updates.get(column, {}).get(row, original(column, row))

    def put(column: str, row: int, value: Any) -> None:
        updates.setdefault(column, {})[row] = value

    for event_id, review in reviews.items():
        row = position_of[event_id]
        extracted: dict[str, Any] = {}
        for column, value in review.values.items():
            before = json_value(original(column, row))
            if before != value:
                extracted[column] = before
                put(column, row, frame_value(column, value))
        if original("origin", row) == "analyst":
            extracted = {}  # an added event has no extracted values to keep
        put(
            "review_status",
            row,
            "rejected" if review.verdict == "reject" else ("corrected" if extracted else "accepted"),
        )
        put("reviewed_by", row, review.reviewer)
        put("reviewed_at", row, review.at)
        put("review_reason", row, review.reason)
        put("extracted", row, extracted)
    for event_id, review in reviews.items():  # merges, once every event's own changes are in
        row = position_of[event_id]
        if review.folded_into and review.verdict == "reject":
            target = int(pd.Index(frame["event_id"]).get_loc(review.folded_into))
            told = list(current("mentions", target))
            seen = {(m["start"], m["end"]) for m in told}
            put(
                "mentions",
                target,
                told + [dict(m) for m in current("mentions", row) if (m["start"], m["end"]) not in seen],
            )
        elif review.incident_of:
            put(
                "incident_id", row, current("incident_id", int(pd.Index(frame["event_id"]).get_loc(review.incident_of)))
            )
    for column, values in updates.items():
        cells = frame[column].to_numpy(dtype=object, copy=True)
        for row, value in values.items():
            cells[row] = value
        # (string columns keep their string dtype; the others are restored below)
        dtype = frame[column].dtype if pd.api.types.is_string_dtype(frame[column].dtype) else object
        frame[column] = pd.Series(cells, index=frame.index, dtype=dtype)
    frame = _restore_types(frame, set(updates) | (set(frame.columns) if added else set()))
    if not keep_rejected:
        frame = frame[frame["review_status"] != "rejected"].reset_index(drop=True)
    return frame


def _restore_types(frame: pd.DataFrame, columns: set[str]) -> pd.DataFrame:
    """The frame's dtypes back on the columns that were set (as objects) or concatenated."""
    for column in columns & set(EVENT_COLUMNS):
        kind = EVENT_COLUMNS[column][0]
        if kind == "date":
            frame[column] = pd.Series(
                [None if is_missing(v) else v for v in frame[column]], index=frame.index, dtype=object
            )
        elif kind == "float":
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
        elif kind == "Int64":
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Int64")
        elif kind == "int":
            frame[column] = frame[column].astype("int64")
        elif kind == "str" and frame[column].dtype != object:
            continue  # already strings
    return frame


def _added_rows(
    frame: pd.DataFrame, added: list[Change], attachment: Attachment, articles: pd.DataFrame | None
) -> pd.DataFrame:
    """Rows for the events analysts added, with their article's metadata and the evidence as excerpt."""
    meta: dict[str, dict[str, Any]] = {}
    texts: dict[str, str] = {}
    if articles is not None:
        for record in articles.to_dict(orient="records"):
            meta[record["article_id"]] = record
            texts[record["article_id"]] = record.get("text", "")
    for record in frame[["article_id", "title", "outlet", "url", "published"]].to_dict(orient="records"):
        meta.setdefault(record["article_id"], record)
    rows = []
    for change in added:
        evidence = _locate(change, texts if articles is not None else None)
        values = change.new_value or {}
        article = meta.get(change.article_id, {})
        start, end = (evidence.start, evidence.end) if evidence else (change.evidence_start, change.evidence_end)
        row = {
            "event_id": attachment.event_of[change.change_id],
            "article_id": change.article_id,
            "title": article.get("title", ""),
            "outlet": article.get("outlet", ""),
            "url": article.get("url", ""),
            "published": article.get("published"),
            "excerpt": change.evidence_text,
            "excerpt_start": start,
            "excerpt_end": end,
            "date_start": None,
            "date_end": None,
            "date_precision": "unknown",
            "date_basis": "explicit" if values.get("date_start") else "none",
            "lat": float("nan"),
            "lon": float("nan"),
            "actors": [],
            "spans": [],
            "mentions": [{"start": start, "end": end}],
            "confidence": 1.0,  # an analyst's own reading
            "operation_confidence": float("nan"),
            "incident_id": "",
            "review_status": "accepted",
            "reviewed_by": change.reviewer,
            "reviewed_at": change.at,
            "review_reason": "",
            "extracted": {},
            "origin": "analyst",
        }
        for column, value in values.items():
            row[column] = frame_value(column, value)
        row["incident_id"] = _incident_id_for(row["event_id"])
        rows.append(row)
    out = pd.DataFrame.from_records(rows)
    for column in frame.columns:
        if column not in out:
            out[column] = [_empty_like(frame, column) for _ in range(len(out))]
    return out[list(frame.columns)]


def _incident_id_for(event_id: str) -> str:
    from data.incidents import incident_id_for

    return incident_id_for(event_id)


def _empty_like(frame: pd.DataFrame, column: str) -> Any:
    """The empty value of a column an added event does not set."""
    dtype = frame[column].dtype
    if pd.api.types.is_float_dtype(dtype):
        return float("nan")
    if str(dtype) == "Int64":
        return pd.NA
    return ""


# ---------------------------------------------------------------------------------- what the pages need


def source_disagreements(events: pd.DataFrame) -> pd.Series:
    """Per event (index aligned): the fields its incident's sources disagree on, as a tuple of
    'date', 'place', 'actors', 'deaths' (empty when the event is its incident's only report or all
    agree). Values a source leaves open (no date, no place, no actor, no toll) disagree with nothing."""
    result = pd.Series([()] * len(events), index=events.index, dtype=object)
    if events.empty or "incident_id" not in events:
        return result
    shared = (events["incident_id"].duplicated(keep=False) & (events["incident_id"] != "")).to_numpy()
    if not shared.any():
        return result
    told = events.loc[shared, ["incident_id", "date_start", "date_end", "place_id", "actors", "fatalities"]]
    starts = told["date_start"].map(lambda d: d.isoformat() if d is not None else None)
    keys = pd.DataFrame(
        {
            "incident": told["incident_id"].to_numpy(dtype=object),
            "date": (starts + "/" + told["date_end"].map(lambda d: d.isoformat() if d is not None else "")).to_numpy(),
            "place": told["place_id"].replace("", None).to_numpy(dtype=object),
            "actors": [";".join(sorted(a)) if len(a) else None for a in told["actors"]],
            "deaths": told["fatalities"].astype("float64").to_numpy(),
        }
    )
    differ = keys.groupby("incident").nunique(dropna=True) > 1
    # Each incident's disagreements as a bit set (date 1, place 2, actors 4, deaths 8): 16 tuples in all.
    names = list(differ.columns)
    bits = sum(differ[name].astype(int) * (1 << position) for position, name in enumerate(names))
    words = [
        tuple(name for position, name in enumerate(names) if code >> position & 1) for code in range(1 << len(names))
    ]
    codes = keys["incident"].map(bits).to_numpy(dtype=int)
    result.loc[shared] = [words[code] for code in codes]
    return result


def review_queue(reviewed: pd.DataFrame, *, views: Mapping[str, int] | None = None) -> pd.DataFrame:
    """The unreviewed events of a reviewed frame, what most needs an eye first: lowest confidence
    (in steps of QUEUE_CONFIDENCE_STEP), then events in the most-viewed operations or places
    (`views`: operation_id or place -> times viewed), then events whose incident's sources
    disagree; the frame's order last. Adds `queue_views` and `queue_disagreements` columns."""
    queue = reviewed[reviewed["review_status"] == "unreviewed"].copy()
    views = views or {}
    counts = pd.Series({name: count for name, count in views.items() if name}, dtype="float64")
    by_place = queue["place"].map(counts).fillna(0)
    by_operation = queue["operation_id"].map(counts).fillna(0) if "operation_id" in queue else by_place * 0
    queue["queue_views"] = np.maximum(by_place, by_operation).astype(int)
    queue["queue_disagreements"] = source_disagreements(reviewed).loc[queue.index]
    queue["_band"] = (queue["confidence"].fillna(0) / QUEUE_CONFIDENCE_STEP).astype(int)
    queue["_disagree"] = queue["queue_disagreements"].map(len) > 0
    queue["_order"] = range(len(queue))
    queue = queue.sort_values(["_band", "queue_views", "_disagree", "_order"], ascending=[True, False, False, True])
    return queue.drop(columns=["_band", "_disagree", "_order"])


def review_progress(reviewed: pd.DataFrame) -> ReviewProgress:
    """How many events were reviewed (accepted, corrected or rejected: pass a frame applied with
    keep_rejected=True to count the rejected ones) of how many."""
    return ReviewProgress(int((reviewed["review_status"] != "unreviewed").sum()), len(reviewed))


def field_accuracy(reviewed: pd.DataFrame) -> pd.DataFrame:
    """How often the extraction had each field right, over the extracted events an analyst
    accepted or corrected: per field (date, place, actors, type, deaths) the events whose field
    no correction changed (`right`), of those reviewed, and the share (NaN when none)."""
    judged = reviewed[
        reviewed["review_status"].isin(("accepted", "corrected")) & (reviewed.get("origin", "extracted") == "extracted")
    ]
    rows = []
    for name, columns in FIELD_GROUPS.items():
        wrong = judged["extracted"].map(lambda changed, columns=columns: any(c in changed for c in columns))
        right = int((~wrong).sum()) if len(judged) else 0
        share = right / len(judged) if len(judged) else float("nan")
        rows.append({"field": name, "right": right, "reviewed": len(judged), "share": share})
    return pd.DataFrame(rows, columns=["field", "right", "reviewed", "share"])
