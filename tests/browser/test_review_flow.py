"""The analyst's review in Chromium (issue 15's "Done when"): correct an event's place (through the
place picker: its folium map's click reaches Python, and nothing is fetched from outside) and its
actors, reject another, accept a third, add one from a Sources sentence; then the map, the
Timeline's details, the Events table and its CSV export show the reviewed state.

The test has a server and a store of its own: its reviews must not change what the other
browser tests see. Every request that would leave the machine is aborted and recorded.
"""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest
from conftest import SCREENSHOTS, needs_browser, start_server, stop_server

import data
from data.gazetteer import get_gazetteer

pytestmark = needs_browser

NEW_ACTOR = "Test Brigade"


@pytest.fixture(scope="module")
def review_server(corpus_dir, tmp_path_factory: pytest.TempPathFactory):
    logs = tmp_path_factory.mktemp("review-logs")
    process, base = start_server(
        corpus_dir,
        tmp_path_factory.mktemp("review-store"),
        extra_env={"SITREP_REVIEWER": "browser analyst"},
        log=logs / "streamlit.log",
    )
    yield base
    stop_server(process)


@pytest.fixture(scope="module")
def events(corpus_dir) -> pd.DataFrame:
    return data.load_events([corpus_dir]).events


@pytest.fixture
def tab(browser, review_server):
    """A page at 1440×900 whose requests outside the server are aborted and recorded."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.outside = []

    def route(request_route) -> None:
        url = request_route.request.url
        if url.startswith((review_server, "data:", "blob:", "about:")):
            request_route.continue_()
        else:
            page.outside.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.base = review_server
    yield page
    context.close()


def settle(page) -> None:
    """Wait until Streamlit has finished running the script and no element is stale (greyed)."""
    page.wait_for_timeout(500)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && !document.querySelector('[data-stale=\"true\"]')",
        timeout=60_000,
    )


def open_expander(page, label: str) -> None:
    page.locator("[data-testid='stExpander'] summary", has_text=label).first.click()
    settle(page)


def pick(page, label: str, option: str) -> None:
    """Choose an option of a selectbox by its label: type it and press Enter."""
    box = page.locator("[data-testid='stSelectbox']", has_text=label).first
    box.locator("input").click()
    box.locator("input").fill(option)
    page.keyboard.press("Enter")
    settle(page)


def message(page) -> str:
    page.locator("[data-testid='stAlert']").first.wait_for(timeout=30_000)
    return page.locator("[data-testid='stAlert']").first.inner_text()


def test_correct_reject_accept_add_and_every_view_shows_it(tab, events, tmp_path) -> None:
    page = tab
    located = events[events["lat"].notna()].sort_values("confidence", ascending=False)
    corrected, rejected, accepted = located["event_id"].iloc[:3]
    tabqa = get_gazetteer().resolve("Tabqa")

    # 1. Correct the place (the picker's map first: its click reaches Python) and the actors.
    page.goto(f"{page.base}/Timeline?min_conf=0&event={corrected}")
    page.get_by_text("Unreviewed: as extracted.").wait_for(timeout=120_000)
    settle(page)
    page.get_by_text("Correct", exact=True).click()  # the switch that shows the correction's fields
    settle(page)
    page.locator("label", has_text="Change the place").click()
    frame = page.locator("iframe[title*='st_folium']")
    frame.wait_for(timeout=60_000)
    leaflet = page.frame_locator("iframe[title*='st_folium']")
    leaflet.locator(".leaflet-overlay-pane canvas, .leaflet-overlay-pane svg").first.wait_for(timeout=60_000)
    settle(page)
    frame.scroll_into_view_if_needed()
    box = frame.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.55)
    page.get_by_text("km from the click").first.wait_for(timeout=30_000)
    settle(page)
    search = page.locator("input[aria-label='Search a place by name']")
    search.fill("Tabqa")
    search.press("Enter")
    choices = page.locator("[data-testid='stRadio']").filter(has_text=" · ").first.locator("label")
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stRadio] label')]"
        ".some(l => l.innerText.startsWith('Tabqa ('))",
        timeout=30_000,
    )
    settle(page)
    assert choices.nth(1).inner_text().startswith("Tabqa (")  # the best match, chosen (the first label is the radio's)
    actors = page.locator("[data-testid='stMultiSelect']", has_text="Actors").last
    actors.locator("input").click()
    actors.locator("input").fill(NEW_ACTOR)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    settle(page)
    page.locator("input[aria-label='Note (why)']").fill("<b>the SDF statement</b>")
    # the searched place is still the one chosen when the correction is saved (not an older click)
    checked = page.locator("[data-testid='stRadio'] label:has(input:checked)").filter(has_text=" · ")
    assert checked.first.inner_text().startswith("Tabqa ("), checked.first.inner_text()
    page.get_by_role("button", name="Save correction").click()
    settle(page)
    saved = message(page)
    assert saved == "Corrected: place, actors", saved
    details = page.locator(".sitrep-details").first.inner_text()
    assert "Tabqa" in details and "extracted:" in details and NEW_ACTOR in details
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "review-corrected-1440x900.png"), full_page=True)

    # 2. Reject another (not an event); 3. accept a third.
    page.goto(f"{page.base}/Timeline?min_conf=0&event={rejected}")
    page.get_by_text("Unreviewed: as extracted.").wait_for(timeout=60_000)
    settle(page)
    open_expander(page, "Reject")
    page.locator("[data-testid='stExpander']", has_text="Reason").get_by_role("button", name="Reject").click()
    settle(page)
    assert message(page).startswith("Rejected")
    page.goto(f"{page.base}/Timeline?min_conf=0&event={accepted}")
    page.get_by_text("Unreviewed: as extracted.").wait_for(timeout=60_000)
    settle(page)
    page.get_by_role("button", name="Accept", exact=True).focus()
    page.keyboard.press("Enter")  # keyboard-friendly: Tab reaches it, Enter presses it
    settle(page)
    assert message(page) == "Accepted"

    # 4. Add an event from a sentence of the Raqqa article on the Sources page.
    page.goto(f"{page.base}/Sources?min_conf=0")
    open_expander(page, "Add an event the extraction missed")
    sentence = page.locator("[data-testid='stSelectbox']", has_text="Sentence").first
    sentence.locator("input").click()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    settle(page)
    pick(page, "Type", "Battles")
    pick(page, "Sub-type", "Armed clash")
    page.get_by_role("button", name="Add event").click()
    settle(page)
    assert message(page).startswith("Added")

    # The map: the rejected event is gone, the corrected one stands at Tabqa.
    page.goto(f"{page.base}/Map?min_conf=0")
    map_frame = next_map_frame(page)
    ids = map_frame.evaluate("() => window.sitrep.ids()")
    assert rejected not in ids and corrected in ids and accepted in ids
    point = map_frame.evaluate(
        "(id) => { const m = window.sitrep.marker(id); const p = m.getLatLng(); return [p.lat, p.lng]; }", corrected
    )
    assert abs(point[0] - tabqa.lat) < 0.01 and abs(point[1] - tabqa.lon) < 0.01

    # The Timeline's page: the rejected event is no longer there to select.
    page.goto(f"{page.base}/Timeline?min_conf=0&event={rejected}")
    settle(page)
    page.get_by_text(f"no event '{rejected}'").wait_for(timeout=60_000)

    # The Events table: one rejected, one added; the review filter keeps the corrected one.
    page.goto(f"{page.base}/Events?min_conf=0")
    page.get_by_role("heading", name=f"Events ({len(events)})").wait_for(timeout=60_000)
    page.goto(f"{page.base}/Events?min_conf=0&review=corrected")
    page.get_by_role("heading", name="Events (1)").wait_for(timeout=60_000)

    # The CSV export of the whole view.
    page.goto(f"{page.base}/Events?min_conf=0")
    page.get_by_role("heading", name=f"Events ({len(events)})").wait_for(timeout=60_000)
    settle(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="CSV", exact=True).click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    by_id = {row["event_id"]: row for row in rows}
    assert rejected not in by_id
    assert by_id[corrected]["place"] == "Tabqa" and by_id[corrected]["review_status"] == "corrected"
    assert NEW_ACTOR in json.loads(by_id[corrected]["actors"])
    assert by_id[accepted]["review_status"] == "accepted"
    added = [row for row in rows if row["origin"] == "analyst"]
    assert len(added) == 1 and added[0]["event_type"] == "Battles"
    assert page.outside == []


def next_map_frame(page):
    """The main map's frame once it has drawn its markers."""
    from conftest import MAP_FRAME_URL, MAP_IFRAME

    page.wait_for_selector(MAP_IFRAME, timeout=90_000)
    for _ in range(360):
        for frame in page.frames:
            if MAP_FRAME_URL in frame.url:
                try:
                    if frame.evaluate("() => !!(window.sitrep && window.sitrep.ids().length)"):
                        return frame
                except Exception:  # the frame may be replaced while the app reruns
                    pass
        page.wait_for_timeout(250)
    raise AssertionError("the map never drew its markers")
