"""The dashboard's filters, time range and layouts in Chromium: an alias picks its one actor, a
typed day applies on Enter, what a URL asks for that matches nothing is said in plain text, the
default range is the news span, and every page holds at 1440×900 and 1024×768 (screenshots are
kept in tests/browser/screenshots/ to look at)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

import pandas as pd
import pytest
from conftest import SCREENSHOTS, needs_browser, start_server, stop_server

import data
from components.timespan import news_span

pytestmark = needs_browser

SDF, IS = "Syrian Democratic Forces", "Islamic State"
SIZES = ((1440, 900), (1024, 768))


@pytest.fixture(scope="module")
def events(corpus_dir):
    return data.load_events([corpus_dir]).events


def settle(page) -> None:
    """Wait until Streamlit has finished running the script."""
    page.wait_for_timeout(400)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)


def sidebar_ready(page) -> None:
    page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first.wait_for(timeout=90_000)
    settle(page)


def params(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


@pytest.mark.parametrize("typed, actor", [("SDF", SDF), ("ISIS", IS)])
def test_an_alias_and_enter_select_its_one_actor(page, typed: str, actor: str) -> None:
    page.goto(page.base + "/Events?min_conf=0")
    sidebar_ready(page)
    actors = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first
    actors.locator("input").click()
    page.keyboard.type(typed, delay=40)
    options = page.locator("[role='option']")
    options.first.wait_for(timeout=10_000)
    # the alias shows in its actor's label, and in no other
    texts = [options.nth(i).inner_text() for i in range(options.count())]
    assert texts and texts[0].startswith(actor) and typed in texts[0], texts
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.wait_for_function(
        "(a) => new URL(location).searchParams.getAll('actor').length > 0", arg=actor, timeout=10_000
    )
    settle(page)
    assert params(page)["actor"] == [actor]
    chips = actors.locator("[data-testid='stMultiSelectTag'], [role='button'][title]")
    assert actors.inner_text().count(actor) == 1, actors.inner_text()
    assert chips.count() in (0, 1)  # (one chip, however the version marks it)


def test_a_typed_day_applies_on_enter(page) -> None:
    page.goto(page.base + "/Events?min_conf=0")
    sidebar_ready(page)
    field = page.locator("[data-testid='stSidebar'] input[aria-label='From']")
    field.fill("2017-10-01")
    field.press("Enter")
    page.wait_for_function("() => new URL(location).searchParams.get('from') === '2017-10-01'", timeout=10_000)
    settle(page)
    field = page.locator("[data-testid='stSidebar'] input[aria-label='From']")
    field.fill("2017-13-40")
    field.press("Enter")
    settle(page)
    assert "not a day" in page.locator("[data-testid='stSidebar']").inner_text()
    assert params(page)["from"] == ["2017-10-01"]  # the range stays


def test_url_values_that_match_nothing_are_reported_as_plain_text(page) -> None:
    actor = "**Nobody** <i>x</i> [link](http://example.com)"
    page.goto(page.base + "/Map?actor=" + quote(actor) + "&from=2030-01-01&type=Riots")
    note = page.locator(".sitrep-url-unmatched")
    note.wait_for(timeout=90_000)
    text = note.inner_text()
    assert f"no actor named '{actor}'" in text
    assert "no event type 'Riots'" in text and "no events from 2030-01-01 on" in text
    assert note.locator("i, a, strong").count() == 0  # nothing of it rendered as markup
    assert page.external_requests == []


def test_the_default_range_is_the_news_span_with_earlier_mentions_shown(page, events) -> None:
    first, _ = news_span(events["date_start"], events["date_end"], events["published"])
    starts, ends = pd.to_datetime(events["date_start"]), pd.to_datetime(events["date_end"])
    assert starts.min().date() < first, "the test corpus should have a background mention"
    page.goto(page.base + "/Timeline?min_conf=0")
    sidebar_ready(page)
    sidebar = page.locator("[data-testid='stSidebar']")
    assert sidebar.locator("input[aria-label='From']").input_value() == first.isoformat()
    assert sidebar.locator("input[aria-label='To']").input_value() == max(ends.max(), starts.max()).date().isoformat()
    assert "earlier" in sidebar.inner_text()
    page.wait_for_selector(
        "[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg", timeout=30_000
    )
    body = page.locator("[data-testid='stMain']").inner_text()
    assert "“earlier” band" in body
    assert "from" not in params(page)  # the default range is no filter in the address


# In the page: elements whose text is cut (wider than their box, or ending in an ellipsis).
CUT_TEXT_JS = """(selector) => [...document.querySelectorAll(selector)]
  .filter(e => e.offsetParent !== null && e.innerText.trim() &&
          (e.scrollWidth > e.clientWidth + 1 || /…$/.test(e.innerText.trim())))
  .map(e => e.innerText.trim())"""


@pytest.mark.parametrize("width, height", SIZES)
def test_pages_hold_at_both_sizes(browser, server, width: int, height: int) -> None:
    """Screenshots of every main page (kept to look at) with no cut-off labels, metrics or
    buttons; the map takes the page's width at 1024 px rather than a squeezed column."""
    SCREENSHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        for name, path in (("overview", "/"), ("map", "/Map"), ("timeline", "/Timeline"), ("events", "/Events")):
            page.goto(server + path)
            sidebar_ready(page)
            page.wait_for_timeout(1500)  # the map and the charts draw
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}x{height}.png"))
            cut = page.evaluate(
                CUT_TEXT_JS,
                "[data-testid='stMetricValue'] div, "
                "[data-testid='stWidgetLabel'] p, label p, button p, "
                "[data-testid='stMarkdownContainer'] p",
            )
            assert cut == [], f"{name} at {width}px: cut text {cut}"
            if name == "map":
                row = page.locator(".st-key-map_row").bounding_box()
                column = page.locator(".st-key-map_column").bounding_box()
                assert column["width"] >= (0.9 * row["width"] if width < 1200 else 500), (column, row)
                play = page.locator(".st-key-play_row").inner_text()
                assert "Play" in play
    finally:
        context.close()


SHARED_CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


@pytest.fixture(scope="module")
def corpus_server(tmp_path_factory: pytest.TempPathFactory):
    """The app on ../shared/corpus (skipped when it is absent)."""
    if not SHARED_CORPUS.is_dir():
        pytest.skip(f"the development corpus is absent ({SHARED_CORPUS})")
    process, base = start_server(
        SHARED_CORPUS, tmp_path_factory.mktemp("corpus-store"), log=tmp_path_factory.mktemp("logs") / "streamlit.log"
    )
    yield base
    stop_server(process)


def test_on_the_corpus_the_range_starts_with_its_reporting_and_aliases_pick_one(browser, corpus_server) -> None:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    try:
        page.goto(corpus_server + "/Timeline", timeout=180_000)
        page.locator("[data-testid='stSidebar'] input[aria-label='From']").wait_for(timeout=180_000)
        settle(page)
        sidebar = page.locator("[data-testid='stSidebar']")
        first = sidebar.locator("input[aria-label='From']").input_value()
        assert first.startswith("2016-"), first  # the reporting is 2016-17; mentions go to 1999
        assert "earlier" in sidebar.inner_text()
        page.wait_for_selector(
            "[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg", timeout=60_000
        )
        page.screenshot(path=str(SCREENSHOTS / "corpus-timeline-1440x900.png"))
        for typed, actor in (("SDF", SDF), ("ISIS", IS)):
            page.goto(corpus_server + "/Events")
            sidebar_ready(page)
            page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first.locator("input").click()
            page.keyboard.type(typed, delay=40)
            page.locator("[role='option']").first.wait_for(timeout=10_000)
            page.keyboard.press("Enter")
            page.wait_for_function("() => new URL(location).searchParams.has('actor')", timeout=10_000)
            settle(page)
            assert params(page)["actor"] == [actor]
    finally:
        context.close()
