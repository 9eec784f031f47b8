"""AppTest interactions: set the filters by widget key or URL and check what the pages show.

Assertions are about properties of the seeds (which article an actor appears in), not about the
loader's exact events, so they hold while the extraction improves.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import report_map_drawn, run_app

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import data  # noqa: E402

RAQQA, MOSUL = "000_0c418d0bc87b24e1", "003_4bfae4d84285c5d1"
SDF, IS = "Syrian Democratic Forces", "Islamic State"


@pytest.fixture(scope="module")
def seeds():
    return data.load_events([REPO / "seeds"]).events


@pytest.fixture(autouse=True)
def on_seeds(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SITREP_ARTICLES", str(REPO / "seeds"))
    monkeypatch.setenv("SITREP_STORE", str(tmp_path / "store"))
    monkeypatch.delenv("SITREP_SYNTHETIC", raising=False)


run = run_app


def map_ids(at: AppTest) -> list[str]:
    """Event ids of the markers on the (single) map of the page."""
    from test_app_pages import map_args

    maps = map_args(at)
    assert len(maps) == 1, f"expected one map, found {len(maps)}"
    return [row[0] for row in maps[0]["payload"]["rows"]]


def param(at: AppTest, name: str) -> list[str]:
    """A URL parameter's values as a list (AppTest gives one value as a plain string)."""
    value = at.query_params.get(name, [])
    return [value] if isinstance(value, str) else list(value)


def articles_of(ids: list[str], seeds) -> set[str]:
    return set(seeds[seeds["event_id"].isin(ids)]["article_id"])


def events_count(at: AppTest) -> int:
    return int(re.search(r"Events \((\d+)\)", at.title[0].value).group(1))


def test_actor_widget_sdf_drops_every_mosul_event(seeds) -> None:
    at = run("pages/1_Map.py")
    before = map_ids(at)
    assert articles_of(before, seeds) == {RAQQA, MOSUL}
    at.multiselect(key="f_actors").set_value([SDF]).run()
    after = map_ids(at)
    assert after and set(after) < set(before)
    assert articles_of(after, seeds) == {RAQQA}
    assert param(at, "actor") == [SDF]


def test_url_actor_islamic_state_keeps_both_seeds(seeds) -> None:
    at = run("pages/1_Map.py", actor=IS)
    assert at.multiselect(key="f_actors").value == [IS]
    ids = map_ids(at)
    assert articles_of(ids, seeds) == {RAQQA, MOSUL}
    assert all(IS in actors for actors in seeds.set_index("event_id").loc[ids, "actors"])


def test_url_actor_alias_is_resolved(seeds) -> None:
    aliases = REPO / "data" / "reference" / "actors.csv"
    if "ISIS" not in aliases.read_text(encoding="utf-8"):
        pytest.skip("reference/actors.csv has no ISIS alias")
    at = run("pages/4_Events.py", actor="ISIS")
    assert at.multiselect(key="f_actors").value == [IS]


def unmatched_note(at: AppTest) -> str:
    """The body of the page's "not applied from the address" note ("" when there is none)."""
    notes = [h.proto.body for h in at.get("html") if "sitrep-url-unmatched" in h.proto.body]
    return notes[0] if notes else ""


def test_unknown_url_values_are_reported_as_plain_text() -> None:
    at = run(actor="Nobody", type="Riots", place="*Atlantis*", **{"from": "2030-01-01"})
    assert at.multiselect(key="f_actors").value == []
    note = unmatched_note(at)
    assert "no actor named &#x27;Nobody&#x27;" in note
    assert "no event type &#x27;Riots&#x27;" in note and "no place &#x27;*Atlantis*&#x27;" in note
    assert "no events from 2030-01-01 on" in note
    # the date that matches nothing is not applied: the default range stays
    data_ = at.session_state["f_dates"]
    assert data_[0].year < 2030
    # a filter change is a new view: the note goes
    at.multiselect(key="f_types").set_value(["Battles"]).run()
    assert unmatched_note(at) == ""


def test_a_url_value_is_never_markdown() -> None:
    at = run(actor="**bold** [link](http://example.com) <b>x</b>")
    note = unmatched_note(at)
    assert "**bold** [link](http://example.com) &lt;b&gt;x&lt;/b&gt;" in note
    assert not any("bold" in w.value for w in at.warning)


def test_typed_alias_options_name_their_aliases() -> None:
    at = run()
    labels = at.multiselect(key="f_actors").proto.options
    assert any(label.startswith("Islamic State (") and "ISIS" in label for label in labels)
    assert any(label.startswith("Syrian Democratic Forces (") and "SDF" in label for label in labels)
    # typing "SDF" shows it in one label only, so Enter selects exactly that actor
    assert sum("sdf" in label.casefold() for label in labels) == 1


def test_each_filter_widget_narrows_the_events_table(seeds) -> None:
    at = run("pages/4_Events.py", min_conf="0")  # (every event, whatever its confidence)
    total = events_count(at)
    assert total == len(seeds)
    at.multiselect(key="f_types").set_value(["Battles"]).run()
    battles = events_count(at)
    assert battles == (seeds["event_type"] == "Battles").sum() and battles < total
    at.text_input(key="f_q").input("stadium").run()
    stadium = events_count(at)
    assert 0 < stadium < battles
    assert param(at, "q") == ["stadium"] and param(at, "type") == ["Battles"]
    at.button(key="clear_filters").click().run()
    # (clearing the filters goes back to the default minimum confidence)
    assert events_count(at) == (seeds["confidence"] >= data.filters.DEFAULT_MIN_CONFIDENCE).sum()
    at.slider(key="f_min_conf").set_value(1.0).run()
    assert events_count(at) == (seeds["confidence"] >= 1.0).sum()


def test_country_and_date_filters(seeds) -> None:
    at = run("pages/4_Events.py", min_conf="0")
    countries = at.multiselect(key="f_countries").options
    assert "IQ" in countries
    at.multiselect(key="f_countries").set_value(["IQ"]).run()
    assert events_count(at) == (seeds["country"] == "IQ").sum()
    at.button(key="clear_filters").click().run()
    at = run("pages/4_Events.py", min_conf="0", **{"from": "2017-07-01", "to": "2017-07-31"})
    starts = data.filters.normalise_events(seeds)
    expected = ((starts["date_end"] >= "2017-07-01") & (starts["date_start"] <= "2017-07-31")).sum()
    assert events_count(at) == expected
    assert param(at, "from") == ["2017-07-01"]


def test_url_event_opens_that_event_everywhere(seeds) -> None:
    raqqa = seeds[(seeds["article_id"] == RAQQA) & seeds["excerpt"].str.contains("stadium")]
    event_id = raqqa["event_id"].iloc[0]
    at = run("pages/1_Map.py", event=event_id)
    assert at.session_state["selected_event"] == event_id
    details = "".join(e.proto.body for e in at.main.get("html") if hasattr(e.proto, "body"))
    assert "sitrep-details" in details and "stadium" in details
    at = run("pages/3_Sources.py", event=event_id)
    assert at.selectbox(key="sources_article").value == RAQQA
    assert param(at, "event") == [event_id]


def test_map_click_selects_by_event_id(seeds, monkeypatch) -> None:
    """The map component sends {event, at} for a click on an event: that event becomes the
    selection; its report that it has drawn selects nothing."""
    from types import SimpleNamespace

    from components import mapview, state

    event_id = seeds["event_id"].iloc[3]
    chosen, drawn = [], []
    monkeypatch.setattr(state, "select", chosen.append)
    monkeypatch.setattr(state, "map_drawn", lambda sink: drawn.append(sink))
    session = {"map": {"event": event_id, "at": 1}}
    monkeypatch.setattr(mapview, "st", SimpleNamespace(session_state=session))
    mapview._on_message("map")
    assert chosen == [event_id] and drawn == []
    session["map"] = {"drawn": "abc", "at": 2}
    mapview._on_message("map")
    assert chosen == [event_id] and drawn == ["map_drawn"]
    session["map"] = {"event": ["not", "an", "id"], "at": 3}
    mapview._on_message("map")
    assert chosen == [event_id]


def _types(at: AppTest) -> set[str]:
    found: set[str] = set()

    def walk(node) -> None:
        if getattr(node, "type", None):
            found.add(node.type)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def test_the_filters_and_the_timeline_wait_until_the_map_has_drawn(seeds) -> None:
    """First paint: on a session's first page the Map page sends the map, filtered by the URL,
    and notes in place of the sidebar filters, the play control and the timeline, each a keyed
    fragment; the map's "drawn" report (components.state.map_drawn) reruns those fragments,
    which draw them. On a later visit the filters and the play control are drawn at once and
    only the timeline waits; reruns within a visit wait for nothing."""
    from components import sidebar, state, timeline

    at = run("pages/1_Map.py", map_drawn=False, actor=IS)
    assert "vega_lite_chart" not in _types(at)
    assert not at.sidebar.multiselect
    captions = [c.value for c in at.caption]
    assert "Drawing the map first; the filters follow." in captions
    assert "Drawing the map first; the play control follows." in captions
    assert not at.toggle
    assert any("Drawing the map first; the timeline follows." in c for c in captions)
    assert "Drawing the map first; the colour switch follows." in captions
    assert at.session_state[state.DEFERRED] == [
        sidebar.FILTERS_KEY,
        timeline.PLAY_KEY,
        "map_colour_panel",
        "map_timeline_panel",
        "map_download_panel",
    ]
    ids = map_ids(at)  # the URL's filter holds already
    assert ids and all(IS in seeds.set_index("event_id").loc[i, "actors"] for i in ids)
    assert not at.get("download_button")  # "Download this map as HTML" waits with them
    report_map_drawn(at)
    assert "vega_lite_chart" in _types(at)
    assert len(at.get("download_button")) == 1
    assert at.multiselect(key="f_actors").value == [IS]
    assert at.toggle(key="play_on").value is False
    at.multiselect(key="f_types").set_value(["Battles"]).run()
    assert "vega_lite_chart" in _types(at)
    at.switch_page("pages/4_Events.py").run()
    at.switch_page("pages/1_Map.py").run()
    assert "vega_lite_chart" not in _types(at)
    assert at.multiselect(key="f_types").value == ["Battles"]
    assert not any("play control follows" in c.value or "colour switch follows" in c.value for c in at.caption)
    assert at.session_state[state.DEFERRED] == ["map_timeline_panel", "map_download_panel"]


def test_the_map_report_reruns_only_fragments(monkeypatch) -> None:
    """components.state.map_drawn: the fragments that wait, or only the map's empty sink once
    this visit's map has drawn; never the page (a click on the map made meanwhile could be lost)."""
    from types import SimpleNamespace

    from components import state

    asked = []

    def rerun(scope="app"):
        asked.append(scope)
        raise RuntimeError("rerun")

    for waiting, expected in (
        (["map_timeline_panel"], ["map_timeline_panel"]),
        (
            ["sidebar_filters", "play_control", "map_timeline_panel"],
            ["sidebar_filters", "play_control", "map_timeline_panel"],
        ),
        ([], "map_drawn"),
    ):
        session = {state.PAGE_VISIT: 3, state.DEFERRED: waiting}
        monkeypatch.setattr(state, "st", SimpleNamespace(session_state=session, rerun=rerun))
        with pytest.raises(RuntimeError):
            state.map_drawn(sink="map_drawn")
        assert asked.pop() == expected
        assert session[state.MAP_DRAWN] == 3
        with pytest.raises(RuntimeError):  # a second report: this visit's map has drawn
            state.map_drawn(sink="map_drawn")
        assert asked.pop() == "map_drawn"


def test_the_map_fingerprint_follows_what_the_map_shows(seeds) -> None:
    """The map payload is cached by a digest of the shown columns (remembered per frame, so a
    click's fragment rerun does not hash again); equal content, equal digest."""
    from components import mapview
    from components.format import with_display_columns

    events = with_display_columns(data.filters.normalise_events(seeds))
    first = mapview.fingerprint(events, False, None)
    assert mapview.fingerprint(events, False, None) == first
    assert mapview.fingerprint(events.copy(), False, None) == first
    assert mapview.fingerprint(events, True, None) != first
    first_located = events["lat"].notna().idxmax()
    changed = events.copy()
    changed.loc[first_located, "excerpt"] = "another sentence"
    assert mapview.fingerprint(changed, False, None) != first
    moved = events.copy()
    moved.loc[first_located, "lat"] += 0.5
    assert mapview.fingerprint(moved, False, None) != first


def test_building_the_store_keeps_the_page_layout() -> None:
    """The store's progress bar keeps its place in every run (components.state.corpus), so the
    elements after it keep theirs: the map's frame is not loaded again, and a click made during
    that rerun is not lost, when the run after the one that built the store redraws the page."""

    def page() -> None:
        import streamlit as st

        from components import state

        state.corpus()
        st.title("after the store")

    def title_index(at: AppTest) -> int:
        return next(i for i, node in at.main.children.items() if getattr(node, "type", "") == "title")

    building = AppTest.from_function(page, default_timeout=120).run()
    assert not building.exception
    built = AppTest.from_function(page, default_timeout=120).run()
    assert title_index(building) == title_index(built) == 1


@pytest.mark.parametrize(
    "figures, words",
    [
        ((22, 22, 22), "22 killed"),
        ((22, None, None), "22 killed"),
        ((15, 10, 15), "10–15 killed"),
        ((24, 24, None), "at least 24 killed"),  # how the extractor writes "at least 24"
        ((None, 24, None), "at least 24 killed"),  # "dozens"
        ((None, None, 300), "up to 300 killed"),  # "up to 300": a high bound alone
        ((None, None, None), "not reported"),  # unknown is never 0
        ((0, 0, 0), "0 killed"),
    ],
)
def test_fatalities_in_words_keep_their_bounds(figures, words) -> None:
    """A report's deaths as the details panel, popups and tables say them
    (components.format.fatalities_words): an open bound stays open."""
    from components.format import fatalities_words

    assert fatalities_words(*figures) == words
