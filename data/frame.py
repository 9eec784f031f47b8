"""Stage 7: Event records -> the validated event frame (exports: data/export.py).

`EVENT_COLUMNS` is the contract between the loader and the pages (DESIGN.md); `validate_events`
checks a frame against it and is called by the loader before it returns.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import pandas as pd

from data.schema import (
    DATE_BASES,
    DATE_PRECISIONS,
    GEO_PRECISIONS,
    ORIGINS,
    REVIEW_STATUSES,
    SPAN_KINDS,
    Article,
    Event,
)

# column -> (kind, meaning). Kinds: str, date, float, int, Int64 (nullable), list, dict.
EVENT_COLUMNS: dict[str, tuple[str, str]] = {
    "event_id": ("str", "stable id: article_id + excerpt offsets + index within the sentence"),
    "article_id": ("str", "article path relative to the folder given, without extension"),
    "title": ("str", "article title (manifest or file metadata)"),
    "outlet": ("str", "publishing outlet"),
    "url": ("str", "article URL"),
    "published": ("date", "publication date (may be empty)"),
    "date_start": ("date", "first day of the interval the event happened in"),
    "date_end": ("date", "last day of that interval (equal to date_start for a known day)"),
    "date_precision": ("str", "day, week, month, part, quarter, season, half, year, range, unknown"),
    "date_text": ("str", "the words that gave the date; empty when defaulted"),
    "date_basis": ("str", "explicit, relative, context, publication, none"),
    "place": ("str", "canonical place name"),
    "place_text": ("str", "the words in the article"),
    "place_id": ("str", "geonames:<id> or ref:<id>"),
    "country": ("str", "ISO 3166-1 alpha-2"),
    "admin1": ("str", "first-level division"),
    "lat": ("float", "WGS84 latitude; NaN when unresolved"),
    "lon": ("float", "WGS84 longitude; NaN when unresolved"),
    "geo_precision": ("str", "site, city, district, region, country"),
    "actors": ("list", "canonical actor names"),
    "actor1": ("str", "the side that acted, where clear"),
    "actor2": ("str", "the other side, where clear"),
    "event_type": ("str", "ACLED event type"),
    "sub_event_type": ("str", "ACLED sub-event type"),
    "fatalities": ("Int64", "deaths reported; null = not reported"),
    "fatalities_low": ("Int64", "lower bound of deaths"),
    "fatalities_high": ("Int64", "upper bound of deaths"),
    "excerpt": ("str", "the source sentence"),
    "excerpt_start": ("int", "start of the excerpt in the article's cleaned text"),
    "excerpt_end": ("int", "end of the excerpt in the article's cleaned text"),
    "spans": ("list", "{kind, start, end} highlight offsets into the article text"),
    "mentions": ("list", "{start, end} of every sentence of the article that tells this event"),
    "confidence": ("float", "0..1"),
    "operation": ("str", "the named operation the event belongs to (Battle of Mosul); empty when none"),
    "operation_id": ("str", "its id in data/reference/operations.csv (mosul); empty when none"),
    "operation_phase": ("str", "the operation's phase the event falls in (Battle of Mosul: Old City), if any"),
    "operation_reason": ("str", "why the event belongs to it (its sentence names it; inside its area and span ...)"),
    "operation_confidence": ("float", "0..1, how sure that assignment is; NaN when none"),
    "incident_id": ("str", "the incident this report belongs to (data.incidents); empty before merging"),
    # The analyst's review (data/review.py): unreviewed until data.review.apply_reviews says otherwise.
    "review_status": ("str", "unreviewed, accepted, corrected, rejected"),
    "reviewed_by": ("str", "who reviewed it last; empty when unreviewed"),
    "reviewed_at": ("str", "when, UTC (YYYY-MM-DDTHH:MM:SS.ffffffZ); empty when unreviewed"),
    "review_reason": ("str", "why it was rejected (not an event, duplicate of …, merged into …)"),
    "extracted": ("dict", "{column: the extracted value} of every corrected column"),
    "origin": ("str", "extracted, or analyst (an event an analyst added)"),
}
# Columns the analyst's review fills in; the event store keeps the extraction without them.
REVIEW_COLUMNS = ["review_status", "reviewed_by", "reviewed_at", "review_reason", "extracted", "origin"]
# Their values before any review.
REVIEW_DEFAULTS = {"review_status": "unreviewed", "origin": "extracted"}
ARTICLE_COLUMNS = ["article_id", "title", "outlet", "url", "published", "text", "content_hash", "source_path"]
LIST_COLUMNS = [name for name, (kind, _) in EVENT_COLUMNS.items() if kind == "list"]
DATE_COLUMNS = [name for name, (kind, _) in EVENT_COLUMNS.items() if kind == "date"]


class EventSchemaError(ValueError):
    """A frame that breaks the event contract; the message names the column and rows."""


def events_to_frame(events: Iterable[Event]) -> pd.DataFrame:
    """The event frame, columns in EVENT_COLUMNS order with their dtypes."""
    # Records built by hand: dataclasses.asdict deep-copies through copy.deepcopy, ten times
    # slower. Lists are copied by _coerce and span dicts here, so the frame shares nothing with them.
    names = [f.name for f in dataclasses.fields(Event)]
    records = []
    for event in events:
        record = {name: getattr(event, name) for name in names}
        record["spans"] = [dict(span) for span in event.spans]
        # (a report built from one sentence, as older code and tests build them, is told once: there)
        record["mentions"] = [dict(mention) for mention in event.mentions] or [
            {"start": event.excerpt_start, "end": event.excerpt_end}
        ]
        records.append(record)
    frame = pd.DataFrame.from_records(records, columns=list(EVENT_COLUMNS))
    return _coerce(frame)


def _coerce(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for name, (kind, _) in EVENT_COLUMNS.items():
        column = frame[name]
        if kind == "str":
            frame[name] = column.astype(object).fillna(REVIEW_DEFAULTS.get(name, "")).map(str)
            if name in REVIEW_DEFAULTS:
                frame[name] = frame[name].replace("", REVIEW_DEFAULTS[name])
        elif kind == "date":
            frame[name] = column.map(_as_date).astype(object)
        elif kind == "float":
            frame[name] = pd.to_numeric(column, errors="coerce").astype("float64")
        elif kind == "int":
            frame[name] = pd.to_numeric(column).astype("int64")
        elif kind == "Int64":
            frame[name] = pd.to_numeric(column, errors="coerce").astype("Int64")
        elif kind == "list":
            frame[name] = column.map(
                lambda v: list(v) if isinstance(v, (list, tuple)) else ([] if is_missing(v) else json.loads(v))
            )
        elif kind == "dict":
            frame[name] = column.map(
                lambda v: dict(v) if isinstance(v, dict) else ({} if is_missing(v) or v == "" else json.loads(v))
            )
    return frame


def is_missing(value: object) -> bool:
    """None, NaN, NaT or NA: a frame value that is not there."""
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def json_value(value: Any) -> Any:
    """A frame value as JSON holds it: ISO days, None for missing, plain numbers, lists and dicts
    (the exports and the review log both write values this way)."""
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if getattr(value, "ndim", 0) >= 1:  # a numpy array (a list column read from Parquet)
        return [json_value(v) for v in value.tolist()]
    if isinstance(value, dict):
        return {k: json_value(v) for k, v in value.items()}
    if isinstance(value, (pd.Timestamp, datetime)):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if is_missing(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _as_date(value: object) -> date | None:
    if is_missing(value) or value == "":
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def articles_to_frame(articles: Iterable[Article]) -> pd.DataFrame:
    rows = [{name: getattr(article, name) for name in ARTICLE_COLUMNS} for article in articles]
    return pd.DataFrame.from_records(rows, columns=ARTICLE_COLUMNS)


def validate_events(frame: pd.DataFrame, articles: pd.DataFrame | None = None) -> pd.DataFrame:
    """Check the frame against EVENT_COLUMNS (and excerpts against article texts); return it.

    Raises EventSchemaError with a message naming the column and the first offending event.
    """
    missing = [name for name in EVENT_COLUMNS if name not in frame.columns]
    if missing:
        raise EventSchemaError(f"Expected event columns {missing}, got columns {list(frame.columns)}")
    if frame["event_id"].duplicated().any():
        dup = frame.loc[frame["event_id"].duplicated(), "event_id"].iloc[0]
        raise EventSchemaError(f"Expected unique event_id, got {dup!r} more than once")

    def fail(column: str, mask: pd.Series, expected: str) -> None:
        if mask.any():
            row = frame.loc[mask].iloc[0]
            raise EventSchemaError(
                f"Expected {column} {expected}, got {row[column]!r} in event {row['event_id']!r} "
                f"({int(mask.sum())} events)"
            )

    fail("date_precision", ~frame["date_precision"].isin(DATE_PRECISIONS), f"one of {DATE_PRECISIONS}")
    fail("date_basis", ~frame["date_basis"].isin(DATE_BASES), f"one of {DATE_BASES}")
    fail("geo_precision", ~frame["geo_precision"].isin(GEO_PRECISIONS + ("",)), f"one of {GEO_PRECISIONS} or empty")
    fail("review_status", ~frame["review_status"].isin(REVIEW_STATUSES), f"one of {REVIEW_STATUSES}")
    fail("origin", ~frame["origin"].isin(ORIGINS), f"one of {ORIGINS}")
    has_start = frame["date_start"].map(lambda v: v is not None)
    has_end = frame["date_end"].map(lambda v: v is not None)
    fail("date_end", has_start != has_end, "set exactly when date_start is set")
    ordered = [
        s <= e if s is not None and e is not None else True
        for s, e in zip(frame["date_start"], frame["date_end"], strict=False)
    ]
    fail("date_end", ~pd.Series(ordered, index=frame.index, dtype=bool), "on or after date_start")
    fail("date_precision", has_start == (frame["date_precision"] == "unknown"), "'unknown' exactly when no date")
    lat, lon = frame["lat"], frame["lon"]
    fail("lat", lat.isna() != lon.isna(), "NaN exactly when lon is NaN")
    fail("lat", (lat.abs() > 90).fillna(False), "within [-90, 90]")
    fail("lon", (lon.abs() > 180).fillna(False), "within [-180, 180]")
    fail("lat", ((lat == 0) & (lon == 0)).fillna(False), "not 0,0 (unresolved is NaN)")
    fail("confidence", ~frame["confidence"].between(0, 1), "within [0, 1]")
    for column in ("fatalities", "fatalities_low", "fatalities_high"):
        fail(column, (frame[column] < 0).fillna(False), "null or >= 0")
    fail("excerpt_end", frame["excerpt_end"] <= frame["excerpt_start"], "greater than excerpt_start")
    bad_spans = frame["spans"].map(
        lambda spans: any(s.get("kind") not in SPAN_KINDS or s["end"] <= s["start"] for s in spans)
    )
    fail("spans", bad_spans, f"kinds in {SPAN_KINDS} with end > start")
    bad_mentions = [
        not mentions
        or not any(m["start"] == s and m["end"] == e for m in mentions)
        or any(m["end"] <= m["start"] for m in mentions)
        for mentions, s, e in zip(frame["mentions"], frame["excerpt_start"], frame["excerpt_end"], strict=False)
    ]
    fail(
        "mentions",
        pd.Series(bad_mentions, index=frame.index, dtype=bool),
        "one {start, end} per telling sentence, the excerpt's among them, each with end > start",
    )
    if articles is not None and len(frame):
        texts = dict(zip(articles["article_id"], articles["text"], strict=False))
        wrong = [
            texts.get(a, "")[s:e] != x
            for a, s, e, x in zip(
                frame["article_id"], frame["excerpt_start"], frame["excerpt_end"], frame["excerpt"], strict=False
            )
        ]
        fail(
            "excerpt",
            pd.Series(wrong, index=frame.index, dtype=bool),
            "equal to article_text[excerpt_start:excerpt_end]",
        )
    return frame
