"""The dashboard in a real browser (Chromium + playwright): markers, clicks, URL state, Sources,
XSS and the offline guarantee. Expectations are properties of the seeds, not exact counts."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from conftest import (
    MAP_FRAME_URL,
    MAP_IFRAME,
    MARKER_IDS_JS,
    SCREENSHOTS,
    needs_browser,
    start_server,
    stop_server,
)

import data
from data.filters import DEFAULT_MIN_CONFIDENCE

pytestmark = needs_browser

RAQQA, MOSUL, XSS = "000_0c418d0bc87b24e1", "003_4bfae4d84285c5d1", "900_xss"


@pytest.fixture(scope="module")
def events(corpus_dir):
    return data.load_events([corpus_dir]).events


def map_frame(page, timeout: float = 90_000):
    """The map component's frame once Leaflet has drawn the events (the first page load of a
    fresh server builds the store and loads the gazetteer: give it time on a busy machine)."""
    page.wait_for_selector(MAP_IFRAME, timeout=timeout)
    deadline = timeout
    while deadline > 0:
        for frame in page.frames:
            if MAP_FRAME_URL in frame.url:
                try:
                    if frame.evaluate(
                        "() => !!(window.map && window.L && window.sitrep"
                        " && document.body.getAttribute('data-sitrep-events'))"
                    ):
                        frame.wait_for_function("() => window.sitrep.ids().length > 0", timeout=timeout)
                        return frame
                except Exception:  # the frame may be replaced while the app reruns
                    pass
        page.wait_for_timeout(250)
        deadline -= 250
    raise AssertionError("the map never drew its markers")


def marker_ids(page) -> list[str]:
    return map_frame(page).evaluate(MARKER_IDS_JS)


def articles_of(ids, events) -> set[str]:
    return set(events[events["event_id"].isin(ids)]["article_id"])


def settle(page) -> None:
    """Wait until Streamlit has finished running the script."""
    page.wait_for_timeout(300)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)


def test_map_page_paints_markers_and_timeline(page, events) -> None:
    page.goto(page.base + "/Map")
    ids = marker_ids(page)
    located = events[events["lat"].notna()]
    # A URL without parameters hides the rows under the default minimum confidence ...
    shown = located[located["confidence"] >= DEFAULT_MIN_CONFIDENCE]
    assert 0 < len(shown) < len(located), "the seeds should have rows on both sides of the default"
    assert sorted(ids) == sorted(shown["event_id"])
    page.wait_for_selector(
        "[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg", timeout=30_000
    )
    frame = map_frame(page)
    assert frame.evaluate("() => document.querySelectorAll('canvas').length") >= 1
    assert frame.evaluate("() => document.querySelectorAll('.leaflet-overlay-pane *').length") > 0
    # The offline basemap names the towns (and the GeoNames attribution is on the map).
    frame.wait_for_function(
        "() => [...document.querySelectorAll('.sitrep-label')].some(e => e.textContent === 'Mosul')", timeout=15_000
    )
    assert "GeoNames" in frame.locator(".leaflet-control-attribution").inner_text()
    assert page.external_requests == []


def test_the_offline_basemap_draws_governorates_borders_and_names(page) -> None:
    """Zoomed in on the theatre, the map draws the first-level divisions' borders (lines of the
    regional basemap) and their names, all from the component's own files."""
    page.goto(page.base + "/Map")
    frame = map_frame(page)
    frame.evaluate("() => { window.map.setView([36.0, 42.5], 7, {animate: false}); return true; }")
    frame.wait_for_function(
        "() => { let n = 0; window.map.eachLayer(l => { if (l.feature && l.feature.properties.kind === 'division')"
        " n += l.feature.geometry.coordinates.length; }); return n > 100; }",
        timeout=15_000,
    )
    frame.wait_for_function(
        "() => { const names = [...document.querySelectorAll('.sitrep-label.division')].map(e => e.textContent);"
        " return names.includes('Nineveh') && names.includes('Hasakah Governorate'); }",
        timeout=15_000,
    )
    # world zoom: the coarse world basemap, no division lines nor names
    frame.evaluate("() => { window.map.setView([30, 40], 3, {animate: false}); return true; }")
    frame.wait_for_function("() => !document.querySelector('.sitrep-label.division')", timeout=15_000)
    assert (
        frame.evaluate(
            "() => { let n = 0; window.map.eachLayer(l => { if (l.feature && l.feature.properties.kind === 'division')"
            " n++; }); return n; }"
        )
        == 0
    )
    assert page.external_requests == []


def test_min_conf_zero_in_the_url_shows_every_located_event(page, events) -> None:
    page.goto(page.base + "/Map?min_conf=0")
    located = events[events["lat"].notna()]
    assert sorted(marker_ids(page)) == sorted(located["event_id"])
    assert page.external_requests == []


# Where an event is on screen: its marker, or the stack (cluster) that holds it.
SHOWN_AT_JS = """(id) => {
  const m = window.sitrep.marker(id);
  if (!m) return null;
  const v = window.map.hasLayer(m) ? m : window.sitrep.cluster().getVisibleParent(m);
  if (!v) return null;
  const p = window.map.latLngToContainerPoint(v.getLatLng());
  return [p.x, p.y, v !== m];
}"""


def raqqa_event(events) -> str:
    """A located event of the Raqqa seed article."""
    raqqa = events[(events["article_id"] == RAQQA) & events["lat"].notna()]
    assert len(raqqa), "no located Raqqa event"
    return raqqa["event_id"].iloc[0]


def click_on_map(page, point) -> None:
    box = page.locator(MAP_IFRAME).first.bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])


def click_event(page, frame, event_id: str) -> None:
    """Click an event's marker with the mouse, as an analyst would: a marker inside a stack is
    reached by clicking the stack first (it spreads out, or zooms in), then the marker."""
    if frame.locator(".leaflet-popup").count():
        page.keyboard.press("Escape")  # an open popup may cover the marker: close it
    page.wait_for_timeout(400)  # the map may still pan to show the last popup
    for _ in range(8):
        point = settled_point(page, frame, event_id)
        click_on_map(page, point[:2])
        if not point[2]:
            return
        page.wait_for_timeout(300)  # the stack spreads out (or the map zooms) with an animation
    raise AssertionError(f"{event_id} stayed inside its cluster")


def settled_point(page, frame, event_id: str) -> list:
    """Where the event is shown once the map has stopped moving (a zoom or a stack spreading
    out is animated; on a busy machine it takes a while)."""
    previous = None
    for _ in range(40):
        point = frame.evaluate(SHOWN_AT_JS, event_id)
        assert point, f"{event_id} is not on the map"
        if point == previous:
            return point
        previous = point
        page.wait_for_timeout(250)
    raise AssertionError(f"the map kept moving around {event_id}")


def filters_drawn(page) -> None:
    """Wait for the sidebar filters, drawn once the map has drawn on a session's first page."""
    page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first.wait_for(timeout=30_000)
    settle(page)


def markers_change(page, before: list[str], timeout: float = 30_000) -> list[str]:
    """The map's events once they differ from `before` (the page reruns, then the map redraws)."""
    waited = 0.0
    while waited < timeout:
        try:
            ids = marker_ids(page)
            if sorted(ids) != sorted(before):
                return ids
        except Exception:  # the frame may be replaced while the page reruns
            pass
        page.wait_for_timeout(250)
        waited += 250
    raise AssertionError("the map did not change")


def test_clicking_the_raqqa_marker_shows_its_excerpt(page, events) -> None:
    """Clicked as soon as the markers show: the map's "drawn" report then reruns only the
    fragments waiting for it (the sidebar filters, the play control, the timeline), never the
    page, so the click is not lost in a rerun of the map's fragment."""
    page.goto(page.base + "/Map")
    frame = map_frame(page)
    frame.evaluate("() => { window.sitrepKept = true; return true; }")
    click_event(page, frame, raqqa_event(events))
    excerpt = page.locator(".sitrep-excerpt").first
    excerpt.wait_for(timeout=30_000)
    text = excerpt.inner_text().strip()
    # The fragment writes the URL in the same rerun; the browser applies it a moment after the
    # excerpt is drawn, so wait for it rather than read it at once.
    page.wait_for_url(re.compile(r"[?&]event="), timeout=10_000)
    # The excerpt is that of the event clicked (the one the URL names), a Raqqa event.
    clicked = events[events["event_id"] == re.search(r"[?&]event=([^&]+)", page.url).group(1)]
    assert len(clicked) == 1 and text == clicked["excerpt"].iloc[0].strip(), text
    raqqa = events[events["article_id"] == RAQQA]
    assert (clicked["lat"].iloc[0], clicked["lon"].iloc[0]) in set(zip(raqqa["lat"], raqqa["lon"], strict=False))
    # The click reran the map's fragment, not the page: the map was not loaded again.
    assert frame.evaluate("() => window.sitrepKept === true")
    # The popup opened too, with a link to the Sources page.
    assert frame.locator(".sitrep-popup a").first.get_attribute("href").startswith("/Sources?event=")
    assert page.external_requests == []


def test_a_sidebar_filter_and_the_play_slider_redraw_the_map(page, events) -> None:
    """The filters and the play control are drawn in fragments: a change still reruns the page,
    so the map shows the new view and the URL follows."""
    page.goto(page.base + "/Map")
    everything = marker_ids(page)
    filters_drawn(page)
    actors = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first
    actors.click()
    page.keyboard.type("Syrian Democratic Forces")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    sdf = markers_change(page, everything)
    assert RAQQA in articles_of(sdf, events) and MOSUL not in articles_of(sdf, events)
    page.wait_for_url(re.compile(r"[?&]actor=Syrian"), timeout=10_000)
    settle(page)
    page.locator("input[type='range'][aria-label='Events up to']").focus()
    page.keyboard.press("Home")  # the first month: the events dated up to its end
    earlier = markers_change(page, sdf)
    assert set(earlier) < set(sdf)
    assert page.external_requests == []


def test_url_actor_islamic_state_keeps_both_seeds(page, events) -> None:
    page.goto(page.base + "/Map?actor=" + quote("Islamic State"))
    ids = marker_ids(page)
    assert {RAQQA, MOSUL} <= articles_of(ids, events)


def test_url_actor_sdf_drops_the_mosul_events(page, events) -> None:
    page.goto(page.base + "/Map?actor=" + quote("Syrian Democratic Forces"))
    ids = marker_ids(page)
    assert ids and MOSUL not in articles_of(ids, events)
    assert RAQQA in articles_of(ids, events)


def test_on_a_new_server_the_filters_follow_the_map_without_reloading_it(browser, corpus_dir, events, tmp_path) -> None:
    """A new server with no event store yet, and the Map page first: the first run builds the
    store (a progress bar), the map draws, and the rerun that then draws the sidebar filters
    (with the URL's values) does not load the map again; a click then selects."""
    process, base = start_server(corpus_dir, tmp_path / "store")
    context = browser.new_context(viewport={"width": 1500, "height": 1100})
    try:
        page = context.new_page()
        page.goto(base + "/Map?actor=" + quote("Syrian Democratic Forces"))
        frame = map_frame(page)
        frame.evaluate("() => { window.sitrepKept = true; return true; }")
        before = page.locator(MAP_IFRAME).first.bounding_box()
        filters_drawn(page)
        page.locator("[data-testid='stVegaLiteChart']").first.wait_for(timeout=30_000)
        # no jump: the filters, the play control and the timeline arrive around the map
        assert page.locator(MAP_IFRAME).first.bounding_box() == before
        actors = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first
        assert "Syrian Democratic Forces" in actors.inner_text()
        page.locator("[data-testid='stVegaLiteChart']").first.wait_for(timeout=30_000)
        assert frame.evaluate("() => window.sitrepKept === true")
        assert not page.get_by_text("Drawing the map first").count()
        click_event(page, frame, raqqa_event(events))
        page.locator(".sitrep-excerpt").first.wait_for(timeout=30_000)
    except Exception:
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "new_server_filters_and_click.png"), full_page=True)
        raise
    finally:
        context.close()
        stop_server(process)


def test_a_new_store_is_built_behind_a_moving_bar_with_its_steps(browser, corpus_dir, tmp_path) -> None:
    """The first page of a new store says what it does (the place index, then the articles) on a
    progress bar that moves, and the map follows."""
    process, base = start_server(corpus_dir, tmp_path / "store")
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        page = context.new_page()
        outside: list[str] = []
        allowed = (base, "data:", "blob:", "about:")
        page.on("request", lambda r: None if r.url.startswith(allowed) else outside.append(r.url))
        page.goto(base + "/Map", wait_until="commit")
        seen: list[tuple[str, float]] = []
        for _ in range(1200):
            for bar in page.locator("[data-testid='stProgress']").all():
                try:
                    text = bar.inner_text(timeout=100).strip()
                    value = float(bar.get_by_role("progressbar").get_attribute("aria-valuenow", timeout=100) or 0)
                except Exception:  # replaced while read
                    continue
                if not seen or seen[-1] != (text, value):
                    seen.append((text, value))
            if any(MAP_FRAME_URL in f.url for f in page.frames):
                break
            page.wait_for_timeout(50)
        texts = [text for text, _ in seen]
        assert any(t.startswith("Step 1 of 2 · ") and "place index" in t for t in texts), seen
        assert any(t.startswith("Step 2 of 2 · reading") for t in texts), seen
        values = [value for _, value in seen]
        assert values == sorted(values) and values[-1] > values[0], seen  # it moves, forward
        map_frame(page)
        assert not page.locator("[data-testid='stProgress']").count()
        assert outside == []
    finally:
        context.close()
        stop_server(process)


def test_a_new_server_first_asked_for_another_page_still_lists_the_overview(browser, corpus_dir, tmp_path) -> None:
    """Streamlit runs a pages/ script by itself until app.py has called st.navigation once; the
    pages hand over to app.py (components.sidebar.page_setup), so the first entry is the
    Overview, not "app", and the page asked for is served with its URL's filters."""
    process, base = start_server(corpus_dir, tmp_path / "store")
    context = browser.new_context(viewport={"width": 1500, "height": 1100})
    try:
        page = context.new_page()
        page.goto(base + "/Timeline?actor=" + quote("Syrian Democratic Forces"))
        page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first.wait_for(timeout=90_000)
        settle(page)
        entries = page.locator("[data-testid='stSidebarNav'] a").all_inner_texts()
        assert [e.strip() for e in entries][:3] == ["Overview", "Map", "Timeline"], entries
        assert page.get_by_role("heading", name="Timeline").count()
        assert (
            "Syrian Democratic Forces"
            in page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first.inner_text()
        )
    finally:
        context.close()
        stop_server(process)


def test_sources_page_highlights_the_selected_excerpt(page, events) -> None:
    event = events[(events["article_id"] == MOSUL)].iloc[0]
    page.goto(page.base + "/Sources?event=" + event["event_id"])
    page.wait_for_selector("iframe[srcdoc]", timeout=30_000)
    frame = next(f for f in page.frames if f.parent_frame and f.url == "about:srcdoc")
    frame.wait_for_selector("#selected", timeout=30_000)
    assert frame.inner_text("#selected").strip() == event["excerpt"].strip()
    visible = frame.evaluate(
        "() => { const r = document.getElementById('selected')"
        ".getBoundingClientRect(); return r.top >= 0 && "
        "r.bottom <= window.innerHeight; }"
    )
    assert visible, "the selected excerpt is not scrolled into view"
    assert (
        frame.evaluate("() => getComputedStyle(document.getElementById('selected')).backgroundColor")
        != "rgba(0, 0, 0, 0)"
    )
    assert page.external_requests == []


def test_the_xss_article_stays_inert(page, events) -> None:
    xss = events[events["article_id"] == XSS]
    assert len(xss), "the loader found no event in the XSS article"
    event_id = xss["event_id"].iloc[0]
    for path in (
        f"/Map?event={event_id}",
        f"/Sources?event={event_id}",
        f"/Events?event={event_id}",
        f"/?event={event_id}",
    ):
        page.goto(page.base + path)
        settle(page)
        page.wait_for_timeout(1500)
    page.goto(page.base + f"/Sources?event={event_id}")
    page.wait_for_selector("iframe[srcdoc]", timeout=30_000)
    frame = next(f for f in page.frames if f.url == "about:srcdoc")
    frame.wait_for_selector("#selected", timeout=30_000)
    assert "<script>alert(1)</script>" in frame.inner_text("body")
    assert frame.evaluate("() => document.querySelectorAll('img').length") == 0
    page.goto(page.base + f"/Map?event={event_id}")
    map_frame(page)
    page.locator(".sitrep-excerpt").first.wait_for(timeout=30_000)
    assert "<script>alert(1)</script>" in page.locator(".sitrep-excerpt").first.inner_text()
    assert page.dialogs == [], f"a script ran: {page.dialogs}"
    assert not any(re.search(r"(^|/)x$", url) for url in page.external_requests)
    assert page.external_requests == []


def test_every_sentence_of_a_retold_event_is_marked_listed_and_counted(page, events, corpus_dir) -> None:
    """An event its article tells in several sentences (its mentions): each one is marked on
    the Sources page (the excerpt outlined, the others dashed), listed in the details panel
    under "Told N times in this article", and the map's popup gives the count."""
    retold = events[(events["mentions"].map(len) > 1) & events["lat"].notna()]
    assert len(retold), "the extractor folded no sentences of the seeds into one event"
    event = retold.iloc[0]
    told = len(event["mentions"])
    text = data.load_events([corpus_dir]).articles.set_index("article_id").loc[event["article_id"], "text"]
    others = [
        text[m["start"] : m["end"]]
        for m in event["mentions"]
        if (m["start"], m["end"]) != (event["excerpt_start"], event["excerpt_end"])
    ]
    page.goto(page.base + "/Sources?event=" + event["event_id"])
    # (a cold server builds the store first)
    page.wait_for_selector("iframe[srcdoc]", timeout=90_000)
    frame = next(f for f in page.frames if f.parent_frame and f.url == "about:srcdoc")
    frame.wait_for_selector("#selected", timeout=30_000)
    marks = frame.locator(".excerpt.told")
    assert [t.strip() for t in marks.all_inner_texts()] == [t.strip() for t in others]
    assert frame.evaluate("() => getComputedStyle(document.querySelector('.excerpt.told')).outlineStyle") == "dashed"
    page.goto(page.base + "/Map?event=" + event["event_id"])
    map_frame(page)
    panel = page.locator(".sitrep-told").first
    panel.wait_for(timeout=30_000)
    assert f"Told {told} times in this article" in panel.inner_text()
    assert page.locator(".sitrep-mentions li").count() == told - 1
    frame = map_frame(page)
    click_event(page, frame, event["event_id"])
    frame.locator(".sitrep-popup").first.wait_for(timeout=10_000)
    popup = frame.locator(".sitrep-popup").first.inner_text()
    assert popup and f"told {told} times" in popup, popup
    assert page.external_requests == []


def test_markdown_in_url_values_fetches_nothing_and_links_nowhere(page) -> None:
    """Issue 13: `?actor=![x](http://tracker/p.png)` was echoed as Markdown: the page fetched the
    image (a request leaving the machine) and `[Session expired](http://evil)` was a live link."""
    hostile = [
        "![x](http://tracker.example/p.png)",
        "[Session expired](http://evil.example/login)",
        "www.evil.example",
        "help@evil.example",
    ]
    query = "&".join(f"actor={quote(value)}" for value in hostile)
    page.goto(page.base + f"/Map?{query}")
    map_frame(page)
    page.get_by_text("Session expired", exact=False).first.wait_for(timeout=30_000)
    note = page.locator(".sitrep-url-unmatched").first
    # shown as typed, as text (escaped HTML: no link, no image)
    assert "![x](http://tracker.example/p.png)" in note.inner_text().replace("\u2060", "")
    assert note.locator("a, img").count() == 0
    # (links to the app's own pages carry the view's parameters, hostile values included, as data)
    elsewhere = page.evaluate(
        "() => [...document.querySelectorAll('a[href]')].map(a => a.href)"
        ".filter(h => new URL(h).origin !== location.origin)"
    )
    assert elsewhere == []
    assert page.locator("img[src*='tracker.example']").count() == 0
    assert page.external_requests == []


# The ids in the largest stack on the map and the count it shows.
LARGEST_STACK_JS = """() => {
  const cluster = window.sitrep.cluster();
  let best = null;
  window.sitrep.ids().forEach(id => {
    const m = window.sitrep.marker(id);
    const v = window.map.hasLayer(m) ? m : cluster.getVisibleParent(m);
    if (v && v.getChildCount && (!best || v.getChildCount() > best.getChildCount())) best = v;
  });
  return best && {ids: best.getAllChildMarkers().map(m => m.sitrepId),
                  label: best._icon ? best._icon.innerText.trim() : null};
}"""


@pytest.mark.parametrize("view", ["reports", "incidents"])
def test_every_report_of_a_stack_at_raqqa_is_reached_by_clicks(page, events, view) -> None:
    """Several reports share Raqqa's point: they form one stack showing their count; a click
    spreads it out, and a click on each of its markers selects that event (the URL names it,
    the details panel shows it), one after the other."""
    page.goto(page.base + "/Map?min_conf=0" + ("&view=incidents" if view == "incidents" else ""))
    frame = map_frame(page)
    frame.evaluate("() => { window.map.setView([35.95, 39.0], 7, {animate: false}); return 1; }")
    page.wait_for_timeout(500)
    stack = frame.evaluate(LARGEST_STACK_JS)
    assert stack and len(stack["ids"]) >= 3, stack
    assert stack["label"] == str(len(stack["ids"]))
    at_raqqa = events[events["event_id"].isin(stack["ids"])]
    assert len(at_raqqa) == len(stack["ids"]) and set(at_raqqa["place"]) == {"Raqqa"}
    assert at_raqqa[["lat", "lon"]].drop_duplicates().shape[0] == 1, "not one point"
    reached = []
    for event_id in stack["ids"]:
        click_event(page, frame, event_id)
        page.wait_for_function(
            "(id) => new URLSearchParams(location.search).get('event') === id", arg=event_id, timeout=15_000
        )
        if view == "reports":
            excerpt = events.loc[events["event_id"] == event_id, "excerpt"].iloc[0].strip()
            page.wait_for_function(
                "(want) => { const e = document.querySelector('.sitrep-excerpt');"
                " return e && e.innerText.trim() === want; }",
                arg=excerpt,
                timeout=15_000,
            )
        else:
            page.locator(".sitrep-details").first.wait_for(timeout=15_000)
        reached.append(event_id)
    assert sorted(reached) == sorted(stack["ids"])
    # The map was not reloaded by the clicks: the stack is still spread out.
    assert frame.evaluate("() => !!window.sitrep.cluster()._spiderfied")
    assert page.external_requests == []


def test_the_map_outlines_the_operations_of_its_events(page) -> None:
    """Issue 14: the named operations the shown events belong to are drawn (outline and name)."""
    page.goto(page.base + "/Map?min_conf=0")
    frame = map_frame(page)
    drawn = frame.evaluate("() => window.sitrep.operations()")
    assert {"raqqa", "mosul"} <= set(drawn) and "oir" not in drawn
    labels = frame.locator(".sitrep-operation-label").all_inner_texts()
    assert "Battle of Raqqa" in labels and "Battle of Mosul" in labels
    assert page.external_requests == []


def taken_places(page) -> dict[str, dict]:
    """The progression map's rings by place name (from their tooltips' first words), or {}."""
    rings = map_frame(page).evaluate(
        "() => window.sitrep.taken().map(t => ({side: t.side, colour: t.colour, lat: t.lat, lon: t.lon}))"
    )
    return {(round(t["lat"], 2), round(t["lon"], 2)): t for t in rings}


def test_events_take_their_operations_colours_and_the_places_taken_follow_play(page, events) -> None:
    """Issue 14: coloured by operation, each event has its operation's colour (grey for none);
    the places reported taken are ringed in the colour of the side that took them, by Play's
    cut-off: none at its first step, then more as Play advances."""
    from components.format import NO_OPERATION_COLOUR, operation_colours

    colours = operation_colours(events["operation_id"])
    page.goto(page.base + "/Map?min_conf=0&colour=operation")
    frame = map_frame(page)
    assert frame.evaluate("() => window.sitrep.colourBy()") == "operation"
    located = events[events["lat"].notna() & events["lon"].notna()]
    for event in located.itertuples():
        want = colours[event.operation_id] if event.operation_id else NO_OPERATION_COLOUR
        assert frame.evaluate("(id) => window.sitrep.colourOf(id)", event.event_id) == want, event.operation_id
    assert colours["raqqa"] != colours["mosul"]
    rings = taken_places(page)
    raqqa = events[
        (events["operation_id"] == "raqqa") & (events["sub_event_type"] == "Non-state actor overtakes territory")
    ]
    mosul = events[(events["operation_id"] == "mosul") & (events["sub_event_type"] == "Government regains territory")]
    at_raqqa = rings[(round(raqqa["lat"].iloc[0], 2), round(raqqa["lon"].iloc[0], 2))]
    at_mosul = rings[(round(mosul["lat"].iloc[0], 2), round(mosul["lon"].iloc[0], 2))]
    assert at_raqqa["side"] == "Syrian Democratic Forces" and at_mosul["side"] == "Iraqi Security Forces"
    assert at_raqqa["colour"] != at_mosul["colour"]
    # hovering a ring's stroke says what was taken, by whom and when
    ring = frame.evaluate(
        "([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]); return [p.x + 19, p.y]; }",
        [at_raqqa["lat"], at_raqqa["lon"]],
    )
    box = page.locator(MAP_IFRAME).first.bounding_box()
    page.mouse.move(box["x"] + ring[0], box["y"] + ring[1])
    tooltip = frame.locator(".leaflet-tooltip", has_text="taken by Syrian Democratic Forces")
    tooltip.wait_for(timeout=10_000)
    assert "17 Oct 2017" in tooltip.inner_text()
    filters_drawn(page)
    slider = page.locator("input[type='range'][aria-label='Events up to']")
    slider.focus()
    page.keyboard.press("Home")  # the first step, before Mosul was retaken (10 July 2017)
    page.wait_for_function(
        "() => { const f = [...document.querySelectorAll('iframe')].find(i => i.title.includes('sitrep_map'));"
        " return f && f.contentWindow.sitrep && f.contentWindow.sitrep.taken().length === 0; }",
        timeout=30_000,
    )
    settle(page)
    page.locator("[data-testid='stSidebar']").hover()  # (off the map)
    page.get_by_text("fast", exact=True).click()
    page.locator("label").filter(has_text="Play").first.click()
    # Play advances week by week: Mosul's ring comes first, Raqqa's at the end
    page.wait_for_function(
        "() => { const f = [...document.querySelectorAll('iframe')].find(i => i.title.includes('sitrep_map'));"
        " return f && f.contentWindow.sitrep && f.contentWindow.sitrep.taken().length >= 1; }",
        timeout=60_000,
    )
    first = taken_places(page)
    assert [t["side"] for t in first.values()] == ["Iraqi Security Forces"]
    assert page.external_requests == []


def test_a_click_on_an_operations_band_selects_the_operation(page, events) -> None:
    """Issue 14: the timeline's operation rows band each operation across its span; a click on
    a band filters the view to that operation (the URL says ?operation=), and the map follows."""
    page.goto(page.base + "/Map?min_conf=0")
    everything = marker_ids(page)
    page.locator(".st-key-map_timeline_rows button", has_text="operation").click()
    band = page.locator(".vega-embed path[aria-label*='kind: band; operation: Battle of Raqqa;']")
    band.wait_for(timeout=30_000)
    box = band.bounding_box()
    band.click(position={"x": box["width"] * 0.4, "y": box["height"] / 2})
    page.wait_for_url(re.compile(r"[?&]operation=raqqa\b"), timeout=15_000)
    shown = markers_change(page, everything)
    assert set(events[events["event_id"].isin(shown)]["operation_id"]) == {"raqqa"}
    assert page.external_requests == []
