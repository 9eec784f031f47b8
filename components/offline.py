"""Serve Leaflet, jQuery, the cluster plugin and the basemap from this Streamlit server.

folium's HTML loads its scripts from CDNs; offline that is a blank map with no error. The XStatic
wheels carry the same files, and Streamlit serves any *declared* component's folder at
`/component/<module>.<name>/<file>`. Declaring one component per folder (never rendering them)
therefore serves the files with no top-level `static/` folder and no copy in the repo. The
links are relative to st_folium's iframe (`/component/streamlit_folium.st_folium/index.html`), so
they also work under a `server.baseUrlPath`.
"""

from __future__ import annotations

from pathlib import Path

import streamlit.components.v1 as st_components
from xstatic.pkg import jquery, leaflet, leaflet_markercluster

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
BASEMAP_WORLD = "basemap-world-110m.geojson"
BASEMAP_REGION = "basemap-region-10m.geojson"
# lon_min, lat_min, lon_max, lat_max of basemap-region (build_basemap.REGION).
BASEMAP_REGION_BOX = (24.0, 12.0, 63.0, 44.0)

_FOLDERS = {
    "leaflet": leaflet.BASE_DIR,
    "jquery": jquery.BASE_DIR,
    "markercluster": leaflet_markercluster.BASE_DIR,
    "assets": str(ASSETS_DIR),
}


def register() -> None:
    """Declare the asset folders (idempotent; Streamlit keeps a registry per server)."""
    for name, folder in _FOLDERS.items():
        st_components.declare_component(f"sitrep_{name}", path=folder)


def _url(folder: str, filename: str) -> str:
    # declare_component names the component after the declaring module.
    return f"../{__name__}.sitrep_{folder}/{filename}"


def leaflet_js() -> list[tuple[str, str]]:
    """(name, url) pairs in load order, for folium's default_js."""
    return [("leaflet", _url("leaflet", "leaflet.js")), ("jquery", _url("jquery", "jquery.min.js"))]


def leaflet_css() -> list[tuple[str, str]]:
    return [("leaflet_css", _url("leaflet", "leaflet.css"))]


def cluster_js() -> list[tuple[str, str]]:
    return [("markercluster_js", _url("markercluster", "leaflet.markercluster.js"))]


def cluster_css() -> list[tuple[str, str]]:
    return [
        ("markercluster_css", _url("markercluster", "MarkerCluster.css")),
        ("markercluster_default_css", _url("markercluster", "MarkerCluster.Default.css")),
    ]


def leaflet_images() -> str:
    """The folder Leaflet's default icons are read from (L.Icon.Default.imagePath)."""
    return _url("leaflet", "images/")


def basemap_url(bounds: tuple[float, float, float, float] | None) -> str:
    """The detailed regional basemap when bounds (lon/lat box) fit in it, else the world."""
    if bounds is not None:
        x0, y0, x1, y1 = BASEMAP_REGION_BOX
        if x0 <= bounds[0] and y0 <= bounds[1] and bounds[2] <= x1 and bounds[3] <= y1:
            return _url("assets", BASEMAP_REGION)
    return _url("assets", BASEMAP_WORLD)
