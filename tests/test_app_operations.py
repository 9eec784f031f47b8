"""AppTest: the Operations page and the operation filter on the seeds."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from components.format import NO_OPERATION, NO_OPERATION_COLOUR, OPERATION_PALETTE, operation_colours
from components.mapview import OPERATION_OUTLINE
from components.operations import deaths_text, sentence_around
from data.operations import unknown_operation_names
from tests.conftest import run_app

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def seeds(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SITREP_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("SITREP_ARTICLES", str(REPO / "seeds"))
    monkeypatch.delenv("SITREP_SYNTHETIC", raising=False)


def test_operations_page_lists_the_battles_of_raqqa_and_mosul_side_by_side(seeds) -> None:
    at = run_app("pages/6_Operations.py", min_conf="0")
    table = at.dataframe[0].value
    assert {"Battle of Raqqa", "Battle of Mosul"} <= set(table["Operation"])
    raqqa = table[table["Operation"] == "Battle of Raqqa"].iloc[0]
    assert raqqa["Reports"] >= 3 and raqqa["Part of"] == "Raqqa campaign (Wrath of the Euphrates)"
    assert raqqa["Map"] == "Map?operation=raqqa&min_conf=0"
    assert raqqa["Days"] == 134  # 6 June – 17 October 2017
    headers = [s.value for s in at.subheader]
    assert "Battle of Mosul" in headers and len([s for s in at.selectbox if s.label.startswith("Operation")]) == 2


def test_the_operation_in_the_url_filters_every_page(seeds) -> None:
    at = run_app("pages/4_Events.py", operation="raqqa", min_conf="0")
    shown = at.dataframe[0].value
    everything = run_app("pages/4_Events.py", min_conf="0").dataframe[0].value
    assert 3 <= len(shown) < len(everything)
    assert at.session_state["f_operations"] == ["raqqa"]
    unknown = run_app("pages/4_Events.py", operation="no-such-operation")
    notes = [h.proto.body for h in unknown.get("html") if "sitrep-url-unmatched" in h.proto.body]
    assert any(
        "no operation &#x27;no-such-operation&#x27;" in n or "no operation 'no-such-operation'" in n for n in notes
    ), notes


def test_deaths_are_a_range_and_unknown_is_not_zero() -> None:
    assert deaths_text(None, None) == "not reported"
    assert deaths_text(float("nan"), float("nan")) == "not reported"
    assert deaths_text(41, 48) == "41–48"
    assert deaths_text(1500, 1500) == "1,500"


def test_operations_the_reference_lacks_are_listed_with_their_sentence() -> None:
    text = (
        "Troops pressed on. Operation Roaring Lion began at dawn near the border, officials said. "
        "The Mosul offensive went on. The Joint Operations Command said little. "
        "The U.S.-backed offensive slowed."
    )
    articles = pd.DataFrame({"article_id": ["a"], "text": [text]})
    found = unknown_operation_names(articles)
    assert list(found["name"]) == ["Operation Roaring Lion"]  # the known, the headquarters, the backed: not
    row = found.iloc[0]
    assert (
        sentence_around(text, row["start"], row["end"])
        == "Operation Roaring Lion began at dawn near the border, officials said."
    )


def test_the_map_draws_the_areas_of_the_operations_of_its_events() -> None:
    from components.mapview import operation_areas

    events = pd.DataFrame({"operation_id": ["raqqa", "raqqa", "mosul", "", "oir"]})
    areas = {row[0]: row for row in operation_areas(events)}
    # the battle and its campaign; no theatre-wide campaign (Operation Inherent Resolve)
    assert set(areas) == {"raqqa", "raqqa-campaign", "mosul"}
    assert areas["raqqa"][1] == "Battle of Raqqa" and areas["raqqa"][4] == 15
    assert operation_areas(pd.DataFrame({"event_id": ["e"]})) == []


# --- issue 14: operations on the map (colours, progression) and on the timeline (bands) ---------


def test_every_operation_keeps_one_colour_whatever_the_filters() -> None:
    colours = operation_colours(["raqqa", "mosul", "", "no-such-operation", "mosul-old-city"])
    # the battles with their campaigns (the phase is its battle's), in the reference's order
    assert list(colours) == ["oir", "mosul", "raqqa-campaign", "raqqa"]
    assert set(colours.values()) <= set(OPERATION_PALETTE) and len(set(colours.values())) == 4
    assert operation_colours(["mosul", "raqqa"]) == colours  # the same set: the same colours
    assert NO_OPERATION_COLOUR not in OPERATION_PALETTE


def _seed_view() -> pd.DataFrame:
    from data import load_events

    return load_events([REPO / "seeds"]).events


def test_the_map_colours_events_by_their_operation_and_leaves_the_others_grey() -> None:
    from components.mapview import build_payload, view_data

    events = _seed_view()
    colours = operation_colours(events["operation_id"])
    payload = build_payload(events, colour_by="operation", operation_colours=colours)
    legend = dict(zip(payload["types"], payload["colours"], strict=True))
    assert legend["Battle of Raqqa"] == colours["raqqa"] and legend["Battle of Mosul"] == colours["mosul"]
    assert legend[NO_OPERATION] == NO_OPERATION_COLOUR and list(legend)[-1] == NO_OPERATION
    by_id = {row[0]: payload["types"][row[3]] for row in payload["rows"]}
    for event in events[events["lat"].notna()].itertuples():
        assert by_id[event.event_id] == (event.operation if event.operation_id else NO_OPERATION)
    by_type = build_payload(events)
    assert set(by_type["types"]) <= set(events["event_type"])
    # the two colourings are two views of the map (no cached payload of the other)
    meta_type, _ = view_data(events)
    meta_operation, _ = view_data(events, colour_by="operation", operation_colours=colours)
    assert meta_type["data_id"] != meta_operation["data_id"] and meta_operation["colour_by"] == "operation"
    outlines = {row[0]: row[5] for row in meta_operation["operations"]}
    assert outlines["raqqa"] == colours["raqqa"]
    assert {row[5] for row in meta_type["operations"]} == {OPERATION_OUTLINE}


def test_the_progression_map_rings_the_places_taken_by_the_cut_off_escaped() -> None:
    from components.mapview import taken_legend_html, taken_places

    events = _seed_view()
    everything = taken_places(events)
    assert [side[0] for side in everything["sides"]] == ["Iraqi Security Forces", "Syrian Democratic Forces"]
    assert len(everything["places"]) == 2 and everything["until"] == ""
    july = taken_places(events, date(2017, 7, 31))
    assert july["sides"] == [[n, c, count] for (n, c, _), count in zip(everything["sides"], [1, 0], strict=True)]
    (mosul,) = july["places"]
    assert mosul[2] == 0 and "<b>Mosul</b>: taken by Iraqi Security Forces" in mosul[3] and "10 Jul 2017" in mosul[3]
    assert "by 31 Jul 2017" in taken_legend_html(july)
    hostile = events.copy()
    hostile.loc[hostile["place"] == "Raqqa", "place"] = "<img src=x onerror=alert(1)>"
    hostile["actor1"] = hostile["actor1"].replace("Syrian Democratic Forces", "<b>SDF</b>")
    text = str(taken_places(hostile))
    assert "<img" not in text and "&lt;img src=x" in text and "<b>SDF</b>" not in text
    assert taken_places(events[events["operation_id"] == ""]) is None


def test_the_timeline_bands_each_operation_with_its_phases_under_it() -> None:
    from components.timeline import PICK_OPERATION, band_frame, build_chart, operation_rows, timeline_frame

    rows = operation_rows(["raqqa", "mosul", ""])
    assert [r["row"] for r in rows] == [
        "Battle of Mosul",
        "\u21b3 eastern Mosul",
        "\u21b3 western Mosul",
        "\u2003\u21b3 Old City",
        "Battle of Raqqa",
    ]
    assert {r["operation_id"] for r in rows[:4]} == {"mosul"}  # a phase's band selects its battle
    events = _seed_view()
    frame = timeline_frame(events, rows="operation").set_index("event_id")
    old_city = events[events["operation_phase"] == "Battle of Mosul: Old City"]["event_id"]
    assert set(frame.loc[old_city, "row"]) == {"\u2003\u21b3 Old City"}
    assert set(frame.loc[old_city, "colour"]) == {"Battle of Mosul"}
    assert set(frame.loc[events[events["operation_id"] == ""]["event_id"], "row"]) == {NO_OPERATION}
    bands = band_frame(events, None).set_index("row")
    assert bands.loc["Battle of Raqqa", "start"] == "2017-06-06T00:00:00Z"
    assert bands.loc["Battle of Raqqa", "end"] == "2017-10-18T00:00:00Z"  # its last day counts
    spec = build_chart(events, rows="operation", operation_colours=operation_colours(events["operation_id"])).to_dict()
    assert PICK_OPERATION in {p["name"] for p in spec.get("params", [])} | {
        p["name"] for layer in spec["layer"] for p in layer.get("params", [])
    }
    assert "pick_operation" not in str(build_chart(events, rows="type").to_dict())


def param(at, name: str) -> list[str]:
    """A URL parameter's values as a list (AppTest gives one value as a plain string)."""
    value = at.query_params.get(name, [])
    return [value] if isinstance(value, str) else list(value)


def _map_args(at) -> dict:
    from tests.test_app_pages import map_args

    (args,) = map_args(at)
    return args


def test_colour_by_operation_round_trips_the_url_and_the_switch(seeds) -> None:
    at = run_app("pages/1_Map.py", min_conf="0", colour="operation")
    assert at.session_state["map_colour"] == "operation"
    assert param(at, "colour") == ["operation"]
    args = _map_args(at)
    assert args["meta"]["colour_by"] == "operation" and "Battle of Raqqa" in args["meta"]["types"]
    at.segmented_control(key="map_colour").set_value("type").run()
    assert "colour" not in at.query_params and _map_args(at)["meta"]["colour_by"] == "type"
    at.segmented_control(key="map_colour").set_value("operation").run()
    assert param(at, "colour") == ["operation"] and _map_args(at)["meta"]["colour_by"] == "operation"
    wrong = run_app("pages/1_Map.py", colour="rainbow")
    notes = " ".join(h.proto.body for h in wrong.get("html") if "sitrep-url-unmatched" in h.proto.body)
    assert "no colouring" in notes and wrong.session_state["map_colour"] == "type"


def test_the_progression_map_follows_the_play_slider(seeds) -> None:
    from components.timeline import play_steps

    at = run_app("pages/1_Map.py", min_conf="0")
    taken = _map_args(at)["taken"]
    assert {t[3].split("</b>")[0] for t in taken["places"]} == {"<b>Mosul", "<b>Raqqa"} and taken["until"] == ""
    steps, _ = play_steps(_seed_view(), tuple(at.session_state["f_dates"]))
    before_raqqa = max(step for step in steps if step < date(2017, 10, 17))
    at.select_slider(key="play_until").set_value(before_raqqa).run()
    early = _map_args(at)["taken"]
    assert early["until"] == before_raqqa.isoformat()
    assert [t[3].split("</b>")[0] for t in early["places"]] == ["<b>Mosul"]
    assert [side[:2] for side in early["sides"]] == [side[:2] for side in taken["sides"]]  # colours stay put


def test_the_timeline_page_draws_operation_bands_that_a_click_can_select(seeds) -> None:
    import json

    from components.timeline import PICK_OPERATION
    from tests.test_app_pages import elements

    at = run_app("pages/2_Timeline.py", min_conf="0")
    at.segmented_control(key="timeline_rows").set_value("operation").run()
    assert not at.exception
    (chart,) = elements(at, "vega_lite_chart")
    spec = json.loads(chart.proto.spec)
    params = {p["name"] for p in spec.get("params", [])} | {
        p["name"] for layer in spec["layer"] for p in layer.get("params", [])
    }
    assert PICK_OPERATION in params and PICK_OPERATION in list(chart.proto.selection_mode)
    rows = next(layer["encoding"]["y"]["sort"] for layer in spec["layer"] if "y" in layer.get("encoding", {}))
    assert rows.index("Battle of Mosul") < rows.index("\u2003\u21b3 Old City") < rows.index("Battle of Raqqa")
    assert rows[-1] == NO_OPERATION
    assert any("Click an operation's band" in c.value for c in at.caption)


def test_the_timeline_page_colours_its_marks_as_the_map_does(seeds) -> None:
    import json

    from tests.test_app_pages import elements

    at = run_app("pages/2_Timeline.py", min_conf="0")
    at.segmented_control(key="map_colour").set_value("operation").run()
    assert not at.exception and param(at, "colour") == ["operation"]
    (chart,) = elements(at, "vega_lite_chart")
    spec = json.loads(chart.proto.spec)
    colour = next(layer["encoding"]["color"] for layer in spec["layer"] if "color" in layer.get("encoding", {}))
    assert colour["field"] == "colour" and "Battle of Raqqa" in colour["scale"]["domain"]
    at.segmented_control(key="map_colour").set_value(None).run()  # a click on the chosen one
    assert at.session_state["map_colour"] == "type" and "colour" not in at.query_params
