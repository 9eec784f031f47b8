"""The place picker of a correction: search the gazetteer by name, or click a small map.

The map is folium's, shown with streamlit-folium's public `st_folium` (its `last_clicked` is the
click). Offline: folium's pages load Leaflet, jQuery, Bootstrap and icon fonts from CDNs, so the
map's `default_js`/`default_css` are replaced by Leaflet alone, inlined as data: URLs from the
copy the main map vendors (components/mapframe/vendor/leaflet); the picker draws only circle
markers and GeoJSON, which need nothing else. The basemap is the main map's Natural Earth
countries (components/mapframe/basemap/world.geojson), or the tile server of SITREP_TILES.
No request leaves the machine (tests/browser/test_review.py checks it).

A click picks the gazetteer's nearest towns and cities (data.gazetteer.Gazetteer.nearest); the
analyst chooses one, or keeps the clicked point itself.
"""

from __future__ import annotations

import base64
import functools
import html
import json
import math
import os
from pathlib import Path
from typing import Any

import folium
import streamlit as st
from streamlit_folium import st_folium

from components.format import markdown_literal
from components.mapview import FRONTEND, TILES_ATTRIBUTION_ENV, TILES_ENV
from data.gazetteer import Place, get_gazetteer
from data.review import place_candidates

LEAFLET = FRONTEND / "vendor" / "leaflet"
BASEMAP = FRONTEND / "basemap"
# Town and city names are drawn within this many degrees of the map's centre.
LABELS_WITHIN_DEG = 3.0
# Where the picker opens for an event with no point: the theatre (Iraq and Syria).
THEATRE = (34.5, 41.0)
# How many places a search or a click offers.
CHOICES = 8
# A click farther than this from every town offers only the point itself.
NEAREST_KM = 40.0
GEO_PRECISIONS = ("site", "city", "district", "region", "country")


def _data_url(path: Path, mime: str) -> str:
    """A file inlined as a data: URL (base64), so folium's page loads it without a server."""
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


@st.cache_resource(show_spinner=False)
def _offline_assets() -> dict[str, Any]:
    """Leaflet as folium's default_js/default_css, the world's countries, the region's rivers and
    lakes and the town names of the main map's basemap: read once per process."""
    region = json.loads((BASEMAP / "region.geojson").read_text(encoding="utf-8"))
    water = [f for f in region["features"] if f["properties"].get("kind") in ("river", "lake")]
    labels = json.loads((BASEMAP / "labels.json").read_text(encoding="utf-8"))["labels"]
    return {
        "js": [("leaflet", _data_url(LEAFLET / "leaflet.js", "text/javascript"))],
        "css": [("leaflet_css", _data_url(LEAFLET / "leaflet.css", "text/css"))],
        "world": json.loads((BASEMAP / "world.geojson").read_text(encoding="utf-8")),
        "water": {"type": "FeatureCollection", "features": water},
        "towns": [(name, lat, lon) for name, lat, lon, _zoom, kind, *_ in labels if kind in ("city", "town")],
    }


def picker_map(centre: tuple[float, float] | None, chosen: tuple[float, float] | None) -> folium.Map:
    """A small folium map around `centre` (the event's point), `chosen` (the picked point) marked,
    with only local assets (see the module docstring)."""
    assets = _offline_assets()
    has_centre = centre is not None and not any(math.isnan(v) for v in centre)
    location = list(chosen or (centre if has_centre else THEATRE))
    fmap = folium.Map(
        location=location,
        zoom_start=8 if has_centre or chosen else 5,
        tiles=None,
        min_zoom=2,
        max_zoom=13,
        control_scale=True,
        prefer_canvas=True,
    )
    fmap.default_js = assets["js"]
    fmap.default_css = assets["css"]
    tiles = os.environ.get(TILES_ENV, "")
    if tiles:
        folium.TileLayer(tiles, attr=os.environ.get(TILES_ATTRIBUTION_ENV, "") or "tiles", max_zoom=13).add_to(fmap)
    else:
        _basemap(fmap, assets, location)
    if has_centre:
        folium.CircleMarker(centre, radius=7, color="#555", weight=2, fill=False).add_to(fmap)
    if chosen is not None:
        folium.CircleMarker(chosen, radius=6, color="#c0392b", fill=True, fill_opacity=0.9).add_to(fmap)
    return fmap


def _basemap(fmap: folium.Map, assets: dict[str, Any], location: list[float]) -> None:
    """Countries, rivers and lakes, and the names of the towns around `location`."""
    folium.GeoJson(
        assets["world"],
        style_function=lambda _feature: {"color": "#999", "weight": 1, "fillColor": "#f2efe9", "fillOpacity": 1},
        interactive=False,
        control=False,
    ).add_to(fmap)
    folium.GeoJson(
        assets["water"],
        style_function=lambda _feature: {"color": "#7fb2d9", "weight": 1.5, "fillColor": "#b8d6ee", "fillOpacity": 1},
        interactive=False,
        control=False,
    ).add_to(fmap)
    lat0, lon0 = location
    for name, lat, lon in assets["towns"]:
        if abs(lat - lat0) <= LABELS_WITHIN_DEG and abs(lon - lon0) <= LABELS_WITHIN_DEG * 1.5:
            # a name, escaped: the labels come from the gazetteer, but a page is no place to trust text
            folium.Marker(
                (lat, lon),
                icon=folium.DivIcon(
                    html=f"<div style='font:11px sans-serif;color:#444;white-space:nowrap'>· {html.escape(name)}</div>",
                    icon_size=(0, 0),
                ),
                interactive=False,
            ).add_to(fmap)


def place_fields(place: Place) -> dict[str, Any]:
    """The event's place columns for a gazetteer entry."""
    return {
        "place": place.name,
        "place_id": place.place_id,
        "lat": place.lat,
        "lon": place.lon,
        "country": place.country,
        "admin1": place.admin1,
        "geo_precision": place.geo_precision,
    }


def point_fields(lat: float, lon: float, near: Place | None) -> dict[str, Any]:
    """The place columns for a clicked point: a site, named after the nearest town when there is
    one ("near Tabqa")."""
    return {
        "place": f"near {near.name}" if near else f"{lat:.4f}, {lon:.4f}",
        "place_id": "",
        "lat": round(lat, 5),
        "lon": round(lon, 5),
        "country": near.country if near else "",
        "admin1": near.admin1 if near else "",
        "geo_precision": "site",
    }


def place_label(fields: dict[str, Any]) -> str:
    """One line for a choice: the name, its division and country, its precision."""
    where = ", ".join(str(p) for p in (fields["admin1"], fields["country"]) if p and p != fields["place"])
    return f"{fields['place']}" + (f" ({where})" if where else "") + f" · {fields['geo_precision']}"


def search(name: str, *, country: str = "") -> list[dict[str, Any]]:
    """The located gazetteer entries a name may mean, best first, those of `country` (the event's)
    first (data.review.place_candidates)."""
    return place_candidates(name, country=country, limit=CHOICES) if name.strip() else []


def near_click(lat: float, lon: float) -> list[dict[str, Any]]:
    """The clicked point's nearest towns, nearest first, then the point itself."""
    nearest = get_gazetteer().nearest(lat, lon, limit=4 * CHOICES, max_km=NEAREST_KM)
    # a city's quarters may crowd out the city itself: the two nearest towns are always offered
    towns = [pair for pair in nearest if pair[0].kind != "quarter"][:2]
    nearest = sorted(
        towns + [pair for pair in nearest if pair not in towns][: CHOICES - 1 - len(towns)], key=lambda pair: pair[1]
    )
    choices = [place_fields(p) | {"distance_km": round(d, 1)} for p, d in nearest]
    return [*choices, point_fields(lat, lon, nearest[0][0] if nearest else None)]


def _clicked(key: str) -> None:
    """st_folium's callback on a click: keep the point, and let the click win over a search."""
    last = (st.session_state.get(f"{key}_map") or {}).get("last_clicked")
    if not last:
        return
    point = (float(last["lat"]), float(last["lng"]))
    # a map drawn anew (another place chosen) may report its last click again: not a new click
    if point != st.session_state.get(f"{key}_clicked"):
        st.session_state[f"{key}_clicked"] = point
        st.session_state[f"{key}_name"] = ""
        st.session_state[f"{key}_query"] = ""


def _remember_query(key: str) -> None:
    """Keep the typed search outside the widget's own state, which Streamlit drops after a run
    that did not draw the picker (the search would then silently give way to an older click)."""
    st.session_state[f"{key}_query"] = st.session_state.get(f"{key}_name", "")


def pick_place(*, key: str, lat: float | None, lon: float | None, country: str = "") -> dict[str, Any] | None:
    """The place picker: a name search and a map. Returns the chosen place's columns (place,
    place_id, lat, lon, country, admin1, geo_precision), or None while nothing is chosen."""
    clicked_key = f"{key}_clicked"
    if f"{key}_name" not in st.session_state:
        st.session_state[f"{key}_name"] = st.session_state.get(f"{key}_query", "")
    name = st.text_input(
        "Search a place by name",
        key=f"{key}_name",
        placeholder="Tabqa, Mosul, Deir ez-Zor…",
        on_change=_remember_query,
        args=(key,),
    )
    choices = search(name, country=country)
    if name.strip() and not choices:
        st.caption(f"No place named “{name.strip()}” in the gazetteer: click the map instead.")
    clicked = st.session_state.get(clicked_key)
    if not choices and clicked:
        choices = near_click(*clicked)
    st.caption("Or click the map: the towns nearest the click are offered, and the point itself.")
    centre = None if lat is None or lon is None else (float(lat), float(lon))
    chosen_point = None
    if choices:
        index = st.radio(
            "Place",
            range(len(choices)),
            # (a radio's options are Markdown: the names are shown as written)
            format_func=lambda i: markdown_literal(
                place_label(choices[i])
                + (f" — {choices[i]['distance_km']} km from the click" if "distance_km" in choices[i] else "")
            ),
            key=f"{key}_choice_{name.strip()}_{clicked}",
        )
        chosen = choices[index]
        chosen_point = (float(chosen["lat"]), float(chosen["lon"]))
    st_folium(
        picker_map(centre, chosen_point),
        key=f"{key}_map",
        height=300,
        use_container_width=True,
        returned_objects=["last_clicked"],
        on_change=functools.partial(_clicked, key),
    )
    if not choices:
        return None
    return {k: v for k, v in choices[index].items() if k != "distance_km"}
