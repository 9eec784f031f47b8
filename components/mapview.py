"""The event map: a folium map built from the event frame, shown through st_folium.

Markers are not folium objects: one `EventLayer` element ships the events as compact JSON and
draws them in the browser (Python-side folium markers cost ~2 ms each on every rerun). One layer
per event type, each a plain group or, past CLUSTER_ABOVE events, a MarkerCluster group. A place
known only to city/region/country level gets a dashed marker inside a translucent area whose
radius is that uncertainty. The tooltip carries the event id, which st_folium returns on click.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re

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
    located = events[events["lat"].notna() & events["lon"].notna()]
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
                "fatalities", "excerpt", "_when", "_deaths", "n_reports", "n_sources"]


def _layer_meta(events: pd.DataFrame, compact: bool, reports: pd.DataFrame | None) -> dict:
    """EventLayer's inline data; the rows go to a hashed file (built once per distinct view)."""
    located = events[events["lat"].notna() & events["lon"].notna()]
    columns = [c for c in _FINGERPRINT if c in located]
    fingerprint = hashlib.sha256(
        pd.util.hash_pandas_object(located[columns], index=False).to_numpy()
        .tobytes() + f"{compact}{reports is not None}".encode()).hexdigest()
    meta = _META_CACHE.get(fingerprint)
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
    _META_CACHE[fingerprint] = meta
    return meta


class EventLayer(JSCSSMixin, MacroElement):
    """The events as one element: per-type groups (clustered when many) plus uncertainty areas."""

    _template = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function(map) {
  var D = {{ this.meta }};
  // MarkerCluster needs a maxZoom on the map itself; folium only gives it to tile layers.
  map.setMaxZoom({{ this.max_zoom }});
  L.Icon.Default.imagePath = {{ this.image_path }};
  var style = document.createElement("style");
  style.textContent = ".leaflet-container{background:#d8e6ef}"
    + ".sitrep-cluster div{border-radius:50%;color:#fff;font:bold 12px/30px sans-serif;"
    + "text-align:center;width:30px;height:30px;opacity:.85;border:2px solid #fff}"
    + ".sitrep-popup blockquote{margin:.4em 0;padding-left:.5em;border-left:3px solid #bbb}"
    + ".hl-date{background:#fff3b0}.hl-place{background:#c8f0d4}.hl-actor{background:#d6e4ff}"
    + ".hl-fatal{background:#ffd2cc}.hl-trigger{text-decoration:underline dotted}";
  document.head.appendChild(style);
  fetch({{ this.basemap }}).then(function(r) { return r.json(); }).then(function(g) {
    var land = L.geoJSON(g, {interactive: false, style: {color: "#8a8a8a", weight: 1,
      fillColor: "#f4f1ea", fillOpacity: {{ this.land_opacity }}}});
    land.addTo(map); land.bringToBack();
  }).catch(function(e) { console.warn("basemap", e); });
  var areas = L.featureGroup().addTo(map);
  // Groups and the layer control exist before the data arrive: st_folium binds its click
  // handler to the layers present when the script ends, and clicks on markers bubble up.
  // Counts per grid cell (very many events): a plain LayerGroup, whose clicks do not reach
  // st_folium (a click on a cell zooms in, it selects nothing).
  var grid = L.layerGroup();
  var groups = D.grid ? [] : D.types.map(function(name, t) {
    var g = !D.cluster ? L.featureGroup() : L.markerClusterGroup({chunkedLoading: true,
      showCoverageOnHover: false, maxClusterRadius: 40, iconCreateFunction: function(c) {
        return L.divIcon({className: "sitrep-cluster", iconSize: [34, 34],
          html: '<div style="background:' + D.colours[t] + '">' + c.getChildCount() + "</div>"});
      }});
    return g.addTo(map);
  });
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
  fetch(D.url).then(function(r) { return r.json(); }).then(function(P) {
    if (P.grid) {
      drawGrid(P);
      map.on("zoomend", function() { drawGrid(P); });
      document.body.setAttribute("data-sitrep-events", P.total);
      document.body.setAttribute("data-sitrep-cells", grid.getLayers().length);
      return;
    }
    var S = P.strings;
    P.areas.forEach(function(a) {
      L.circle([a[0], a[1]], {radius: a[2], interactive: false, color: "#666", weight: 1,
        dashArray: "4 4", fillColor: "#888", fillOpacity: 0.12}).addTo(areas);
    });
    var markers = D.types.map(function() { return []; });
    P.rows.forEach(function(r) {
      var colour = D.colours[r[3]];
      var m = L.circleMarker([r[1], r[2]], r[5] ? {radius: r[4], color: "#222", weight: 1,
          fillColor: colour, fillOpacity: 0.85}
        : {radius: r[4], color: colour, weight: 1.5, dashArray: "3 3", fillColor: colour,
          fillOpacity: 0.4});
      var many = r[11] > 1 ? " · " + r[11] + " sources" : "";
      if (r[11] > 1) { m.setStyle({weight: 3, color: "#222"}); }
      m.bindTooltip("<b>" + S[r[6]] + "</b> · " + S[r[7]] + many + "<br>" + D.types[r[3]]
        + " — " + S[r[9]] + '<span style="display:none">[event:' + r[0] + "]</span>");
      if (!D.compact) {
        m.bindPopup(function() {
          var told = !P.excerpts ? "<br>" : r[14]
            ? "<br><b>" + r[11] + " sources</b>" + r[14]
            : "<blockquote>" + r[12] + "</blockquote>" + r[13] + " · ";
          return '<div class="sitrep-popup"><b>' + S[r[6]] + "</b><br>" + S[r[7]] + "<br>"
            + D.types[r[3]] + " — " + S[r[9]] + "<br>" + S[r[8]] + "<br>" + S[r[10]]
            + told + '<a href="' + D.sources + encodeURIComponent(r[0])
            + '" target="_blank" rel="noopener">Open in Sources</a></div>';
        }, {maxWidth: r[14] ? 520 : 360});
      }
      markers[r[3]].push(m);
    });
    groups.forEach(function(g, t) {
      if (D.cluster) { g.addLayers(markers[t]); }
      else { markers[t].forEach(function(m) { g.addLayer(m); }); }
    });
    document.body.setAttribute("data-sitrep-events", P.rows.length);
  }).catch(function(e) { console.error("sitrep events", e); });
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
        self.meta = _json_for_script(_layer_meta(events, compact, reports))
        self.cluster = json.loads(self.meta)["cluster"]
        located = events[events["lat"].notna() & events["lon"].notna()]
        bounds = None
        if len(located):
            bounds = (float(located["lon"].min()), float(located["lat"].min()),
                      float(located["lon"].max()), float(located["lat"].max()))
        self.basemap = _json_for_script(offline.basemap_url(bounds))
        self.image_path = _json_for_script(offline.leaflet_images())
        self.land_opacity = land_opacity
        self.collapsed = "true"
        self.default_js = offline.cluster_js() if self.cluster else []
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
    fmap.default_js = offline.leaflet_js()
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
    located = events[events["lat"].notna() & events["lon"].notna()]
    if len(located):
        lat, lon = located["lat"].to_numpy(float), located["lon"].to_numpy(float)
        pad = 0.3
        fmap.fit_bounds([[np.min(lat) - pad, np.min(lon) - pad],
                         [np.max(lat) + pad, np.max(lon) + pad]], max_zoom=10)
    return fmap


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
    """st_folium's change callback: select the event whose tooltip was clicked."""
    value = st.session_state.get(key) or {}
    event_id = event_id_from_tooltip(value.get("last_object_clicked_tooltip"))
    if event_id:
        state.select(event_id)


def show(events: pd.DataFrame, *, key: str, height: int = 560, compact: bool = False,
         selected: pd.Series | None = None, reports: pd.DataFrame | None = None) -> None:
    """The map and its legend; a click on a marker selects that event (no rerun on pan/zoom).

    In the incidents view pass the corpus as `reports`: popups then list each incident's sources.
    """
    offline.register()
    fmap = build_map(events, compact=compact, reports=reports)
    ring = selection_ring(selected)
    st_folium(
        fmap, key=key, height=height, use_container_width=True,
        returned_objects=["last_object_clicked_tooltip"],
        feature_group_to_add=ring, on_change=lambda: _on_click(key),
    )
    located = events[events["lat"].notna()]
    types = located["event_type"].replace("", UNTYPED)
    counts = types.value_counts().to_dict()
    st.html(legend_html(type_colours(types.unique()), counts))
    noun = "incidents" if "n_reports" in events else "events"
    if len(located) > AGGREGATE_ABOVE:
        st.caption(f"{len(located):,} {noun}: circles count the {noun} in each area (finer as "
                   f"you zoom in; click one to zoom). Narrow the filters below "
                   f"{AGGREGATE_ABOVE:,} to see single {noun}.")
    missing = len(events) - len(located)
    if missing:
        st.caption(f"{missing:,} of {len(events):,} {noun} have no place and are not on the map.")
