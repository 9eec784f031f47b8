"""Serve Leaflet, jQuery, the cluster plugin and the basemap from this Streamlit server.

folium's HTML loads its scripts from CDNs; offline that is a blank map with no error. The XStatic
wheels carry the same files, and Streamlit serves any *declared* component's folder at
`/component/<module>.<name>/<file>`. Declaring one component per folder (never rendering them)
therefore serves the files with no top-level `static/` folder and no copy in the repo. The
links are relative to st_folium's iframe (`/component/streamlit_folium.st_folium/index.html`), so
they also work under a `server.baseUrlPath`. The map loads a tiny `assets/prefetch.js` first (it
starts fetching the map's data), then Leaflet and the cluster plugin as one file.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from urllib.parse import urlencode

import streamlit.components.v1 as st_components
from xstatic.pkg import jquery, leaflet, leaflet_markercluster

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
BASEMAP_WORLD = "basemap-world-110m.geojson"
BASEMAP_REGION = "basemap-region-10m.geojson"
# lon_min, lat_min, lon_max, lat_max of basemap-region (build_basemap.REGION).
BASEMAP_REGION_BOX = (24.0, 12.0, 63.0, 44.0)

# The map's event data are written here, named by their hash, and fetched by the map script:
# a 10,000-event view is ~0.7 MB that st_folium would otherwise regex, hash and resend on
# every rerun. Under the (git-ignored) store; SITREP_STORE moves it.
PAYLOAD_SUBDIR = "map-payloads"
KEEP_PAYLOADS = 300


def payload_dir() -> Path:
    store = os.environ.get("SITREP_STORE") or str(ASSETS_DIR.parent.parent / "data" / "store")
    return Path(store).expanduser().resolve() / PAYLOAD_SUBDIR


_FOLDERS = {
    "leaflet": leaflet.BASE_DIR,
    "jquery": jquery.BASE_DIR,
    "markercluster": leaflet_markercluster.BASE_DIR,
    "assets": str(ASSETS_DIR),
}


def register() -> None:
    """Declare the asset folders (idempotent; Streamlit keeps a registry per server)."""
    payloads = payload_dir()
    payloads.mkdir(parents=True, exist_ok=True)
    for name, folder in {**_FOLDERS, "payloads": str(payloads)}.items():
        st_components.declare_component(f"sitrep_{name}", path=folder)


def write_payload(text: str) -> str:
    """Store a map's event data under its content hash; returns the URL the map fetches."""
    folder = payload_dir()
    name = hashlib.sha256(text.encode("utf-8")).hexdigest()[:24] + ".json"
    target = folder / name
    if _write_new(target, text):
        _prune(folder)
    else:
        target.touch()
    return _url("payloads", name)


def _write_new(target: Path, text: str) -> bool:
    """Write a file named by its content unless it is there already; whether it was written. The
    text goes to a temporary name first, so a browser asking meanwhile never gets part of it."""
    if target.exists():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(text, encoding="utf-8")
    partial.replace(target)
    return True


def payload_exists(url: str) -> bool:
    """Whether the payload file behind a URL from write_payload is still there."""
    return (payload_dir() / url.rsplit("/", 1)[-1]).exists()


def _prune(folder: Path) -> None:
    """Keep the newest KEEP_PAYLOADS files."""
    files = sorted(folder.glob("*.json"), key=lambda f: f.stat().st_mtime, reverse=True)
    for old in files[KEEP_PAYLOADS:]:
        old.unlink(missing_ok=True)


def _url(folder: str, filename: str) -> str:
    # declare_component names the component after the declaring module.
    return f"../{__name__}.sitrep_{folder}/{filename}"


_BUNDLE: dict[Path, str] = {}


def leaflet_bundle() -> str:
    """Leaflet and its cluster plugin as one script, for folium's default_js: st_folium loads
    scripts one after the other, so each one costs first paint. Written beside the map
    payloads (never pruned: they are *.json), named by its content.

    jQuery (also served, folder "jquery") is only needed by folium.Popup; EventLayer builds its
    popups with Leaflet.
    """
    folder = payload_dir()
    cached = _BUNDLE.get(folder)
    if cached and (folder / cached).exists():
        return _url("payloads", cached)
    parts = []
    for base, name in ((leaflet.BASE_DIR, "leaflet.js"),
                       (leaflet_markercluster.BASE_DIR, "leaflet.markercluster.js")):
        text = (Path(base) / name).read_text(encoding="utf-8")
        # Their source maps are not served beside the bundle.
        parts.append("\n".join(line for line in text.splitlines()
                               if not line.startswith("//# sourceMappingURL=")))
    text = "\n;\n".join(parts) + "\n"
    name = f"sitrep-{hashlib.sha256(text.encode()).hexdigest()[:16]}-leaflet.js"
    _write_new(folder / name, text)
    _BUNDLE[folder] = name
    return _url("payloads", name)


def prefetch_js(urls: list[str]) -> str:
    """A tiny script, loaded before Leaflet, that starts fetching the map's data (its query
    names the URLs) while the rest loads; the map script takes the responses from
    window.sitrepPrefetched."""
    return _url("assets", "prefetch.js") + "?" + urlencode([("u", url) for url in urls])


def leaflet_css() -> list[tuple[str, str]]:
    return [("leaflet_css", _url("leaflet", "leaflet.css"))]


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
