"""The event map: a folium map built from the event frame, shown through st_folium.

Markers are not folium objects: one `EventLayer` element ships the events as compact JSON and
draws them in the browser (Python-side folium markers cost ~2 ms each on every rerun). One layer
per event type, each a plain group or, past CLUSTER_ABOVE events, a MarkerCluster group. A place
known only to city/region/country level gets a dashed marker inside a translucent area whose
radius is that uncertainty. The tooltip carries the event id, which st_folium returns on click.
"""

from __future__ import annotations

import html
import json
import math
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

from components import offline, state
from components.format import (
    GEO_WORDS, UNCERTAINTY_M, UNTYPED, date_words, fatalities_words, highlight, legend_html,
    type_colours,
)

CLUSTER_ABOVE = 1500
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


def radius_px(fatalities: object, *, compact: bool = False) -> float:
    """Marker radius in pixels: grows with the square root of deaths; unknown deaths = smallest."""
    base, cap = (3.5, 14.0) if compact else (5.0, 22.0)
    if fatalities is None or pd.isna(fatalities):
        return base
    return round(min(base + 2.2 * math.sqrt(max(int(fatalities), 0)), cap), 1)


def build_payload(events: pd.DataFrame, *, compact: bool = False,
                  with_excerpts: bool | None = None) -> dict:
    """The located events as dictionary-encoded rows for EventLayer's script.

    Every string that reaches the browser as HTML is escaped here.
    """
    located = events[events["lat"].notna() & events["lon"].notna()]
    if with_excerpts is None:
        with_excerpts = len(located) <= POPUP_EXCERPTS_UP_TO and not compact
    types = located["event_type"].replace("", UNTYPED)
    colours = type_colours(types.unique())
    type_names = sorted(colours)
    type_index = {name: i for i, name in enumerate(type_names)}
    strings: dict[str, int] = {}

    def code(value: str) -> int:
        return strings.setdefault(value, len(strings))

    rows = []
    areas: dict[tuple[float, float, str], int] = {}
    for row, event_type in zip(located.itertuples(index=False), types):
        precise = row.geo_precision == "site"
        when = date_words(row.date_start, row.date_end, row.date_precision)
        place = html.escape(row.place or "?")
        where = f"{place} · {GEO_WORDS.get(row.geo_precision, html.escape(row.geo_precision))}"
        actors = html.escape(", ".join(row.actors)) if len(row.actors) else "actors unknown"
        sub = html.escape(row.sub_event_type)
        deaths = fatalities_words(row.fatalities, row.fatalities_low, row.fatalities_high)
        item = [
            row.event_id, round(float(row.lat), 5), round(float(row.lon), 5),
            type_index[event_type], radius_px(row.fatalities, compact=compact), int(precise),
            code(when), code(where), code(actors), code(sub), code(deaths),
        ]
        if with_excerpts:
            item.append(highlight(row.excerpt, row.spans, offset=int(row.excerpt_start)))
            item.append(html.escape(row.outlet or "unknown outlet"))
        rows.append(item)
        metres = UNCERTAINTY_M.get(row.geo_precision, 0)
        if metres:
            key = (round(float(row.lat), 4), round(float(row.lon), 4), row.geo_precision)
            areas[key] = metres
    return {
        "types": [html.escape(name) for name in type_names],
        "colours": [colours[name] for name in type_names],
        "strings": list(strings),
        "rows": rows,
        "areas": [[lat, lon, metres] for (lat, lon, _), metres in areas.items()],
        "cluster": len(rows) > CLUSTER_ABOVE,
        "excerpts": bool(with_excerpts),
        "compact": compact,
        "sources": "../../Sources?event=",
    }


class EventLayer(JSCSSMixin, MacroElement):
    """The events as one element: per-type groups (clustered when many) plus uncertainty areas."""

    _template = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function(map) {
  var D = {{ this.payload }};
  var S = D.strings;
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
  var areas = L.featureGroup();
  D.areas.forEach(function(a) {
    L.circle([a[0], a[1]], {radius: a[2], interactive: false, color: "#666", weight: 1,
      dashArray: "4 4", fillColor: "#888", fillOpacity: 0.12}).addTo(areas);
  });
  areas.addTo(map);
  var groups = D.types.map(function(name, t) {
    if (!D.cluster) { return L.featureGroup(); }
    return L.markerClusterGroup({chunkedLoading: true, showCoverageOnHover: false,
      maxClusterRadius: 40, iconCreateFunction: function(c) {
        return L.divIcon({className: "sitrep-cluster", iconSize: [34, 34],
          html: '<div style="background:' + D.colours[t] + '">' + c.getChildCount() + "</div>"});
      }});
  });
  var markers = D.types.map(function() { return []; });
  D.rows.forEach(function(r) {
    var colour = D.colours[r[3]];
    var m = L.circleMarker([r[1], r[2]], r[5] ? {radius: r[4], color: "#222", weight: 1,
        fillColor: colour, fillOpacity: 0.85}
      : {radius: r[4], color: colour, weight: 1.5, dashArray: "3 3", fillColor: colour,
        fillOpacity: 0.4});
    m.bindTooltip("<b>" + S[r[6]] + "</b> · " + S[r[7]] + "<br>" + D.types[r[3]] + " — "
      + S[r[9]] + '<span style="display:none">[event:' + r[0] + "]</span>");
    if (!D.compact) {
      m.bindPopup(function() {
        return '<div class="sitrep-popup"><b>' + S[r[6]] + "</b><br>" + S[r[7]] + "<br>"
          + D.types[r[3]] + " — " + S[r[9]] + "<br>" + S[r[8]] + "<br>" + S[r[10]]
          + (D.excerpts ? "<blockquote>" + r[11] + "</blockquote>" + r[12] + " · " : "<br>")
          + '<a href="' + D.sources + encodeURIComponent(r[0])
          + '" target="_blank" rel="noopener">Open in Sources</a></div>';
      }, {maxWidth: 360});
    }
    markers[r[3]].push(m);
  });
  var overlays = {};
  groups.forEach(function(g, t) {
    if (D.cluster) { g.addLayers(markers[t]); } else { markers[t].forEach(function(m) { g.addLayer(m); }); }
    g.addTo(map);
    overlays['<span style="color:' + D.colours[t] + '">&#9679;</span> ' + D.types[t]
      + " (" + markers[t].length + ")"] = g;
  });
  overlays["place uncertainty"] = areas;
  L.control.layers(null, overlays, {collapsed: {{ this.collapsed }}}).addTo(map);
  return groups;
})({{ this._parent.get_name() }});
{% endmacro %}
""")

    def __init__(self, events: pd.DataFrame, *, compact: bool = False,
                 land_opacity: float = 1.0, max_zoom: int = 14) -> None:
        super().__init__()
        self.max_zoom = int(max_zoom)
        self._name = "EventLayer"
        payload = build_payload(events, compact=compact)
        self.payload = _json_for_script(payload)
        self.cluster = payload["cluster"]
        self.count = len(payload["rows"])
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
              tiles: str | None = None, attribution: str | None = None) -> folium.Map:
    """A folium map of the located events; every asset link points at this server.

    tiles: a tile URL template (e.g. an internal tile server); default $SITREP_TILES, and
    none when unset, so that no request leaves the machine.
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
                       max_zoom=max_zoom)
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
         selected: pd.Series | None = None) -> None:
    """The map and its legend; a click on a marker selects that event (no rerun on pan/zoom)."""
    offline.register()
    fmap = build_map(events, compact=compact)
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
    missing = len(events) - len(located)
    if missing:
        st.caption(f"{missing} of {len(events)} events have no place and are not on the map.")
