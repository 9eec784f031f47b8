"""Add articles and the incidents view in a real browser, on a server with a store of its own
(an upload changes the store, which the other browser tests must not see)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import (
    CHROMIUM,
    MAP_FRAME_URL,
    MAP_IFRAME,
    MARKER_IDS_JS,
    needs_browser,
    start_server,
    stop_server,
    sync_playwright,
)

import data

pytestmark = needs_browser

MOSUL_TEXT = (
    "MOSUL, Iraq — Iraqi forces clashed with Islamic State fighters in Mosul on "
    "12 March 2017, killing 12 militants, officials said.\n"
)


@pytest.fixture(scope="module")
def own_server(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    if not CHROMIUM.exists() or sync_playwright is None:
        pytest.skip("no browser")
    store = tmp_path_factory.mktemp("upload-store")
    process, base = start_server(corpus_dir, store, log=tmp_path_factory.mktemp("logs") / "streamlit.log")
    yield base, store
    stop_server(process)


@pytest.fixture
def tab(browser, own_server):
    context = browser.new_context(viewport={"width": 1500, "height": 1100})
    page = context.new_page()
    base, store = own_server
    page.external_requests = []
    page.on(
        "request",
        lambda r: (
            None if r.url.startswith((base, "data:", "blob:", "about:")) else page.external_requests.append(r.url)
        ),
    )
    page.base, page.store = base, store
    yield page
    context.close()


def map_ids(page) -> list[str]:
    page.wait_for_selector(MAP_IFRAME, timeout=90_000)
    for _ in range(360):
        for frame in page.frames:
            if MAP_FRAME_URL in frame.url:
                try:
                    if frame.evaluate("() => !!document.body.getAttribute('data-sitrep-events')"):
                        return frame.evaluate(MARKER_IDS_JS)
                except Exception:  # the frame is replaced while the app reruns
                    pass
        page.wait_for_timeout(250)
    raise AssertionError("the map never drew its markers")


def test_an_uploaded_article_appears_on_the_map(tab, tmp_path: Path) -> None:
    article = tmp_path / "browser_mosul.txt"
    article.write_text(MOSUL_TEXT, encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    tab.goto(tab.base + "/Add_articles")
    tab.wait_for_selector("h1", timeout=90_000)
    tab.locator("input[type=file]").set_input_files([str(article), str(broken)])
    tab.get_by_role("button", name="Extract events").click()
    tab.wait_for_selector("text=articles added", timeout=90_000)
    assert tab.get_by_text("1 of 2 files were not added").is_visible()
    tab.wait_for_selector("[data-testid='stDataFrame']", timeout=30_000)  # the reasons
    events = data.EventStore(tab.store / "events").load().events
    new = events[events["article_id"].str.endswith("/browser_mosul") & events["lat"].notna()]
    assert len(new)
    tab.goto(tab.base + "/Map?min_conf=0")  # every row, whatever its confidence
    assert set(new["event_id"]) <= set(map_ids(tab))
    assert tab.external_requests == []


def test_incidents_view_draws_one_marker_per_incident(tab) -> None:
    events = data.EventStore(tab.store / "events").load().events
    located = events[events["lat"].notna()]
    # min_conf=0: every row, so that incidents told by several rows are drawn as one marker.
    tab.goto(tab.base + "/Map?view=incidents&min_conf=0")
    ids = map_ids(tab)
    assert len(ids) == located["incident_id"].nunique() < len(located)
    assert tab.get_by_text("incidents shown", exact=False).first.is_visible()
    assert tab.external_requests == []
