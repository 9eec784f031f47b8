"""A map view as one standalone, offline HTML file, built with folium (no streamlit here).

The file opens in any browser without a network: Leaflet's script and style are inlined from the
map component's vendor folder (its images as data: URIs), none of folium's CDN links is kept, and
the basemap is the component's own (countries, first-level divisions, rivers and lakes, and the
names of places by zoom). Each
place with events is a circle in the colour of their commonest type (larger, ringed, when it
holds several), whose popup lists its events; their words (article text, untrusted) are
HTML-escaped before folium places them. GeoNames and Natural Earth are attributed on the map.
"""

from __future__ import annotations

import base64
import functools
import html
import json
import math
from pathlib import Path

import pandas as pd

from components.format import UNTYPED, type_colours

MAPFRAME = Path(__file__).resolve().parent / "mapframe"
LEAFLET = MAPFRAME / "vendor" / "leaflet"
WORLD = MAPFRAME / "basemap" / "world.geojson"
LABELS = MAPFRAME / "basemap" / "labels.json"
STYLE = MAPFRAME / "map.css"
REGION = MAPFRAME / "basemap" / "region.geojson"
DIVISIONS = MAPFRAME / "basemap" / "divisions.geojson"
# lon_min, lat_min, lon_max, lat_max of REGION (components/assets/build_basemap.py).
REGION_BOX = (24.0, 12.0, 63.0, 44.0)
ATTRIBUTION = (
    'Borders, divisions, rivers: <a href="https://www.naturalearthdata.com/">Natural Earth</a> · '
    'places: © <a href="https://www.geonames.org/">GeoNames</a> (CC BY 4.0) · Sitrep'
)
# The component's basemap look (components/mapframe/map.js STYLES; map.css is inlined).
BASEMAP_STYLES = {
    "country": {"color": "#8a8a8a", "weight": 1, "fillColor": "#f4f1ea", "fillOpacity": 1},
    "division": {"color": "#a99f94", "weight": 0.8, "opacity": 0.9, "dashArray": "4 3", "fill": False},
    "lake": {"color": "#7fa8c9", "weight": 0.8, "fillColor": "#d8e6ef", "fillOpacity": 1},
    "river": {"color": "#7fa8c9", "weight": 1.2, "fill": False},
}
# The fields of an event in its popup, in order.
POPUP_FIELDS = {
    "when": "When",
    "place": "Place",
    "type": "Type",
    "sides": "Sides",
    "deaths": "Deaths",
    "source": "Source",
    "sentence": "Sentence",
}
# A point's popup lists at most this many of the events there (a stack of reports at one town).
POPUP_EVENTS = 25
# Past this many events the file would pass tens of MB (each carries its sentence).
MAX_EVENTS = 20_000


# The basemap's names (town, city, division, country), each drawn from its zoom on, as the
# dashboard's map draws them (components/mapframe/map.js drawLabels), in a pane under the events.
LABELS_JS = """(function (map, labels) {
  var pane = map.createPane("labels");
  pane.style.zIndex = 380;
  pane.style.pointerEvents = "none";
  var KINDS = {town: 1, city: 1, capital: 1, division: 1, country: 1};
  function escapeText(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }
  function draw() {
    var zoom = map.getZoom(), bounds = map.getBounds().pad(0.1), html = [];
    for (var i = 0; i < labels.length && html.length <= 400; i++) {
      var l = labels[i];  // [name, lat, lon, first zoom, kind(, last zoom)]
      if (l[3] > zoom || (l[5] && l[5] < zoom) || !bounds.contains([l[1], l[2]])) { continue; }
      var p = map.latLngToLayerPoint([l[1], l[2]]);
      html.push('<div class="sitrep-label ' + (KINDS[l[4]] ? l[4] : "town") + '" style="left:' + p.x
        + "px;top:" + p.y + 'px">' + escapeText(l[0]) + "</div>");
    }
    pane.innerHTML = html.join("");
  }
  map.on("zoomend moveend", draw);
  draw();
})(%(map)s, %(labels)s);"""


def _js_value(value: object) -> str:
    """A value as JavaScript, safe inside a script element (no "</script>" can close it)."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")


@functools.cache
def _map_script() -> type:
    """folium's element for a script run once its parent map exists (defined on the first
    download: importing folium would cost every first run of the Map page ~0.3 s)."""
    from branca.element import MacroElement
    from jinja2 import Template

    class MapScript(MacroElement):
        _template = Template("{% macro script(this, kwargs) %}{{ this.js }}{% endmacro %}")

        def __init__(self, js: str) -> None:
            super().__init__()
            self._name = "MapScript"
            self.js = js

    return MapScript


def _leaflet_css() -> str:
    """leaflet.css with its images inlined (a file next to nobody's images, fetched by nobody)."""
    css = (LEAFLET / "leaflet.css").read_text(encoding="utf-8")
    for image in sorted((LEAFLET / "images").glob("*.png")):
        data = base64.b64encode(image.read_bytes()).decode("ascii")
        css = css.replace(f"url(images/{image.name})", f"url(data:image/png;base64,{data})")
    return css


def _script(source: str) -> str:
    """A script element with source inlined ("</" written so that it cannot close the element)."""
    return "<script>" + source.replace("</", "<\\/") + "</script>"


def _when(row: pd.Series) -> str:
    start = pd.to_datetime(row.get("date_start"), errors="coerce")
    end = pd.to_datetime(row.get("date_end"), errors="coerce")
    if pd.isna(start):
        return ""
    days = f"{start:%Y-%m-%d}" if pd.isna(end) or end == start else f"{start:%Y-%m-%d} – {end:%Y-%m-%d}"
    precision = row.get("date_precision") or ""
    return f"{days} ({precision})" if precision and precision != "day" else days


def _sides(value: object) -> object:
    if isinstance(value, str) and value.startswith("["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _deaths(row: pd.Series) -> str:
    value = row.get("fatalities")
    return "not reported" if value is None or pd.isna(value) else str(int(value))


def _event_words(row: pd.Series) -> dict[str, str]:
    """One event's popup fields, in words, not yet escaped."""
    event_type = row.get("event_type") or UNTYPED
    kind = event_type if not row.get("sub_event_type") else f"{event_type}: {row.get('sub_event_type')}"
    source = " · ".join(str(v) for v in (row.get("outlet"), row.get("title")) if v and not pd.isna(v))
    sides = _sides(row.get("actors"))
    return {
        "when": _when(row),
        "place": "" if pd.isna(row.get("place")) else str(row.get("place") or ""),
        "type": kind,
        "sides": ", ".join(str(s) for s in sides) if isinstance(sides, list | tuple) else str(sides or ""),
        "deaths": _deaths(row),
        "source": source,
        "sentence": "" if pd.isna(row.get("excerpt")) else str(row.get("excerpt") or ""),
    }


def _popup_html(events: list[dict[str, str]]) -> str:
    """The popup of one point: each event's fields as "label: words", every word escaped."""
    blocks = []
    for words in events[:POPUP_EVENTS]:
        lines = [
            f"<b>{html.escape(label)}</b>: {html.escape(words[field], quote=True)}"
            for field, label in POPUP_FIELDS.items()
            if words[field]
        ]
        blocks.append("<br>".join(lines))
    more = len(events) - POPUP_EVENTS
    if more > 0:
        blocks.append(f"<i>and {more:,} more events at this point</i>")
    head = f"<b>{len(events):,} events at this point</b><hr>" if len(events) > 1 else ""
    return head + "<hr>".join(blocks)


def event_features(events: pd.DataFrame) -> dict:
    """The located events as a GeoJSON FeatureCollection, one point per place: its events' popup
    (escaped HTML), their count and the colour of their commonest type."""
    types = events["event_type"].fillna("").replace("", UNTYPED) if len(events) else pd.Series(dtype=str)
    colours = type_colours(types.unique())
    at_point: dict[tuple[float, float], list[tuple[str, dict[str, str]]]] = {}
    for (_, row), event_type in zip(events.iterrows(), types, strict=True):
        lat, lon = row.get("lat"), row.get("lon")
        if lat is None or lon is None or pd.isna(lat) or pd.isna(lon):
            continue
        at_point.setdefault((float(lat), float(lon)), []).append((event_type, _event_words(row)))
    features = []
    for (lat, lon), found in at_point.items():
        commonest = pd.Series([t for t, _ in found]).value_counts().index[0]
        properties = {
            "popup": _popup_html([words for _, words in found]),
            "count": len(found),
            "colour": colours[commonest],
        }
        geometry = {"type": "Point", "coordinates": [lon, lat]}
        features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


def _in_region(bounds: list[list[float]] | None) -> bool:
    """Whether the events lie in the regional basemap's box."""
    if not bounds:
        return False
    (south, west), (north, east) = bounds
    x0, y0, x1, y1 = REGION_BOX
    return x0 <= west and east <= x1 and y0 <= south and north <= y1


def _labels(regional: bool) -> list[list]:
    """The basemap's names: in the region's box for the regional basemap, else those drawn up to
    zoom 6 (countries and the largest cities; the world basemap has no more detail)."""
    labels = json.loads(LABELS.read_text(encoding="utf-8"))["labels"]
    if regional:
        x0, y0, x1, y1 = REGION_BOX
        return [row for row in labels if x0 <= row[2] <= x1 and y0 <= row[1] <= y1]
    return [row for row in labels if row[3] <= 6]


def map_html(events: pd.DataFrame, *, title: str = "Sitrep map") -> str:
    """One standalone HTML file of the events' map (see the module's docstring). Raises
    ValueError past MAX_EVENTS events."""
    if len(events) > MAX_EVENTS:
        raise ValueError(f"Expected at most {MAX_EVENTS:,} events for an HTML map, got {len(events):,}")
    import folium
    from branca.element import Element

    points = event_features(events)
    coords = [f["geometry"]["coordinates"] for f in points["features"]]
    bounds = (
        [[min(c[1] for c in coords), min(c[0] for c in coords)], [max(c[1] for c in coords), max(c[0] for c in coords)]]
        if coords
        else None
    )
    fmap = folium.Map(location=[34.0, 40.0], zoom_start=5, tiles=None, prefer_canvas=True, control_scale=True)
    # no CDN: Leaflet inlined below, and nothing else of folium's defaults is used
    fmap.default_js = []
    fmap.default_css = []
    root = fmap.get_root()
    root.title = html.escape(title)
    style = STYLE.read_text(encoding="utf-8")
    root.header.add_child(Element(f"<style>{_leaflet_css()}\n{style}</style>"))
    root.header.add_child(Element(_script((LEAFLET / "leaflet.js").read_text(encoding="utf-8"))))
    # Leaflet's BSD licence travels with its copy
    notice = (LEAFLET / "LICENSE").read_text(encoding="utf-8").replace("--", "- -")
    root.header.add_child(Element(f"<!-- Leaflet's licence:\n{notice}\n-->"))
    regional = _in_region(bounds)
    basemap = json.loads((REGION if regional else WORLD).read_text(encoding="utf-8"))
    if regional:
        basemap["features"] += json.loads(DIVISIONS.read_text(encoding="utf-8"))["features"]
    # the land under the names, the names under the events (as on the dashboard's map)
    folium.map.CustomPane("land", z_index=200, pointer_events=False).add_to(fmap)
    for kind, style in BASEMAP_STYLES.items():
        features = [f for f in basemap["features"] if f["properties"].get("kind") == kind]
        if features:
            folium.GeoJson(
                {"type": "FeatureCollection", "features": features},
                name=kind,
                style_function=lambda _feature, style=style: style,
                interactive=False,
                control=False,
                pane="land",
            ).add_to(fmap)
    if points["features"]:
        folium.GeoJson(
            points,
            name="events",
            marker=folium.CircleMarker(radius=6, weight=1, fill=True, fill_opacity=0.85),
            # a point holding several reports is larger, with a dark ring
            style_function=lambda feature: {
                "color": "#222222" if feature["properties"]["count"] > 1 else "#ffffff",
                "weight": 2 if feature["properties"]["count"] > 1 else 1,
                "radius": min(6 + 2 * math.log2(feature["properties"]["count"]), 14),
                "fillColor": feature["properties"]["colour"],
            },
            popup=folium.GeoJsonPopup(fields=["popup"], labels=False, max_width=420, max_height=320),
            control=False,
        ).add_to(fmap)
        fmap.fit_bounds(bounds, max_zoom=9, padding=(40, 40))
    script = _map_script()
    fmap.add_child(script(LABELS_JS % {"map": fmap.get_name(), "labels": _js_value(_labels(regional))}))
    fmap.add_child(script(f"{fmap.get_name()}.attributionControl.addAttribution({_js_value(ATTRIBUTION)});"))
    return root.render()
