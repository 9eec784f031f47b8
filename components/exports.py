"""Downloads of exactly the filtered view: CSV, GeoJSON, Parquet and an ACLED-style CSV.

Pure pandas, no streamlit. Following DESIGN.md: CSV writes lists (actors, spans, mentions) as JSON
strings; dates are ISO `YYYY-MM-DD`; GeoJSON puts lat/lon in the geometry (null geometry for an
unplaced event) and keeps lists as lists; Parquet writes spans and mentions as JSON strings, as
data.frame.export_events does.
"""

from __future__ import annotations

import io
import json
import math
import re
from datetime import date, timedelta

import pandas as pd

from data.filters import EventFilter
from data.frame import ATTRIBUTION, ATTRIBUTION_KEY, write_parquet

LIST_COLUMNS = ("actors", "spans", "mentions")
# Lists of {…} offsets: JSON strings in Parquet, as data.frame.export_events writes them, so the
# dashboard's Parquet and the command line's have one schema.
OFFSET_COLUMNS = ("spans", "mentions")
DATE_COLUMNS = ("date_start", "date_end", "published")
# ACLED's time_precision: 1 day, 2 week or a few days, 3 month or coarser.
ACLED_TIME = {"day": 1, "week": 2, "range": 2}
# ACLED's geo_precision: 1 the town itself, 2 part of a region near it, 3 only the region.
ACLED_GEO = {"site": 1, "city": 1, "district": 2, "region": 3, "country": 3}
COUNTRY_NAMES = {
    "SY": "Syria",
    "IQ": "Iraq",
    "TR": "Turkey",
    "JO": "Jordan",
    "LB": "Lebanon",
    "IR": "Iran",
    "IL": "Israel",
    "PS": "Palestine",
    "SA": "Saudi Arabia",
    "YE": "Yemen",
    "EG": "Egypt",
    "LY": "Libya",
    "AF": "Afghanistan",
    "US": "United States",
    "RU": "Russia",
    "GB": "United Kingdom",
    "FR": "France",
    "KW": "Kuwait",
    "QA": "Qatar",
    "AE": "United Arab Emirates",
}
COUNTRY_REGIONS = {
    "SY": "Middle East",
    "IQ": "Middle East",
    "TR": "Middle East",
    "JO": "Middle East",
    "LB": "Middle East",
    "IR": "Middle East",
    "IL": "Middle East",
    "PS": "Middle East",
    "SA": "Middle East",
    "YE": "Middle East",
    "KW": "Middle East",
    "QA": "Middle East",
    "AE": "Middle East",
    "EG": "Northern Africa",
    "LY": "Northern Africa",
    "AF": "Caucasus and Central Asia",
}


def _iso(series: pd.Series) -> pd.Series:
    days = pd.to_datetime(series, errors="coerce")
    return days.dt.strftime("%Y-%m-%d").where(days.notna(), "")


def public(events: pd.DataFrame) -> pd.DataFrame:
    """The schema's columns only (the pages' display helpers start with an underscore)."""
    return events[[c for c in events.columns if not str(c).startswith("_")]]


def flat(events: pd.DataFrame) -> pd.DataFrame:
    """The frame as plain columns: ISO dates, lists as JSON strings."""
    out = public(events).copy()
    for column in DATE_COLUMNS:
        if column in out:
            out[column] = _iso(out[column])
    for column in (*LIST_COLUMNS, "outlets"):  # outlets: the incidents view's sources
        if column in out:
            out[column] = [json.dumps(list(v) if v is not None else [], ensure_ascii=False) for v in out[column]]
    return out


def to_csv(events: pd.DataFrame) -> bytes:
    return flat(events).to_csv(index=False).encode("utf-8")


def _plain(value: object) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def to_geojson(events: pd.DataFrame) -> bytes:
    """A FeatureCollection; properties are every column but lat/lon, dates ISO, lists as lists."""
    events = public(events)
    records = flat(events.drop(columns=list(LIST_COLUMNS), errors="ignore"))
    features = []
    for position, (_, row) in enumerate(records.iterrows()):
        properties = {k: _plain(v) for k, v in row.items() if k not in ("lat", "lon")}
        for column in LIST_COLUMNS:
            if column in events:
                properties[column] = list(events[column].iloc[position])
        lat, lon = _plain(row.get("lat")), _plain(row.get("lon"))
        geometry = None if lat is None or lon is None else {"type": "Point", "coordinates": [float(lon), float(lat)]}
        features.append({"type": "Feature", "id": row.get("event_id"), "geometry": geometry, "properties": properties})
    return json.dumps(
        {"type": "FeatureCollection", ATTRIBUTION_KEY: ATTRIBUTION, "features": features}, ensure_ascii=False
    ).encode("utf-8")


def to_parquet(events: pd.DataFrame) -> bytes:
    """Parquet with real types (dates as dates, actors as a list of strings); spans and mentions
    as JSON strings, as data.frame.export_events writes them."""
    out = public(events).copy()
    for column in OFFSET_COLUMNS:
        if column in out:
            out[column] = [json.dumps(list(v) if v is not None else []) for v in out[column]]
    for column in DATE_COLUMNS:
        if column in out:
            out[column] = pd.to_datetime(out[column], errors="coerce").dt.date
    buffer = io.BytesIO()
    write_parquet(out, buffer)  # with the GeoNames credit in its metadata
    return buffer.getvalue()


def acled_frame(events: pd.DataFrame) -> pd.DataFrame:
    """The events under ACLED's column names where an equivalent exists."""
    start = pd.to_datetime(events["date_start"], errors="coerce")
    actors = [list(a) for a in events["actors"]]
    assoc = [
        "; ".join(a for a in names if a not in (one, two))
        for names, one, two in zip(actors, events["actor1"], events["actor2"], strict=False)
    ]
    return pd.DataFrame(
        {
            "event_id_cnty": events["event_id"].to_numpy(),
            "event_date": _iso(events["date_start"]).to_numpy(),
            "year": start.dt.year.astype("Int64").to_numpy(),
            "time_precision": events["date_precision"].map(ACLED_TIME).fillna(3).astype(int).to_numpy(),
            "event_type": events["event_type"].to_numpy(),
            "sub_event_type": events["sub_event_type"].to_numpy(),
            "actor1": events["actor1"].to_numpy(),
            "assoc_actor_1": assoc,
            "actor2": events["actor2"].to_numpy(),
            "region": events["country"].map(COUNTRY_REGIONS).fillna("").to_numpy(),
            "country": [COUNTRY_NAMES.get(c, c) for c in events["country"]],
            "admin1": events["admin1"].to_numpy(),
            "location": events["place"].to_numpy(),
            "latitude": events["lat"].to_numpy(),
            "longitude": events["lon"].to_numpy(),
            "geo_precision": events["geo_precision"].map(ACLED_GEO).astype("Int64").to_numpy(),
            "source": events["outlet"].to_numpy(),
            "notes": events["excerpt"].to_numpy(),
            "fatalities": events["fatalities"].to_numpy(),
        }
    )


def to_acled_csv(events: pd.DataFrame) -> bytes:
    return acled_frame(events).to_csv(index=False).encode("utf-8")


def _slug(text: str) -> str:
    """A piece of a file name: letters, digits and single dashes only (nothing that could
    leave the download folder)."""
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")


def _short_name(actor: str, aliases: dict[str, list[str]]) -> str:
    """An actor's acronym when it has one (SDF for the Syrian Democratic Forces), else its name."""
    acronyms = sorted((a for a in aliases.get(actor, []) if a.isupper() and 2 <= len(a) <= 6), key=len)
    return acronyms[0] if acronyms else actor


def _dates_part(first: date | None, last: date | None) -> str:
    """ "2017-10" for a whole month, "2017" for a whole year, else the days."""
    if first and last:
        following = date(last.year + (last.month == 12), last.month % 12 + 1, 1)
        if (
            first.day == 1
            and (first.year, first.month) == (last.year, last.month)
            and following - timedelta(days=1) == last
        ):
            return f"{first:%Y-%m}"
        if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31) and first.year == last.year:
            return f"{first:%Y}"
        return f"{first.isoformat()}-to-{last.isoformat()}"
    if first:
        return f"from-{first.isoformat()}"
    return f"to-{last.isoformat()}" if last else ""


def download_stem(
    event_filter: EventFilter, *, aliases: dict[str, list[str]] | None = None, noun: str = "events", longest: int = 100
) -> str:
    """A download's file name (without suffix) after the view it holds:
    sitrep-events-SDF-2017-10, sitrep-incidents-Battles-IQ, sitrep-events (everything)."""
    parts = [_short_name(a, aliases or {}) for a in event_filter.actors]
    parts += [*event_filter.event_types, *event_filter.countries, *event_filter.places]
    if event_filter.text.strip():
        parts.append(f"q-{event_filter.text.strip()}")
    parts.append(_dates_part(event_filter.date_from, event_filter.date_to))
    pieces = [_slug(p) for p in parts]
    stem = "-".join(["sitrep", noun, *(p for p in pieces if p)])
    return stem[:longest].rstrip("-")
