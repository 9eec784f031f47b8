"""The event map: a folium map built from the event frame, shown through st_folium.

Markers are not folium objects: one `EventLayer` element ships the events as compact JSON and
draws them in the browser (Python-side folium markers cost ~2 ms each on every rerun). One layer
per event type, each a plain group or, past CLUSTER_ABOVE events, a MarkerCluster group. A place
known only to city/region/country level gets a dashed marker inside a translucent area whose
radius is that uncertainty. The tooltip carries the event id, which st_folium returns on click.

Speed: the map's script reports a click at once (st_folium waits 250 ms), and reports once that
it has drawn its events, so that what waits for the map (components/deferred.py) can follow.
The map's HTML does not change with the selection (the ring is st_folium's feature group), so a
click does not reload the map; its payload is cached by a fingerprint of the shown columns,
remembered per frame.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import threading
import weakref

import folium
import numpy as np
import pandas as pd
import streamlit as st
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template
from streamlit_folium import st_folium

from components import incidents, offline, state
from components.format import (
    GEO_WORDS, UNCERTAINTY_M, UNTYPED, highlight, legend_html, type_colours,
    with_display_columns,
)

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
EVENT_MARK = re.compile(r"\[event:([^\]\s]+)\]")


def _json_for_script(value: object) -> str:
    """JSON that is safe inside an inline <script> (no '<', '>' or '&' characters)."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def event_id_from_tooltip(text: str | None) -> str | None:
    """The event id st_folium returned in last_object_clicked_tooltip, if any."""
    if not text:
        return None
    found = EVENT_MARK.findall(text)
    return found[-1] if found else None


def _codes(values: pd.Series, strings: dict[str, int]) -> list[int]:
    """Dictionary-encode values into strings (value -> index), returning each row's index."""
    inverse, uniques = pd.factorize(values, use_na_sentinel=False)
    mapping = np.array([strings.setdefault(str(u), len(strings)) for u in uniques], dtype=int)
    return mapping[inverse].tolist() if len(mapping) else []


def grid_cells(located: pd.DataFrame, type_codes: np.ndarray, n_types: int,
               cell: float) -> list[list]:
    """Counts per grid cell: [lat, lon, count, main type, deaths, count per type…] (vectorised)."""
    lat, lon = located["lat"].to_numpy(float), located["lon"].to_numpy(float)
    cells = pd.DataFrame({"y": np.floor(lat / cell).astype(np.int64),
                          "x": np.floor(lon / cell).astype(np.int64), "lat": lat, "lon": lon,
                          "t": type_codes,
                          "d": pd.to_numeric(located["fatalities"], errors="coerce")
                          .fillna(0).to_numpy(float)})
    grouped = cells.groupby(["y", "x"], sort=True)
    summary = grouped.agg(lat=("lat", "mean"), lon=("lon", "mean"), n=("t", "size"),
                          d=("d", "sum"))
    per_type = pd.crosstab([cells["y"], cells["x"]], cells["t"]).reindex(
        columns=range(n_types), fill_value=0).loc[summary.index]
    main = per_type.to_numpy().argmax(axis=1)
    return [[round(a, 4), round(b, 4), int(n), int(t), int(d), *map(int, counts)]
            for a, b, n, t, d, counts in zip(summary["lat"], summary["lon"], summary["n"], main,
                                             summary["d"], per_type.to_numpy())]


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
    told = told.sort_values(["published", "outlet", "event_id"], kind="mergesort",
                            na_position="last")
    html_of = {key: incidents.sources_html(part, limit=POPUP_SOURCES)
               for key, part in told.groupby(keys[told.index].to_numpy(), sort=False)}
    by_event = dict(zip(many["event_id"], wanted))
    return [html_of.get(by_event.get(event_id), "") for event_id in located["event_id"]]


def build_payload(events: pd.DataFrame, *, compact: bool = False,
                  with_excerpts: bool | None = None,
                  reports: pd.DataFrame | None = None) -> dict:
    """The located events as dictionary-encoded rows for EventLayer's script.

    Vectorised (10,000 events in ~0.1 s). Every string that reaches the browser as HTML is
    escaped here. In the incidents view (a frame from components.incidents.incident_view) each
    row is an incident, and with `reports` (the corpus) its popup lists its sources. Past
    AGGREGATE_ABOVE located events the rows are replaced by counts per grid cell.
    """
    located = events[_located_mask(events)]
    if len(located) > AGGREGATE_ABOVE:
        return _grid_payload(located, compact=compact)
    if with_excerpts is None:
        with_excerpts = len(located) <= POPUP_EXCERPTS_UP_TO and not compact
    located = with_display_columns(located)
    types = located["event_type"].replace("", UNTYPED)
    colours = type_colours(types.unique())
    type_names = sorted(colours)
    type_codes = types.map({name: i for i, name in enumerate(type_names)}).astype(int)
    strings: dict[str, int] = {}
    geo = located["geo_precision"].astype(str)
    where = (located["place"].replace("", "?").map(html.escape) + " · "
             + geo.map(lambda g: GEO_WORDS.get(g, html.escape(g))))
    actors = located["actors"].map(lambda a: html.escape(", ".join(a)) if len(a)
                                   else "actors unknown")
    base, cap = (3.5, 14.0) if compact else (5.0, 22.0)
    deaths = pd.to_numeric(located["fatalities"], errors="coerce").astype(float)
    radius = np.where(np.isnan(deaths), base,
                      np.minimum(base + 2.2 * np.sqrt(np.clip(deaths, 0, None)), cap)).round(1)
    columns = [
        located["event_id"].tolist(), located["lat"].round(5).tolist(),
        located["lon"].round(5).tolist(), type_codes.tolist(), radius.tolist(),
        (geo == "site").astype(int).tolist(),
        _codes(located["_when"], strings), _codes(where, strings), _codes(actors, strings),
        _codes(located["sub_event_type"].map(html.escape), strings),
        _codes(located["_deaths"], strings),
        (located["n_sources"].astype(int).tolist() if "n_sources" in located
         else [1] * len(located)),
    ]
    if with_excerpts:
        columns.append([highlight(x, s, offset=int(o)) for x, s, o in
                        zip(located["excerpt"], located["spans"], located["excerpt_start"])])
        columns.append(located["outlet"].replace("", "unknown outlet").map(html.escape).tolist())
        columns.append(_incident_sources(located, reports))
        columns.append(located["_told"].astype(int).tolist())
    rows = [list(row) for row in zip(*columns)]
    metres = geo.map(UNCERTAINTY_M).fillna(0)
    imprecise = located[metres.to_numpy() > 0]
    areas = pd.DataFrame({"lat": imprecise["lat"].round(4), "lon": imprecise["lon"].round(4),
                          "m": metres[metres > 0].astype(int)}).drop_duplicates()
    return {
        "types": [html.escape(name) for name in type_names],
        "colours": [colours[name] for name in type_names],
        "strings": list(strings),
        "rows": rows,
        "areas": areas.to_numpy().tolist(),
        "cluster": len(rows) > CLUSTER_ABOVE,
        "excerpts": bool(with_excerpts),
        "compact": compact,
        "sources": "../../Sources?event=",
        "grid": None,
    }


def _grid_payload(located: pd.DataFrame, *, compact: bool) -> dict:
    """Too many events to draw one by one: counts per grid cell at each zoom level."""
    types = located["event_type"].replace("", UNTYPED)
    colours = type_colours(types.unique())
    type_names = sorted(colours)
    codes = types.map({name: i for i, name in enumerate(type_names)}).astype(int).to_numpy()
    levels = [{"zoom": zoom, "cell": cell,
               "cells": grid_cells(located, codes, len(type_names), cell)}
              for zoom, cell in GRID_LEVELS]
    return {
        "types": [html.escape(name) for name in type_names],
        "colours": [colours[name] for name in type_names],
        "strings": [], "rows": [], "areas": [], "cluster": False, "excerpts": False,
        "compact": compact, "sources": "../../Sources?event=",
        "grid": levels, "total": len(located),
    }


_META_CACHE: dict[str, dict] = {}
_META_CACHE_SIZE = 64
_FINGERPRINT = ["event_id", "lat", "lon", "event_type", "sub_event_type", "geo_precision",
                "fatalities", "excerpt", "_when", "_deaths", "_told", "n_reports", "n_sources"]
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


def fingerprint(events: pd.DataFrame, compact: bool, reports: pd.DataFrame | None) -> str:
    """A digest of what the map draws of these events (their located rows' shown columns)."""
    key = f"{compact}{reports is not None}"
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


def _layer_meta(events: pd.DataFrame, compact: bool, reports: pd.DataFrame | None) -> dict:
    """EventLayer's inline data; the rows go to a hashed file (built once per distinct view)."""
    fingerprint_ = fingerprint(events, compact, reports)
    meta = _META_CACHE.get(fingerprint_)
    if meta is not None and offline.payload_exists(meta["url"]):
        return meta
    payload = build_payload(events, compact=compact, reports=reports)
    if payload["grid"]:
        counts = np.sum([cell[5:] for cell in payload["grid"][0]["cells"]], axis=0)
    else:
        counts = np.bincount([row[3] for row in payload["rows"]],
                             minlength=len(payload["types"]))
    meta = {
        "types": payload["types"], "colours": payload["colours"], "counts": counts.tolist(),
        "cluster": payload["cluster"], "compact": compact, "sources": payload["sources"],
        "grid": bool(payload["grid"]),
        "url": offline.write_payload(_json_for_script(payload)),
    }
    if len(_META_CACHE) >= _META_CACHE_SIZE:
        _META_CACHE.pop(next(iter(_META_CACHE)))
    _META_CACHE[fingerprint_] = meta
    return meta


class EventLayer(JSCSSMixin, MacroElement):
    """The events as one element: per-type groups (clustered when many) plus uncertainty areas."""

    _template = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function(map) {
  var D = {{ this.meta }};
  {# MarkerCluster needs a maxZoom on the map itself; folium only gives it to tile layers. #}
  map.setMaxZoom({{ this.max_zoom }});
  L.Icon.Default.imagePath = {{ this.image_path }};
  var style = document.createElement("style");
  style.textContent = ".leaflet-container{background:#d8e6ef}"
    + ".sitrep-cluster div{border-radius:50%;color:#fff;font:bold 12px/30px sans-serif;"
    + "text-align:center;width:30px;height:30px;opacity:.85;border:2px solid #fff}"
    + ".sitrep-popup blockquote{margin:.4em 0;padding-left:.5em;border-left:3px solid #bbb}"
    + ".hl-date{background:#fff3b0}.hl-place{background:#c8f0d4}.hl-actor{background:#d6e4ff}"
    + ".hl-fatal{background:#ffd2cc}.hl-trigger{background:none;color:inherit;text-decoration:underline dotted}";
  document.head.appendChild(style);
  {# The data were requested by prefetch.js (components/offline.py) while Leaflet loaded. #}
  function getJSON(url) {
    var early = window.sitrepPrefetched && window.sitrepPrefetched[url];
    return early || fetch(url).then(function(r) { return r.json(); });
  }
  getJSON({{ this.basemap }}).then(function(g) {
    var land = L.geoJSON(g, {interactive: false, style: {color: "#8a8a8a", weight: 1,
      fillColor: "#f4f1ea", fillOpacity: {{ this.land_opacity }}}});
    land.addTo(map); land.bringToBack();
  }).catch(function(e) { console.warn("basemap", e); });
  var areas = L.featureGroup().addTo(map);
  {# Groups and the layer control exist before the data arrive: st_folium binds its click
      handler to the layers present when the script ends, and clicks on markers bubble up.
      Counts per grid cell (very many events): a plain LayerGroup, whose clicks do not reach
      st_folium (a click on a cell zooms in, it selects nothing). #}
  var grid = L.layerGroup();
  var groups = D.grid ? [] : D.types.map(function(name, t) {
    var g = !D.cluster ? L.featureGroup() : L.markerClusterGroup({chunkedLoading: true,
      showCoverageOnHover: false, maxClusterRadius: 40, iconCreateFunction: function(c) {
        return L.divIcon({className: "sitrep-cluster", iconSize: [34, 34],
          html: '<div style="background:' + D.colours[t] + '">' + c.getChildCount() + "</div>"});
      }});
    return g.addTo(map);
  });
  {# st_folium reports a click after a 250 ms debounce. Report a marker's click at once with
      exactly the value st_folium would send (its returned_objects: the tooltip's text), and
      record it as sent, so that st_folium's own debounced report finds nothing new. #}
  function reportNow(e) {
    var G = window.__GLOBAL_DATA__, St = window.Streamlit, m = e.sourceTarget || e.layer;
    if (!G || !St || !St.setComponentValue || !m || !m.getTooltip || !m.getTooltip()) { return; }
    var wanted = G.returned_objects || [];
    if (wanted.length !== 1 || wanted[0] !== "last_object_clicked_tooltip") { return; }
    var span = document.createElement("span");
    span.innerHTML = m.getTooltip().getContent();
    var value = {last_object_clicked_tooltip: (span.textContent || span.innerText).trim()};
    if (JSON.stringify(G.previous_data) === JSON.stringify(value)) { return; }
    G.previous_data = value;
    St.setComponentValue(value);
  }
  groups.forEach(function(g) { g.on("click", reportNow); });
  {# One popup per group, built from the clicked marker's row when it opens (one per marker
      adds ~3 ms per 1,000 markers to the first paint, more on a busy machine). Bound after
      reportNow, so that the click is reported before the popup is laid out. #}
  var P = null;
  function popupHtml(m) {
    var r = m.sitrepRow, S = P.strings;
    this.options.maxWidth = r[14] ? 520 : 360;
    var told = !P.excerpts ? "<br>" : r[14]
      ? "<br><b>" + r[11] + " sources</b>" + r[14]
      : "<blockquote>" + r[12] + "</blockquote>" + r[13]
        + (r[15] > 1 ? " · told " + r[15] + " times" : "") + " · ";
    return '<div class="sitrep-popup"><b>' + S[r[6]] + "</b><br>" + S[r[7]] + "<br>"
      + D.types[r[3]] + " — " + S[r[9]] + "<br>" + S[r[8]] + "<br>" + S[r[10]]
      + told + '<a href="' + D.sources + encodeURIComponent(r[0])
      + '" target="_blank" rel="noopener">Open in Sources</a></div>';
  }
  if (!D.compact) { groups.forEach(function(g) { g.bindPopup(popupHtml, {maxWidth: 360}); }); }
  {# Once the events are drawn, say so (once per map): what waits for the map (the timeline
      beside it, components/deferred.py) is drawn then. A value of its own, so that st_folium's
      later reports (a click) compare with what it sent itself. #}
  function reportDrawn() {
    var G = window.__GLOBAL_DATA__, St = window.Streamlit;
    if (reportDrawn.done || !G || !St || !St.setComponentValue) { return; }
    reportDrawn.done = true;
    var value = {};
    for (var k in (G.previous_data || {})) { value[k] = G.previous_data[k]; }
    value.sitrep_drawn = D.url;
    St.setComponentValue(value);
  }
  var overlays = {};
  groups.forEach(function(g, t) {
    overlays['<span style="color:' + D.colours[t] + '">&#9679;</span> ' + D.types[t]
      + " (" + D.counts[t] + ")"] = g;
  });
  if (D.grid) { overlays["events per area"] = grid.addTo(map); }
  else { overlays["place uncertainty"] = areas; }
  function drawGrid(P) {
    var zoom = map.getZoom(), level = P.grid[P.grid.length - 1];
    for (var i = 0; i < P.grid.length; i++) { if (zoom <= P.grid[i].zoom) { level = P.grid[i]; break; } }
    if (grid._sitrepLevel === level) { return; }
    grid._sitrepLevel = level;
    grid.clearLayers();
    var most = 1;
    level.cells.forEach(function(c) { most = Math.max(most, c[2]); });
    level.cells.forEach(function(c) {
      var parts = [];
      for (var t = 0; t < D.types.length; t++) {
        if (c[5 + t]) { parts.push(D.types[t] + ": " + c[5 + t].toLocaleString()); }
      }
      var m = L.circleMarker([c[0], c[1]], {radius: 4 + 22 * Math.sqrt(c[2] / most),
        color: "#222", weight: 1, fillColor: D.colours[c[3]], fillOpacity: 0.7});
      m.bindTooltip("<b>" + c[2].toLocaleString() + " events</b>"
        + (c[4] ? " · " + c[4].toLocaleString() + " killed" : "") + "<br>" + parts.join("<br>")
        + "<br><i>click to zoom in</i>");
      m.on("click", function() { map.setView([c[0], c[1]], Math.min(zoom + 2, map.getMaxZoom())); });
      grid.addLayer(m);
    });
  }
  getJSON(D.url).then(function(data) {
    P = data;
    if (P.grid) {
      drawGrid(P);
      map.on("zoomend", function() { drawGrid(P); });
      document.body.setAttribute("data-sitrep-events", P.total);
      document.body.setAttribute("data-sitrep-cells", grid.getLayers().length);
      reportDrawn();
      return;
    }
    var S = P.strings;
    P.areas.forEach(function(a) {
      L.circle([a[0], a[1]], {radius: a[2], interactive: false, color: "#666", weight: 1,
        dashArray: "4 4", fillColor: "#888", fillOpacity: 0.12}).addTo(areas);
    });
    {# A marker's tooltip (which carries its event id, for st_folium's click report) is bound
        when the marker is first put on the map: most sit inside clusters, and binding all
        10,000 up front took ~0.07 s of the ~0.23 s the drawing took on first paint. #}
    map.on("layeradd", function(e) {
      var m = e.layer, r = m.sitrepRow;
      if (!r || m.getTooltip()) { return; }
      var many = r[11] > 1 ? " · " + r[11] + " sources" : "";
      m.bindTooltip("<b>" + S[r[6]] + "</b> · " + S[r[7]] + many + "<br>" + D.types[r[3]]
        + " — " + S[r[9]] + '<span style="display:none">[event:' + r[0] + "]</span>");
    });
    var markers = D.types.map(function() { return []; });
    P.rows.forEach(function(r) {
      var colour = D.colours[r[3]];
      var m = L.circleMarker([r[1], r[2]], r[5] ? {radius: r[4], color: "#222", weight: 1,
          fillColor: colour, fillOpacity: 0.85}
        : {radius: r[4], color: colour, weight: 1.5, dashArray: "3 3", fillColor: colour,
          fillOpacity: 0.4});
      if (r[11] > 1) { m.setStyle({weight: 3, color: "#222"}); }
      m.sitrepRow = r;
      markers[r[3]].push(m);
    });
    groups.forEach(function(g, t) {
      if (D.cluster) { g.addLayers(markers[t]); }
      else { markers[t].forEach(function(m) { g.addLayer(m); }); }
    });
    document.body.setAttribute("data-sitrep-events", P.rows.length);
    requestAnimationFrame(function() { setTimeout(reportDrawn, 0); });
  }).catch(function(e) { console.error("sitrep events", e); reportDrawn(); });
  L.control.layers(null, overlays, {collapsed: {{ this.collapsed }}}).addTo(map);
  return groups;
})({{ this._parent.get_name() }});
{% endmacro %}
""")

    def __init__(self, events: pd.DataFrame, *, compact: bool = False,
                 land_opacity: float = 1.0, max_zoom: int = 14,
                 reports: pd.DataFrame | None = None) -> None:
        super().__init__()
        self.max_zoom = int(max_zoom)
        self._name = "EventLayer"
        meta = _layer_meta(events, compact, reports)
        self.meta = _json_for_script(meta)
        self.cluster = meta["cluster"]
        box = _bounds(events)
        bounds = None if box is None else (box[0][1], box[0][0], box[1][1], box[1][0])
        self.basemap_url = offline.basemap_url(bounds)
        self.payload_url = meta["url"]
        self.basemap = _json_for_script(self.basemap_url)
        self.image_path = _json_for_script(offline.leaflet_images())
        self.land_opacity = land_opacity
        self.collapsed = "true"
        self.default_js = []  # the cluster plugin comes with Leaflet (build_map)
        self.default_css = offline.cluster_css() if self.cluster else []


def build_map(events: pd.DataFrame, *, compact: bool = False,
              tiles: str | None = None, attribution: str | None = None,
              reports: pd.DataFrame | None = None) -> folium.Map:
    """A folium map of the located events; every asset link points at this server.

    tiles: a tile URL template (e.g. an internal tile server); default $SITREP_TILES, and
    none when unset, so that no request leaves the machine. reports: the corpus's reports,
    for the sources in an incident's popup when `events` is an incidents view.
    """
    tiles = tiles if tiles is not None else os.environ.get(TILES_ENV, "").strip() or None
    fmap = folium.Map(location=[35.5, 41.0], zoom_start=6, tiles=None, prefer_canvas=True,
                      min_zoom=2, control_scale=not compact,
                      zoom_control=not compact)
    fmap.default_css = offline.leaflet_css()
    if tiles:
        folium.TileLayer(
            tiles=tiles, name="tiles", control=False, max_zoom=18,
            attr=attribution or os.environ.get(TILES_ATTRIBUTION_ENV, "") or "tiles",
        ).add_to(fmap)
    max_zoom = 18 if tiles else 14
    layer = EventLayer(events, compact=compact, land_opacity=0.35 if tiles else 1.0,
                       max_zoom=max_zoom, reports=reports)
    layer.add_to(fmap)
    # st_folium loads these one after the other: first a tiny script that starts fetching the
    # events and the basemap, then Leaflet with its cluster plugin in one file.
    fmap.default_js = [
        ("sitrep_prefetch", offline.prefetch_js([layer.payload_url, layer.basemap_url])),
        ("leaflet", offline.leaflet_bundle()),
    ]
    box = _bounds(events)
    if box is not None:
        pad = 0.3
        fmap.fit_bounds([[box[0][0] - pad, box[0][1] - pad],
                         [box[1][0] + pad, box[1][1] + pad]], max_zoom=10)
    return fmap


def _bounds(events: pd.DataFrame) -> list[list[float]] | None:
    """[[south, west], [north, east]] of the located events, or None."""
    mask = _located_mask(events)
    if not mask.any():
        return None
    lat = events["lat"].to_numpy(float)[mask]
    lon = events["lon"].to_numpy(float)[mask]
    return [[float(lat.min()), float(lon.min())], [float(lat.max()), float(lon.max())]]


def selection_ring(event: pd.Series | None) -> folium.FeatureGroup | None:
    """A ring around the selected event, added without reloading the map."""
    if event is None or pd.isna(event.get("lat")) or pd.isna(event.get("lon")):
        return None
    group = folium.FeatureGroup(name="selected", control=False)
    folium.CircleMarker(
        location=[float(event["lat"]), float(event["lon"])], radius=16, color="#111",
        weight=3, fill=False, interactive=False,
    ).add_to(group)
    return group


def _on_click(key: str) -> None:
    """st_folium's change callback: select the event whose tooltip was clicked; or, for the
    map's report that it has drawn, rerun what waited for it (components.state.map_drawn)."""
    value = st.session_state.get(key) or {}
    if value.get("sitrep_drawn"):
        state.map_drawn(sink=_sink_key(key))
        return
    event_id = event_id_from_tooltip(value.get("last_object_clicked_tooltip"))
    if event_id:
        state.select(event_id)


def _sink_key(key: str) -> str:
    return f"{key}_drawn"


def _sink() -> None:
    """An empty fragment: the map's "drawn" report reruns it when nothing else waits."""


def show(events: pd.DataFrame, *, key: str, height: int = 560, compact: bool = False,
         selected: pd.Series | None = None, reports: pd.DataFrame | None = None) -> None:
    """The map and its legend; a click on a marker selects that event (no rerun on pan/zoom).

    In the incidents view pass the corpus as `reports`: popups then list each incident's sources.
    Beside the map an empty fragment keyed `<key>_drawn` takes the map's "drawn" report when
    nothing waits for it (components.state.map_drawn).
    """
    offline.register()
    fmap = build_map(events, compact=compact, reports=reports)
    ring = selection_ring(selected)
    st_folium(
        fmap, key=key, height=height, use_container_width=True,
        returned_objects=["last_object_clicked_tooltip"],
        feature_group_to_add=ring, on_change=lambda: _on_click(key),
    )
    st.fragment(_sink, key=_sink_key(key))()
    types = events["event_type"][_located_mask(events)].replace("", UNTYPED)
    counts = types.value_counts().to_dict()
    st.html(legend_html(type_colours(types.unique()), counts))
    noun = "incidents" if "n_reports" in events else "events"
    located = len(types)
    if located > AGGREGATE_ABOVE:
        st.caption(f"{located:,} {noun}: circles count the {noun} in each area (finer as "
                   f"you zoom in; click one to zoom). Narrow the filters below "
                   f"{AGGREGATE_ABOVE:,} to see single {noun}.")
    missing = len(events) - located
    if missing:
        st.caption(f"{missing:,} of {len(events):,} {noun} have no place and are not on the map.")
