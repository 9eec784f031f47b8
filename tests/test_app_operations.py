"""AppTest: the Operations page and the operation filter on the seeds."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

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
