"""The downloaded HTML map (components/maphtml.py) opened from disk in Chromium: it draws its
events offline, and a popup shows an article's hostile words as words."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import needs_browser
from test_dashboard import map_frame

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from test_maphtml import HOSTILE, frame  # noqa: E402

from components.maphtml import map_html  # noqa: E402

pytestmark = needs_browser

# The folium map's variable (map_<id>), and the screen point of its first event.
EVENT_POINT_JS = """() => {
  const map = window[Object.keys(window).find(k => /^map_[0-9a-f]+$/.test(k))];
  let point = null;
  map.eachLayer(l => { if (!point && l.feature && l.feature.properties.popup !== undefined)
    point = map.latLngToContainerPoint(l.getLatLng()); });
  return point && [point.x, point.y];
}"""


def test_the_html_map_opens_offline_and_its_popups_show_words(browser, tmp_path: Path) -> None:
    path = tmp_path / "sitrep-events-map.html"
    path.write_text(map_html(frame(excerpt=HOSTILE), title="Sitrep"), encoding="utf-8")
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    outside: list[str] = []
    dialogs: list[str] = []
    allowed = (path.as_uri(), "data:", "about:")
    page.on("request", lambda r: None if r.url.startswith(allowed) else outside.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto(path.as_uri())
        page.wait_for_function("() => window.L && document.querySelector('.leaflet-container canvas')", timeout=15_000)
        popup = page.locator(".leaflet-popup-content")
        for _ in range(10):  # the map may still be fitting its view to the events
            page.wait_for_timeout(300)
            point = page.evaluate(EVENT_POINT_JS)
            assert point, "no event on the map"
            page.mouse.click(*point)
            if popup.count():
                break
        popup.wait_for(timeout=10_000)
        assert HOSTILE in popup.inner_text()
        assert "GeoNames" in page.locator(".leaflet-control-attribution").inner_text()
        # the basemap names places, as the dashboard's does
        assert "Raqqa" in page.locator(".sitrep-label").all_inner_texts()
        page.wait_for_timeout(300)
        assert dialogs == [] and outside == []
    finally:
        context.close()


def test_the_map_page_downloads_its_view_as_html(page) -> None:
    """The Map page's button gives the shown events' map, named after the view, fetching nothing."""
    page.goto(page.base + "/Map?type=Battles")
    map_frame(page)
    button = page.get_by_role("button", name="Download this map as HTML")
    button.wait_for(timeout=30_000)
    with page.expect_download(timeout=30_000) as download:
        button.click()
    assert download.value.suggested_filename.startswith("sitrep-events-Battles")
    assert download.value.suggested_filename.endswith("-map.html")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "L.map(" in text and "GeoNames" in text and "cdn." not in text
    # the popups, as JSON data: the Battles of the view only
    assert "Type\\u003c/b\\u003e: Battles: " in text and "Strategic developments" not in text
    assert page.external_requests == []
