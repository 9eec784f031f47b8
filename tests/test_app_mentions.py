"""Every sentence that tells an event (its `mentions`) on the Sources page and in the details
panel, and the default minimum confidence with its "show all" switch and URL round trip.

The pure HTML builders are tested on texts written here (with markup in them); the pages run
on synthetic events (data.synthetic: every third article tells its first event twice), so the
assertions do not depend on what the extractor folds.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import run_app

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from components.details import event_html  # noqa: E402
from components.format import mention_offsets, with_display_columns  # noqa: E402
from components.sources import article_html  # noqa: E402
from data.filters import DEFAULT_MIN_CONFIDENCE, normalise_events  # noqa: E402
from data.synthetic import RETOLD_PREFIX, generate  # noqa: E402

SYNTHETIC = "90:4"

# Four sentences; A is told in the first and third, B in the second, third and fourth.
S1 = "Iraqi troops stormed the village of Kharab on 3 May."
S2 = "Militants shelled the bridge at Hamra."
S3 = "The troops who took Kharab <script>alert(1)</script> also hit the bridge, witnesses said."
S4 = "The bridge was shelled again <b>that night</b>."
TEXT = " ".join((S1, S2, S3, S4))


def at(sentence: str) -> tuple[int, int]:
    start = TEXT.index(sentence)
    return start, start + len(sentence)


def span(kind: str, word: str, sentence: str) -> dict:
    start = TEXT.index(sentence) + sentence.index(word)
    return {"kind": kind, "start": start, "end": start + len(word)}


def event(event_id: str, sentences: list[str], spans: list[dict]) -> dict:
    start, end = at(sentences[0])
    return {
        "event_id": event_id,
        "excerpt": sentences[0],
        "excerpt_start": start,
        "excerpt_end": end,
        "spans": spans,
        "mentions": [dict(zip(("start", "end"), at(s), strict=False)) for s in sentences],
    }


A = event(
    "A",
    [S1, S3],
    [
        span("actor", "Iraqi troops", S1),
        span("place", "Kharab", S1),
        span("place", "Kharab", S3),
        span("trigger", "took", S3),
    ],
)
B = event("B", [S2, S3, S4], [span("place", "Hamra", S2)])
EVENTS = pd.DataFrame([A, B])


def marks(page: str) -> list[tuple[str, str]]:
    """(class, inner HTML) of each excerpt mark of an article's HTML."""
    return re.findall(r'<span(?: id="selected")? class="([^"]+)" data-event="[^"]*">(.*?)</span>', page, flags=re.S)


def test_sources_marks_every_sentence_of_the_selected_event_and_of_the_others() -> None:
    page = article_html(TEXT, EVENTS, "A")
    found = marks(page)
    assert [c for c, _ in found] == ["excerpt selected", "excerpt", "excerpt told", "excerpt"]
    # Each sentence is marked once, escaped; the selected event's words are highlighted in all
    # of its sentences, the shared third sentence counts as the selected event's.
    assert re.sub(r"<[^>]+>", "", found[0][1]) == S1
    assert '<mark class="hl-place" title="place">Kharab</mark>' in found[2][1]
    assert '<mark class="hl-trigger" title="trigger">took</mark>' in found[2][1]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in found[2][1]
    assert "&lt;b&gt;that night&lt;/b&gt;" in found[3][1]
    assert "<script>" not in page and "<b>" not in page
    assert page.count('id="selected"') == 1
    assert "<mark" not in found[1][1] + found[3][1]  # other events: marked, not highlighted


def test_sources_without_selection_marks_each_sentence_once() -> None:
    page = article_html(TEXT, EVENTS, None)
    assert [c for c, _ in marks(page)] == ["excerpt"] * 4
    assert "<mark" not in page and 'id="selected"' not in page
    assert re.sub(r"<[^>]+>", "", page).replace("&lt;", "<").replace("&gt;", ">").replace("&#x27;", "'") == TEXT


def test_sources_selected_sentence_wins_an_overlap_with_another_event() -> None:
    page = article_html(TEXT, EVENTS, "B")
    assert [c for c, _ in marks(page)] == ["excerpt", "excerpt selected", "excerpt told", "excerpt told"]


def test_details_say_how_many_times_and_list_the_other_sentences() -> None:
    panel = event_html(panel_event(A), TEXT)
    assert "Told 2 times in this article" in panel
    (items,) = re.findall(r"<ul class='sitrep-mentions'[^>]*>(.*?)</ul>", panel, flags=re.S)
    assert items.count("<li") == 1  # the excerpt is the blockquote, not listed again
    assert "&lt;script&gt;" in items and "<script>" not in panel
    assert '<mark class="hl-trigger" title="trigger">took</mark>' in items
    assert '<mark class="hl-actor" title="actor">Iraqi troops</mark>' in panel  # the excerpt's
    three = event_html(panel_event(B), TEXT)
    assert "Told 3 times in this article" in three and "&lt;b&gt;that night" in three


def test_details_of_an_event_told_once_say_nothing_of_it() -> None:
    once = dict(A, mentions=[A["mentions"][0]])
    assert "Told" not in event_html(panel_event(once), TEXT)
    # A frame from before the mentions column: the excerpt is the one sentence.
    assert mention_offsets(dict(A, mentions=[])) == [at(S1)]
    assert "Told" not in event_html(panel_event(dict(A, mentions=[])), TEXT)


def test_details_without_the_article_text_still_give_the_count() -> None:
    panel = event_html(panel_event(A), None)
    assert "Told 2 times in this article" in panel and "sitrep-mentions" not in panel


def panel_event(row: dict) -> pd.Series:
    """A full event row around the test's excerpt and mentions."""
    base = {
        "date_start": pd.Timestamp("2017-05-03"),
        "date_end": pd.Timestamp("2017-05-03"),
        "date_precision": "day",
        "date_basis": "explicit",
        "date_text": "on 3 May",
        "place": "Kharab",
        "place_text": "Kharab",
        "geo_precision": "city",
        "country": "IQ",
        "actors": ["Iraqi Security Forces"],
        "actor1": "Iraqi Security Forces",
        "actor2": "",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "fatalities": pd.NA,
        "fatalities_low": pd.NA,
        "fatalities_high": pd.NA,
        "outlet": "Test Wire",
        "published": pd.Timestamp("2017-05-04"),
        "confidence": 0.9,
    }
    return pd.Series({**base, **row})


# --- the pages, on synthetic events ---------------------------------------------------------


@pytest.fixture(scope="module")
def synthetic() -> tuple[pd.DataFrame, dict[str, str]]:
    count, _, seed = SYNTHETIC.partition(":")
    result = generate(int(count), seed=int(seed))
    return normalise_events(result.events), dict(
        zip(result.articles["article_id"], result.articles["text"], strict=False)
    )


@pytest.fixture(autouse=True)
def on_synthetic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SITREP_SYNTHETIC", SYNTHETIC)
    monkeypatch.setenv("SITREP_STORE", str(tmp_path / "store"))


def retold(events: pd.DataFrame) -> pd.Series:
    """A confident event told twice (above the default minimum, so the default shows it)."""
    many = events[(events["mentions"].map(len) > 1) & (events["confidence"] >= DEFAULT_MIN_CONFIDENCE)]
    assert len(many), "the synthetic events tell no event twice"
    return many.iloc[0]


def details_html(at: AppTest) -> str:
    return "".join(e.proto.body for e in at.main.get("html") if hasattr(e.proto, "body"))


@pytest.mark.parametrize("page", ["pages/1_Map.py", "pages/2_Timeline.py", "pages/4_Events.py"])
def test_the_details_panel_gives_the_count_and_the_other_sentence(synthetic, page) -> None:
    events, texts = synthetic
    chosen = retold(events)
    at = run_app(page, event=chosen["event_id"])
    if page.endswith("4_Events.py"):  # no panel on the Events page: the count is a column
        table = at.dataframe(key="events_table").value
        row = table[table["event_id"] == chosen["event_id"]]
        assert row["told"].tolist() == [2]
        assert (table["told"] >= 1).all()
        return
    panel = details_html(at)
    assert "Told 2 times in this article" in panel
    second = chosen["mentions"][1]
    sentence = texts[chosen["article_id"]][second["start"] : second["end"]]
    assert sentence.startswith(RETOLD_PREFIX)
    assert RETOLD_PREFIX in panel and "<mark class=" in panel.split("sitrep-mentions")[1]


def test_the_sources_page_marks_every_mention_of_the_selected_event(synthetic) -> None:
    events, texts = synthetic
    chosen = retold(events)
    at = run_app("pages/3_Sources.py", event=chosen["event_id"])
    (frame,) = [e for e in walk(at) if getattr(e, "type", None) == "iframe"]
    page = frame.proto.srcdoc
    found = marks(page)
    assert sum(c == "excerpt selected" for c, _ in found) == 1
    told = [inner for c, inner in found if c == "excerpt told"]
    assert len(told) == 1 and re.sub(r"<[^>]+>", "", told[0]).startswith(RETOLD_PREFIX)
    # Every event of the article has each of its sentences marked.
    article = events[events["article_id"] == chosen["article_id"]]
    sentences = {s for row in article.to_dict("records") for s in mention_offsets(row)}
    assert len(found) == len(sentences)


def walk(at: AppTest) -> list:
    found = []

    def visit(node) -> None:
        found.append(node)
        for child in getattr(node, "children", {}).values():
            visit(child)

    visit(at._tree)
    return found


def param(at: AppTest, name: str) -> list[str]:
    value = at.query_params.get(name, [])
    return [value] if isinstance(value, str) else list(value)


def events_count(at: AppTest) -> int:
    return int(re.search(r"Events \((\d+)\)", at.title[0].value).group(1))


def test_the_default_minimum_confidence_and_the_show_all_switch(synthetic) -> None:
    events, _ = synthetic
    confident = int((events["confidence"] >= DEFAULT_MIN_CONFIDENCE).sum())
    assert 0 < confident < len(events), "the synthetic events should straddle the default"
    at = run_app("pages/4_Events.py")
    assert events_count(at) == confident
    assert at.slider(key="f_min_conf").value == DEFAULT_MIN_CONFIDENCE
    assert param(at, "min_conf") == []  # the default is not written
    assert any(f"{len(events) - confident} low-confidence events hidden" in c.value for c in at.sidebar.caption)
    at.toggle(key="f_show_all").set_value(True).run()
    assert events_count(at) == len(events)
    assert param(at, "min_conf") == ["0"]
    assert at.slider(key="f_min_conf").disabled
    at.toggle(key="f_show_all").set_value(False).run()
    assert events_count(at) == confident and param(at, "min_conf") == []
    at.slider(key="f_min_conf").set_value(0.8).run()
    assert events_count(at) == (events["confidence"] >= 0.8).sum()
    assert param(at, "min_conf") == ["0.8"]
    at.button(key="clear_filters").click().run()
    assert events_count(at) == confident and param(at, "min_conf") == []


@pytest.mark.parametrize(
    "min_conf, show_all, minimum", [("0", True, 0.0), ("0.8", False, 0.8), (None, False, DEFAULT_MIN_CONFIDENCE)]
)
def test_the_url_round_trips_the_switch(synthetic, min_conf, show_all, minimum) -> None:
    events, _ = synthetic
    at = run_app("pages/4_Events.py", **({"min_conf": min_conf} if min_conf else {}))
    assert at.toggle(key="f_show_all").value is show_all
    assert events_count(at) == (events["confidence"] >= minimum).sum()
    assert param(at, "min_conf") == ([min_conf] if min_conf else [])
    # The slider keeps a minimum to come back to when the switch is turned off.
    assert at.slider(key="f_min_conf").value == (minimum or DEFAULT_MIN_CONFIDENCE)


def test_the_overview_says_how_many_the_default_hides_and_shows_them(synthetic) -> None:
    events, _ = synthetic
    hidden = int((events["confidence"] < DEFAULT_MIN_CONFIDENCE).sum())
    at = run_app()
    notes = " ".join(m.value for m in at.main.markdown)
    assert f"{hidden} low-confidence events hidden" in notes
    at.button(key="overview_show_all").click().run()
    assert at.toggle(key="f_show_all").value is True
    assert param(at, "min_conf") == ["0"]
    notes = " ".join(m.value for m in at.main.markdown)
    assert f"including **{hidden} low-confidence events**" in notes
    at.button(key="overview_show_all").click().run()  # "Hide them"
    assert at.toggle(key="f_show_all").value is False and param(at, "min_conf") == []


def test_popups_carry_the_count(synthetic) -> None:
    from components.mapview import build_payload

    events, _ = synthetic
    payload = build_payload(with_display_columns(events), with_excerpts=True)
    told = {row[0]: row[15] for row in payload["rows"]}
    chosen = retold(events)
    if chosen["event_id"] in told:
        assert told[chosen["event_id"]] == 2
    assert set(told.values()) <= {1, 2} and 2 in told.values()


def test_exports_write_mentions_like_spans(synthetic) -> None:
    import io
    import json

    from data.export import acled_frame, export_bytes

    events, _ = synthetic
    view = with_display_columns(events)
    wanted = [list(m) for m in events["mentions"]]
    csv = pd.read_csv(io.BytesIO(export_bytes(view, "csv")))
    assert [json.loads(v) for v in csv["mentions"]] == wanted
    assert "_told" not in csv
    geojson = json.loads(export_bytes(view, "geojson"))
    assert [f["properties"]["mentions"] for f in geojson["features"]] == wanted
    # Parquet: native lists (of structs for offsets), as DuckDB and Spark read them
    parquet = pd.read_parquet(io.BytesIO(export_bytes(view, "parquet")))
    assert [[dict(m) for m in v] for v in parquet["mentions"]] == wanted
    assert [[dict(s) for s in v] for v in parquet["spans"]] == [list(s) for s in events["spans"]]
    assert list(parquet["actors"].map(list)) == [list(a) for a in events["actors"]]
    acled = acled_frame(view)
    assert "mentions" not in acled and list(acled["notes"]) == list(events["excerpt"])
