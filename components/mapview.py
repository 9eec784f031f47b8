"""The event map: a Streamlit component of its own (`components/mapframe/`), fed the event frame.

The component's folder holds its page, its script and everything they load (Leaflet, its cluster
plugin, the basemap and its names), served by Streamlit under the component's URL: nothing is
fetched from elsewhere, and nothing of another package's internals is used. It receives, per run,
the view's metadata (JSON) and its events (dictionary-encoded rows as bytes, built once per
distinct view and cached by a fingerprint of the shown columns); it sends a value per click on an
event and one when it has drawn its events (what waits for the map follows then:
components/deferred.py).

Every report is reachable: the markers sit in one cluster group, so reports at one point form a
cluster showing their count at every size and zoom, spread out (spiderfied) on click; past
CLUSTER_ABOVE events nearby markers are grouped too. A place known only to city/region/country
level gets a dashed marker over an area of that uncertainty, drawn under the markers and as an
outline only once it is large on screen.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import threading
import weakref
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st
import streamlit.components.v1 as st_components

from components import deferred, incidents, state
from components.format import (
    COLOUR_BY,
    GEO_WORDS,
    NO_OPERATION,
    NO_OPERATION_COLOUR,
    UNCERTAINTY_M,
    UNTYPED,
    date_words,
    highlight,
    legend_html,
    side_colours,
    type_colours,
    with_display_columns,
)
from data.operations import lineage, operations_by_id, progression

CLUSTER_ABOVE = 1500
# Past this many located events even clustering is slow to build in the browser (100,000
# markers: ~10 s and ~1 GB): the map shows counts per grid cell instead, finer as one zooms in.
AGGREGATE_ABOVE = 20_000
# (up to map zoom, cell size in degrees): about 30-60 px per cell at each zoom.
GRID_LEVELS = ((4, 2.0), (6, 0.5), (8, 0.125), (10, 0.03), (99, 0.008))
# An incident's popup lists at most this many of its sources (the details panel lists all).
POPUP_SOURCES = 8
# Popups carry the highlighted excerpt up to this many events; past it the payload would pass
# a few MB per rerun, and the details panel shows the excerpt anyway.
POPUP_EXCERPTS_UP_TO = 3000
TILES_ENV = "SITREP_TILES"
TILES_ATTRIBUTION_ENV = "SITREP_TILES_ATTRIBUTION"
FRONTEND = Path(__file__).resolve().parent / "mapframe"
# The component: its page, script, Leaflet and basemap, served from FRONTEND.
_map_component = st_components.declare_component("sitrep_map", path=str(FRONTEND))
BASEMAP_WORLD = "basemap/world.geojson"
BASEMAP_REGION = "basemap/region.geojson"
# The region's first-level division borders: loaded with the region, after the first paint.
BASEMAP_DIVISIONS = "basemap/divisions.geojson"
LABELS = "basemap/labels.json"
# lon_min, lat_min, lon_max, lat_max of the regional basemap (components/assets/build_basemap.py).
BASEMAP_REGION_BOX = (24.0, 12.0, 63.0, 44.0)
# Operations wider than this (a theatre-wide campaign) are not drawn: their circle would cover the map.
OPERATION_AREA_MAX_KM = 150
# An operation's outline when events are coloured by type (by operation: its own colour).
OPERATION_OUTLINE = "#6a3d9a"
ATTRIBUTION = (
    'Borders, divisions, rivers: <a href="https://www.naturalearthdata.com/" '
    'target="_blank" rel="noopener">Natural Earth</a> · names: © '
    '<a href="https://www.geonames.org/" target="_blank" rel="noopener">GeoNames</a> '
    "(CC BY 4.0)"
)


def _codes(values: pd.Series, strings: dict[str, int]) -> list[int]:
    """Dictionary-encode values into strings (value -> index), returning each row's index."""
    inverse, uniques = pd.factorize(values, use_na_sentinel=False)
    mapping = np.array([strings.setdefault(str(u), len(strings)) for u in uniques], dtype=int)
    return mapping[inverse].tolist() if len(mapping) else []


def grid_cells(located: pd.DataFrame, type_codes: np.ndarray, n_types: int, cell: float) -> list[list]:
    """Counts per grid cell: [lat, lon, count, main type, deaths, count per type…] (vectorised)."""
    lat, lon = located["lat"].to_numpy(float), located["lon"].to_numpy(float)
    cells = pd.DataFrame(
        {
            "y": np.floor(lat / cell).astype(np.int64),
            "x": np.floor(lon / cell).astype(np.int64),
            "lat": lat,
            "lon": lon,
            "t": type_codes,
            "d": pd.to_numeric(located["fatalities"], errors="coerce").fillna(0).to_numpy(float),
        }
    )
    grouped = cells.groupby(["y", "x"], sort=True)
    summary = grouped.agg(lat=("lat", "mean"), lon=("lon", "mean"), n=("t", "size"), d=("d", "sum"))
    per_type = (
        pd.crosstab([cells["y"], cells["x"]], cells["t"])
        .reindex(columns=range(n_types), fill_value=0)
        .loc[summary.index]
    )
    main = per_type.to_numpy().argmax(axis=1)
    return [
        [round(a, 4), round(b, 4), int(n), int(t), int(d), *map(int, counts)]
        for a, b, n, t, d, counts in zip(
            summary["lat"], summary["lon"], summary["n"], main, summary["d"], per_type.to_numpy(), strict=False
        )
    ]


def _incident_sources(located: pd.DataFrame, reports: pd.DataFrame | None) -> list[str]:
    """Each incident's sources as escaped HTML for its popup ("" for a single report)."""
    if reports is None or "n_reports" not in located:
        return [""] * len(located)
    many = located[located["n_reports"].to_numpy() > 1]
    if many.empty:
        return [""] * len(located)
    keys = incidents.incident_keys(reports)
    wanted = incidents.incident_keys(many)
    told = reports[keys.isin(set(wanted)).to_numpy()]
    told = told.sort_values(["published", "outlet", "event_id"], kind="mergesort", na_position="last")
    html_of = {
        key: incidents.sources_html(part, limit=POPUP_SOURCES)
        for key, part in told.groupby(keys[told.index].to_numpy(), sort=False)
    }
    by_event = dict(zip(many["event_id"], wanted, strict=False))
    return [html_of.get(by_event.get(event_id), "") for event_id in located["event_id"]]


def categories(
    located: pd.DataFrame, colour_by: str = "type", operation_colours: dict[str, str] | None = None
) -> tuple[pd.Series, dict[str, str]]:
    """What colours each event (its type, or its named operation) and the colour of each such
    category, in legend order (types by name; operations in the reference's order, then none)."""
    if colour_by != "operation" or "operation_id" not in located:
        types = located["event_type"].replace("", UNTYPED)
        colours = type_colours(types.unique())
        return types, {name: colours[name] for name in sorted(colours)}
    table = operations_by_id()
    palette = operation_colours or {}
    ids = located["operation_id"].astype(str)
    present = set(ids.unique())
    names = ids.map({op_id: table[op_id].name for op_id in present if op_id in table}).fillna(NO_OPERATION)
    order = [op_id for op_id in table if op_id in present]
    colours = {table[op_id].name: palette.get(op_id, NO_OPERATION_COLOUR) for op_id in order}
    if (names == NO_OPERATION).any():
        colours[NO_OPERATION] = NO_OPERATION_COLOUR
    return names, colours


def build_payload(
    events: pd.DataFrame,
    *,
    compact: bool = False,
    with_excerpts: bool | None = None,
    reports: pd.DataFrame | None = None,
    colour_by: str = "type",
    operation_colours: dict[str, str] | None = None,
) -> dict:
    """The located events as dictionary-encoded rows for the map component's script.

    Vectorised (10,000 events in ~0.1 s). Every string that reaches the browser as HTML is
    escaped here. In the incidents view (a frame from components.incidents.incident_view) each
    row is an incident, and with `reports` (the corpus) its popup lists its sources. Past
    AGGREGATE_ABOVE located events the rows are replaced by counts per grid cell. colour_by
    "operation" colours each event by its named operation (`operation_colours`, see
    components.format.operation_colours) instead of its type; popups then say the type.
    """
    located = events[_located_mask(events)]
    if len(located) > AGGREGATE_ABOVE:
        return _grid_payload(located, compact=compact, colour_by=colour_by, operation_colours=operation_colours)
    if with_excerpts is None:
        with_excerpts = len(located) <= POPUP_EXCERPTS_UP_TO and not compact
    located = with_display_columns(located)
    types, colours = categories(located, colour_by, operation_colours)
    type_names = list(colours)
    type_codes = types.map({name: i for i, name in enumerate(type_names)}).astype(int)
    sub_types = located["sub_event_type"]
    if colour_by == "operation":
        # the category says the operation: the type goes with the sub-type
        sub_types = located["event_type"].replace("", UNTYPED) + ": " + sub_types.astype(str)
    strings: dict[str, int] = {}
    geo = located["geo_precision"].astype(str)
    where = (
        located["place"].replace("", "?").map(html.escape) + " · " + geo.map(lambda g: GEO_WORDS.get(g, html.escape(g)))
    )
    actors = located["actors"].map(lambda a: html.escape(", ".join(a)) if len(a) else "actors unknown")
    base, cap = (3.5, 14.0) if compact else (5.0, 22.0)
    deaths = pd.to_numeric(located["fatalities"], errors="coerce").astype(float)
    radius = np.where(np.isnan(deaths), base, np.minimum(base + 2.2 * np.sqrt(np.clip(deaths, 0, None)), cap)).round(1)
    columns = [
        located["event_id"].tolist(),
        located["lat"].round(5).tolist(),
        located["lon"].round(5).tolist(),
        type_codes.tolist(),
        radius.tolist(),
        (geo == "site").astype(int).tolist(),
        _codes(located["_when"], strings),
        _codes(where, strings),
        _codes(actors, strings),
        _codes(sub_types.map(html.escape), strings),
        _codes(located["_deaths"], strings),
        (located["n_sources"].astype(int).tolist() if "n_sources" in located else [1] * len(located)),
    ]
    if with_excerpts:
        columns.append(
            [
                highlight(x, s, offset=int(o))
                for x, s, o in zip(located["excerpt"], located["spans"], located["excerpt_start"], strict=False)
            ]
        )
        columns.append(located["outlet"].replace("", "unknown outlet").map(html.escape).tolist())
        columns.append(_incident_sources(located, reports))
        columns.append(located["_told"].astype(int).tolist())
    rows = [list(row) for row in zip(*columns, strict=False)]
    metres = geo.map(UNCERTAINTY_M).fillna(0)
    imprecise = located[metres.to_numpy() > 0]
    areas = pd.DataFrame(
        {"lat": imprecise["lat"].round(4), "lon": imprecise["lon"].round(4), "m": metres[metres > 0].astype(int)}
    ).drop_duplicates()
    return {
        "types": [html.escape(name) for name in type_names],
        "colours": [colours[name] for name in type_names],
        "strings": list(strings),
        "rows": rows,
        "areas": areas.to_numpy().tolist(),
        "cluster": len(rows) > CLUSTER_ABOVE,
        "excerpts": bool(with_excerpts),
        "compact": compact,
        "grid": None,
    }


def _grid_payload(
    located: pd.DataFrame, *, compact: bool, colour_by: str = "type", operation_colours: dict[str, str] | None = None
) -> dict:
    """Too many events to draw one by one: counts per grid cell at each zoom level."""
    types, colours = categories(located, colour_by, operation_colours)
    type_names = list(colours)
    codes = types.map({name: i for i, name in enumerate(type_names)}).astype(int).to_numpy()
    levels = [
        {"zoom": zoom, "cell": cell, "cells": grid_cells(located, codes, len(type_names), cell)}
        for zoom, cell in GRID_LEVELS
    ]
    return {
        "types": [html.escape(name) for name in type_names],
        "colours": [colours[name] for name in type_names],
        "strings": [],
        "rows": [],
        "areas": [],
        "cluster": False,
        "excerpts": False,
        "compact": compact,
        "grid": levels,
        "total": len(located),
    }


_VIEW_CACHE: dict[str, tuple[dict, bytes]] = {}
_VIEW_CACHE_SIZE = 32
_FINGERPRINT = [
    "event_id",
    "lat",
    "lon",
    "event_type",
    "sub_event_type",
    "geo_precision",
    "fatalities",
    "excerpt",
    "_when",
    "_deaths",
    "_told",
    "n_reports",
    "n_sources",
    "operation_id",
]
# The last few frames' fingerprints, by identity: a fragment rerun (a click on a marker) passes
# the very frame of the full run, and need not hash 10,000 excerpts again.
_SEEN: dict[int, tuple[weakref.ref, str]] = {}
_SEEN_SIZE = 16
_SEEN_LOCK = threading.Lock()


def _located_mask(events: pd.DataFrame) -> np.ndarray:
    """Which events have a place on the map (lat and lon both known)."""
    return (events["lat"].notna() & events["lon"].notna()).to_numpy()


def _column_bytes(values: pd.Series) -> bytes:
    array = values.to_numpy()
    if array.dtype.kind in "biuf":
        return np.ascontiguousarray(array).tobytes()
    return "\x1f".join(map(str, array.tolist())).encode("utf-8", "surrogatepass")


def fingerprint(events: pd.DataFrame, compact: bool, reports: pd.DataFrame | None, colouring: str = "type") -> str:
    """A digest of what the map draws of these events (their located rows' shown columns) and
    how it colours them (`colouring`: "type", or the operations' colours)."""
    key = f"{compact}{reports is not None}{colouring}"
    with _SEEN_LOCK:
        seen = _SEEN.get(id(events))
    if seen is not None and seen[0]() is events and seen[1].startswith(key + ":"):
        return seen[1].split(":", 1)[1]
    mask = _located_mask(events)
    digest = hashlib.sha256(key.encode())
    for column in (c for c in _FINGERPRINT if c in events):
        digest.update(column.encode() + b"\x1e" + _column_bytes(events[column][mask]) + b"\x1d")
    value = digest.hexdigest()
    with _SEEN_LOCK:
        while len(_SEEN) >= _SEEN_SIZE:
            _SEEN.pop(next(iter(_SEEN)))
        _SEEN[id(events)] = (weakref.ref(events), f"{key}:{value}")
    return value


def view_data(
    events: pd.DataFrame,
    *,
    compact: bool = False,
    reports: pd.DataFrame | None = None,
    colour_by: str = "type",
    operation_colours: dict[str, str] | None = None,
) -> tuple[dict, bytes]:
    """The component's metadata (legend, bounds, mode) and its events as JSON bytes, built once
    per distinct view (cached by fingerprint)."""
    by_operation = colour_by == "operation"
    colouring = json.dumps(operation_colours or {}, sort_keys=True) if by_operation else "type"
    fingerprint_ = fingerprint(events, compact, reports, colouring)
    cached = _VIEW_CACHE.get(fingerprint_)
    if cached is not None:
        return cached
    payload = build_payload(
        events,
        compact=compact,
        reports=reports,
        colour_by=colour_by,
        operation_colours=operation_colours,
    )
    if payload["grid"]:
        counts = np.sum([cell[5:] for cell in payload["grid"][0]["cells"]], axis=0)
    else:
        counts = np.bincount([row[3] for row in payload["rows"]], minlength=len(payload["types"]))
    meta = {
        "data_id": fingerprint_[:20],
        "types": payload["types"],
        "colours": payload["colours"],
        "counts": np.asarray(counts).tolist(),
        "cluster": payload["cluster"],
        "compact": compact,
        "grid": bool(payload["grid"]),
        "bounds": _bounds(events),
        "operations": operation_areas(events, operation_colours if by_operation else None),
        "colour_by": "operation" if by_operation else "type",
    }
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    while len(_VIEW_CACHE) >= _VIEW_CACHE_SIZE:
        _VIEW_CACHE.pop(next(iter(_VIEW_CACHE)))
    _VIEW_CACHE[fingerprint_] = (meta, body)
    return meta, body


def operation_areas(events: pd.DataFrame, colours: dict[str, str] | None = None) -> list[list]:
    """[id, name, lat, lon, radius_km, colour] of each named operation the events belong to
    (their battles' campaigns too, but no theatre-wide campaign, whose circle would cover the
    map); the colour is the operation's in `colours`, else OPERATION_OUTLINE."""
    if "operation_id" not in events:
        return []
    table = operations_by_id()
    wanted: dict[str, None] = {}
    for operation_id in events["operation_id"].dropna().unique():
        for ancestor in lineage(str(operation_id)) if operation_id in table else ():
            if table[ancestor].kind != "phase" and table[ancestor].radius_km <= OPERATION_AREA_MAX_KM:
                wanted[ancestor] = None
    colours = colours or {}
    return [
        [op.id, op.name, op.lat, op.lon, op.radius_km, colours.get(op.id, OPERATION_OUTLINE)]
        for op in (table[i] for i in wanted)
    ]


def taken_places(view: pd.DataFrame, until: date | None = None) -> dict | None:
    """The progression map's places: where the view's operations' reports say a place was taken
    up to `until` (None: every date), by whom, as the map component draws them (escaped HTML
    tooltips); None when the view's operations took no place at all. The sides' colours come
    from the whole view, so that they stay put while Play advances."""
    everything = progression(view)
    if everything.empty:
        return None
    colours = side_colours(everything["taken_by"])
    sides = list(colours)
    now = everything if until is None else progression(view, until)
    table = operations_by_id()
    places = [
        [
            round(row.lat, 5),
            round(row.lon, 5),
            sides.index(row.taken_by),
            _taken_tooltip(row, table[row.operation_id].name if row.operation_id in table else ""),
        ]
        for row in now.itertuples()
    ]
    counts = now["taken_by"].value_counts()
    return {
        "sides": [[html.escape(side), colours[side], int(counts.get(side, 0))] for side in sides],
        "places": places,
        "until": until.isoformat() if until else "",
    }


def taken_legend_html(taken: dict) -> str:
    """The progression map's legend: a ring per side with how many places it held by the
    cut-off (`taken` from taken_places, whose names are escaped)."""
    by = f"by {pd.Timestamp(taken['until']):%-d %b %Y}" if taken["until"] else "over the whole view"
    items = "".join(
        f'<span style="margin-right:1em;white-space:nowrap">'
        f'<span style="display:inline-block;width:.75em;height:.75em;border-radius:50%;'
        f'border:3px solid {colour};margin-right:.3em;vertical-align:-.15em"></span>{name} '
        f'<span style="color:#777">({count})</span></span>'
        for name, colour, count in taken["sides"]
    )
    return (
        f'<div class="sitrep-taken-legend" style="font-size:.85em"><span style="color:#555">Places reported '
        f"taken {by}, ringed in the colour of the side that took them:</span> {items}</div>"
    )


def _taken_tooltip(row: object, operation: str) -> str:
    """A place taken, as escaped HTML: where, by whom from whom, when, the operation, the reports."""
    when = date_words(row.date_taken, row.date_end, row.date_precision)
    from_whom = f" from {html.escape(row.taken_from)}" if row.taken_from else ""
    reports = f"{row.reports} report{'s' if row.reports > 1 else ''}"
    outlets = f" ({html.escape(row.outlets)})" if row.outlets else ""
    return (
        f"<b>{html.escape(row.place)}</b>: taken by {html.escape(row.taken_by)}{from_whom}<br>"
        f"{html.escape(when)} · {html.escape(operation)} · {reports}{outlets}"
    )


def region_basemap_for(bounds: list[list[float]] | None) -> str | None:
    """The detailed regional basemap when the events lie in it (the map draws it once zoomed
    in; the world's below that zoom and elsewhere), else None."""
    if bounds is not None:
        x0, y0, x1, y1 = BASEMAP_REGION_BOX
        (south, west), (north, east) = bounds
        if x0 <= west and y0 <= south and east <= x1 and north <= y1:
            return BASEMAP_REGION
    return None


def sources_link() -> str:
    """The Sources page's address from the server's root (the map's frame is elsewhere)."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/Sources?event=" if base else "/Sources?event="


def map_args(
    events: pd.DataFrame,
    *,
    compact: bool = False,
    height: int = 560,
    selected: str | None = None,
    reports: pd.DataFrame | None = None,
    tiles: str | None = None,
    attribution: str | None = None,
    colour_by: str = "type",
    operation_colours: dict[str, str] | None = None,
    taken: dict | None = None,
) -> dict:
    """The map component's arguments for a view of events (all local links: see FRONTEND).

    tiles: a tile URL template (e.g. an internal tile server); default $SITREP_TILES, and none
    when unset, so that no request leaves the machine. taken: the progression map's places
    (taken_places), drawn over the events.
    """
    tiles = tiles if tiles is not None else os.environ.get(TILES_ENV, "").strip() or None
    meta, body = view_data(
        events, compact=compact, reports=reports, colour_by=colour_by, operation_colours=operation_colours
    )
    region = region_basemap_for(meta["bounds"])
    return {
        "meta": meta,
        "payload": body,
        "selected": selected,
        "height": int(height),
        "compact": compact,
        "max_zoom": 18 if tiles else 14,
        "basemap_world": BASEMAP_WORLD,
        "basemap_region": region,
        "basemap_divisions": BASEMAP_DIVISIONS if region else None,
        "labels": LABELS if (FRONTEND / LABELS).exists() else None,
        "land_opacity": 0.35 if tiles else 1.0,
        "tiles": tiles,
        "tiles_attribution": attribution or os.environ.get(TILES_ATTRIBUTION_ENV, "") or "tiles",
        "attribution": ATTRIBUTION,
        "sources": sources_link(),
        "taken": taken,
    }


COLOUR_WORDS = {"type": "event type", "operation": "operation"}


def colour_control() -> None:
    """The switch between colouring events by type and by named operation (shared with the
    timeline's operation rows; ?colour=operation). Drawn in a fragment: its change reruns the page."""
    st.session_state.setdefault(state.COLOUR_KEY, COLOUR_BY[0])
    st.segmented_control(
        "Colour by",
        list(COLOUR_BY),
        key=state.COLOUR_KEY,
        format_func=COLOUR_WORDS.get,
        on_change=_on_colour,
        help="Colour the events by their event type or by the named operation they belong to "
        "(grey: none); the operations' colours are the same on the timeline and the Operations page",
    )


def _on_colour() -> None:
    """A click on the chosen colouring unselects it: it means the default (by type), shown so."""
    if st.session_state.get(state.COLOUR_KEY) not in COLOUR_BY:
        st.session_state[state.COLOUR_KEY] = COLOUR_BY[0]
    deferred.rerun_page()


def _bounds(events: pd.DataFrame) -> list[list[float]] | None:
    """[[south, west], [north, east]] of the located events, or None."""
    mask = _located_mask(events)
    if not mask.any():
        return None
    lat = events["lat"].to_numpy(float)[mask]
    lon = events["lon"].to_numpy(float)[mask]
    return [[float(lat.min()), float(lon.min())], [float(lat.max()), float(lon.max())]]


def _on_message(key: str) -> None:
    """The component's change callback: a click on an event selects it; the report that the
    map has drawn reruns what waited for it (components.state.map_drawn)."""
    value = st.session_state.get(key) or {}
    if value.get("drawn"):
        state.map_drawn(sink=_sink_key(key))
        return
    event_id = value.get("event")
    if isinstance(event_id, str) and event_id:
        state.select(event_id)


def _sink_key(key: str) -> str:
    return f"{key}_drawn"


def _sink() -> None:
    """An empty fragment: the map's "drawn" report reruns it when nothing else waits."""


def show(
    events: pd.DataFrame,
    *,
    key: str,
    height: int = 560,
    compact: bool = False,
    selected: pd.Series | None = None,
    reports: pd.DataFrame | None = None,
    colour_by: str = "type",
    operation_colours: dict[str, str] | None = None,
    progression_of: pd.DataFrame | None = None,
    until: date | None = None,
) -> None:
    """The map and its legend; a click on a marker selects that event (no rerun on pan/zoom).

    In the incidents view pass the corpus as `reports`: popups then list each incident's sources.
    colour_by "operation" colours events by their named operation (`operation_colours`: the
    corpus's, components.state.operation_colours). With `progression_of` (the view before Play's
    cut-off) the places its operations' reports say were taken by `until` are drawn as rings in
    the colour of the side that took them.
    A new selection or the same view again does not reload the map: the component keeps its
    frame (same key) and redraws only what changed. Beside the map an empty fragment keyed
    `<key>_drawn` takes the map's "drawn" report when nothing waits for it
    (components.state.map_drawn).
    """
    selected_id = None if selected is None else str(selected["event_id"])
    taken = None if progression_of is None else taken_places(progression_of, until)
    _map_component(
        **map_args(
            events,
            compact=compact,
            height=height,
            selected=selected_id,
            reports=reports,
            colour_by=colour_by,
            operation_colours=operation_colours,
            taken=taken,
        ),
        key=key,
        default=None,
        on_change=lambda: _on_message(key),
    )
    st.fragment(_sink, key=_sink_key(key))()
    types, colours = categories(events[_located_mask(events)], colour_by, operation_colours)
    st.html(legend_html(colours, types.value_counts().to_dict()))
    if taken:
        st.html(taken_legend_html(taken))
    noun = "incidents" if "n_reports" in events else "events"
    located = len(types)
    if located > AGGREGATE_ABOVE:
        st.caption(
            f"{located:,} {noun}: circles count the {noun} in each area (finer as "
            f"you zoom in; click one to zoom). Narrow the filters below "
            f"{AGGREGATE_ABOVE:,} to see single {noun}."
        )
    missing = len(events) - located
    if missing:
        st.caption(f"{missing:,} of {len(events):,} {noun} have no place and are not on the map.")
