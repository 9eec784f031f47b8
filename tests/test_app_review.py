"""AppTest: the analyst's review in the dashboard (components/review.py): the details panel's
accept, correct, reject and merge, the history and its conflicts, the review filter and ?review=,
the Review queue, Add from a Sources sentence, conflicting claims and the Overview lines.

The seeds' events are read for their ids and properties (which event is least confident), not
pinned, so the tests hold while the extraction improves.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import run_app

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import data  # noqa: E402
from data.review import ReviewLog, apply_reviews  # noqa: E402

TIMELINE = "pages/2_Timeline.py"
REVIEW = "pages/7_Review.py"
PANEL = "timeline_details_review"


@pytest.fixture(scope="module")
def seeds() -> pd.DataFrame:
    return data.load_events([REPO / "seeds"]).events


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("SITREP_ARTICLES", str(REPO / "seeds"))
    monkeypatch.setenv("SITREP_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("SITREP_REVIEWER", "tester")
    monkeypatch.delenv("SITREP_SYNTHETIC", raising=False)
    return tmp_path / "store" / "events"


def key_of(at: AppTest, kind: str, suffix: str, prefix: str = PANEL) -> str:
    """The key of the one widget of a kind whose key starts with prefix and ends with suffix
    (the panel's keys carry the event id and its last change)."""
    keys = [w.key for w in getattr(at, kind) if w.key and w.key.startswith(prefix) and w.key.endswith(suffix)]
    assert len(keys) == 1, (suffix, [w.key for w in getattr(at, kind)])
    return keys[0]


def reviewed(store: Path) -> pd.DataFrame:
    """The store's events with the review applied, rejected ones kept."""
    result = data.store.EventStore(store).load()
    return apply_reviews(result.events, ReviewLog(store), articles=result.articles, keep_rejected=True)


def status_of(store: Path, event_id: str) -> str:
    frame = reviewed(store)
    return frame.loc[frame["event_id"] == event_id, "review_status"].iloc[0]


def texts(at: AppTest) -> str:
    """Everything the page wrote as text, captions, Markdown, messages and HTML."""
    parts = [e.value for kind in ("caption", "markdown", "success", "warning", "error") for e in getattr(at, kind)]
    parts += [e.proto.body for e in at.get("html")]
    return "\n".join(map(str, parts)).replace("\\", "")  # (Markdown's escapes of literal text)


def test_accept_in_the_details_panel(store: Path, seeds: pd.DataFrame) -> None:
    event_id = seeds["event_id"].iloc[0]
    at = run_app(TIMELINE, event=event_id)
    assert "Unreviewed" in texts(at)
    at.button(key=key_of(at, "button", "_accept")).click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Accepted"]
    assert "Accepted by tester" in texts(at)
    assert status_of(store, event_id) == "accepted"
    history = next(e.proto.body for e in at.get("html") if "sitrep-history" in e.proto.body)
    assert "tester accepted" in history


def test_correct_place_actors_and_deaths_shows_extracted_beside(store: Path, seeds: pd.DataFrame) -> None:
    event = seeds[seeds["place"] != "Tabqa"].iloc[0]
    at = run_app(TIMELINE, event=event["event_id"])
    assert not [w for w in at.multiselect if w.key and w.key.startswith(PANEL)]  # built only when asked for
    at.toggle(key=key_of(at, "toggle", "_correct_on")).set_value(True).run()
    at.toggle(key=key_of(at, "toggle", "_place_on")).set_value(True).run()
    at.text_input(key=key_of(at, "text_input", "_place_name")).input("Tabqa").run()
    assert not at.exception
    at.multiselect(key=key_of(at, "multiselect", "_actors")).set_value(["Syrian Democratic Forces", "Islamic State"])
    at.text_input(key=key_of(at, "text_input", "_fatalities")).input("7")
    at.text_input(key=key_of(at, "text_input", "_fatalities_low")).input("7")
    at.text_input(key=key_of(at, "text_input", "_fatalities_high")).input("7")
    at.text_input(key=key_of(at, "text_input", "_correct_note")).input("<b>per the SDF</b>")
    at.button(key=key_of(at, "button", "_save")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.success and at.success[0].value.startswith("Corrected")
    frame = reviewed(store)
    row = frame[frame["event_id"] == event["event_id"]].iloc[0]
    assert row["review_status"] == "corrected"
    assert row["place"] == "Tabqa" and row["country"] == "SY"
    assert row["actors"] == ["Syrian Democratic Forces", "Islamic State"]
    assert int(row["fatalities"]) == 7
    assert row["extracted"]["place"] == event["place"]
    details = next(e.proto.body for e in at.get("html") if "sitrep-details" in e.proto.body)
    assert "Tabqa" in details and "sitrep-extracted" in details and "extracted:" in details
    history = next(e.proto.body for e in at.get("html") if "sitrep-history" in e.proto.body)
    # the analyst's note is text, escaped like article text
    assert "&lt;b&gt;per the SDF&lt;/b&gt;" in history and "<b>per" not in history


def test_reject_drops_the_event_from_every_view_and_lists_it(store: Path, seeds: pd.DataFrame) -> None:
    from test_app_interactions import map_ids

    event_id = seeds["event_id"].iloc[1]
    at = run_app(TIMELINE, event=event_id, min_conf="0")
    at.radio(key=key_of(at, "radio", "_reason")).set_value("wrong article").run()
    at.button(key=key_of(at, "button", "_reject")).click().run()
    assert not at.exception
    assert status_of(store, event_id) == "rejected"
    assert at.session_state["selected_event"] is None  # the rejected event left the selection
    assert [s.value for s in at.success] == ["Rejected \\(wrong article\\)"]
    at.switch_page("pages/1_Map.py").run()
    assert event_id not in map_ids(at)
    at = run_app(REVIEW)
    assert "Rejected events (1)" in [e.label for e in at.expander]
    table = next(d.value for d in at.dataframe if "review_reason" in d.value)
    assert table["event_id"].tolist() == [event_id] and table["review_reason"].tolist() == ["wrong article"]


def test_reject_as_duplicate_needs_the_other_event(store: Path, seeds: pd.DataFrame) -> None:
    event_id = seeds["event_id"].iloc[2]
    at = run_app(TIMELINE, event=event_id)
    at.radio(key=key_of(at, "radio", "_reason")).set_value("duplicate").run()
    at.button(key=key_of(at, "button", "_reject")).click().run()
    assert at.error and "pick the event this one duplicates" in at.error[0].value
    assert status_of(store, event_id) == "unreviewed"
    article = seeds.loc[seeds["event_id"] == event_id, "article_id"].iloc[0]
    other = seeds[(seeds["article_id"] == article) & (seeds["event_id"] != event_id)]["event_id"].iloc[0]
    at.selectbox(key=key_of(at, "selectbox", "_duplicate")).set_value(other).run()
    at.button(key=key_of(at, "button", "_reject")).click().run()
    frame = reviewed(store)
    row = frame[frame["event_id"] == event_id].iloc[0]
    assert row["review_status"] == "rejected"
    assert row["review_reason"].startswith("duplicate") and other in row["review_reason"]


def test_another_sessions_change_is_reported_and_both_are_kept(store: Path, seeds: pd.DataFrame) -> None:
    event_id = seeds["event_id"].iloc[3]
    at = run_app(TIMELINE, event=event_id)
    # another session corrects the event after this one drew its panel
    row = reviewed(store).set_index("event_id").loc[event_id].copy()
    row["event_id"] = event_id
    ReviewLog(store).correct(row, {"fatalities": 3}, reviewer="other analyst")
    at.button(key=key_of(at, "button", "_accept")).click().run()
    assert at.warning and "changed in another session" in at.warning[0].value
    assert "other analyst" in at.warning[0].value
    history = ReviewLog(store).history(event_id)
    assert list(dict.fromkeys(c.reviewer for c in history)) == ["other analyst", "tester"]
    assert history[-1].action == "accept" and history[-1].conflict_with == history[-2].change_id


def test_review_filter_and_url_round_trip(store: Path, seeds: pd.DataFrame) -> None:
    accepted = seeds["event_id"].iloc[0]
    run_app("pages/4_Events.py")  # builds the store
    ReviewLog(store).accept(seeds.iloc[0], reviewer="tester")
    at = run_app("pages/4_Events.py", review="accepted", min_conf="0")
    assert at.multiselect(key="f_review").value == ["accepted"]
    table = at.dataframe[0].value
    assert table["event_id"].tolist() == [accepted]
    assert at.query_params.get("review") in ("accepted", ["accepted"])
    at.multiselect(key="f_review").set_value(["unreviewed"]).run()
    assert accepted not in at.dataframe[0].value["event_id"].tolist()
    assert at.query_params.get("review") in ("unreviewed", ["unreviewed"])
    at = run_app("pages/4_Events.py", review="maybe")
    assert "no review status &#x27;maybe&#x27;" in texts(at)


def test_the_queue_starts_with_the_least_confident_and_counts_progress(store: Path, seeds: pd.DataFrame) -> None:
    at = run_app(REVIEW)
    total = len(seeds)
    assert at.get("progress")[0].proto.text == f"0 of {total} reviewed"
    first = at.dataframe[0].value
    confidences = first["confidence"].tolist()
    assert confidences[0] == min(seeds["confidence"])  # every confidence: the filter's minimum is not applied
    assert confidences == sorted(confidences) or confidences[0] <= min(confidences[1:])
    least = first["event_id"].iloc[0]
    at.button(key=key_of(at, "button", "_accept", prefix=f"queue_{least}")).click().run()
    assert status_of(store, least) == "accepted"
    assert at.get("progress")[0].proto.text == f"1 of {total} reviewed"
    assert least not in at.dataframe[0].value["event_id"].tolist()
    following = at.dataframe[0].value["event_id"].iloc[0]
    at.button(key=key_of(at, "button", "_skip", prefix=f"queue_{following}")).click().run()
    assert at.dataframe[0].value["event_id"].iloc[0] != following  # skipped, not reviewed
    assert status_of(store, following) == "unreviewed"
    nxt = at.dataframe[0].value["event_id"].iloc[0]
    at.button(key=key_of(at, "button", "_reject", prefix=f"queue_{nxt}")).click().run()
    assert status_of(store, nxt) == "rejected"
    assert at.get("progress")[0].proto.text == f"2 of {total} reviewed"


def test_add_an_event_from_a_sources_sentence(store: Path, seeds: pd.DataFrame) -> None:
    at = run_app("pages/3_Sources.py")
    key = key_of(at, "selectbox", "_sentence", prefix="add_")
    prefix = key.removesuffix("_sentence")
    at.button(key=f"{prefix}_add").click().run()
    assert at.error and "pick the sentence" in at.error[0].value
    at.selectbox(key=key).set_value(2).run()
    at.button(key=f"{prefix}_add").click().run()
    assert at.error and "type" in at.error[0].value  # the type is required
    at.selectbox(key=f"{prefix}_type").set_value("Battles").run()
    at.selectbox(key=f"{prefix}_sub").set_value("Armed clash").run()
    at.text_input(key=f"{prefix}_fatalities").input("4").run()
    at.button(key=f"{prefix}_add").click().run()
    assert not at.exception
    frame = reviewed(store)
    added = frame[frame["origin"] == "analyst"]
    assert len(added) == 1
    new = added.iloc[0]
    assert new["event_type"] == "Battles" and int(new["fatalities"]) == 4 and new["review_status"] == "accepted"
    assert at.session_state["selected_event"] == new["event_id"]
    article = data.store.EventStore(store).load().articles.set_index("article_id").loc[new["article_id"], "text"]
    assert article[new["excerpt_start"] : new["excerpt_end"]] == new["excerpt"]


def test_conflicting_claims_side_by_side_and_settled(store: Path, seeds: pd.DataFrame) -> None:
    from data.review import source_disagreements

    disputed = source_disagreements(seeds)
    rows = seeds[disputed.map(lambda fields: "actors" in fields)]
    if rows.empty:
        pytest.skip("the seeds' incidents agree on their actors now")
    event = rows.iloc[0]
    at = run_app(TIMELINE, event=event["event_id"], min_conf="0")
    assert "The sources disagree" in texts(at)
    claims = next(e.proto.body for e in at.get("html") if "sitrep-claims" in e.proto.body)
    reports = seeds[seeds["incident_id"] == event["incident_id"]]
    for outlet in reports["outlet"]:
        assert outlet in claims
    choice = at.selectbox(key=key_of(at, "selectbox", "_actors", prefix=f"{PANEL}_{event['incident_id']}"))
    choice.set_value(event["event_id"]).run()
    at.button(key=key_of(at, "button", "_settle")).click().run()
    assert not at.exception
    frame = reviewed(store)
    settled = frame[frame["incident_id"] == event["incident_id"]]
    assert {tuple(a) for a in settled["actors"]} == {tuple(event["actors"])}


def test_overview_says_what_changed_and_the_field_accuracy(store: Path, seeds: pd.DataFrame) -> None:
    at = run_app()
    assert "First visit" in texts(at)
    right, wrong = seeds.iloc[0], seeds.iloc[1]
    ReviewLog(store).accept(right, reviewer="tester")
    ReviewLog(store).correct(wrong, {"fatalities": 99}, reviewer="someone else")
    at = run_app()
    words = texts(at)
    assert "Since your last visit" in words and "1 reviews by others" in words
    assert f"2 of {len(seeds)} reviewed" in words
    assert "over the 2 extracted events reviewed" in words
    assert "deaths 50%" in words and "place 100%" in words


def timeline_rows(at: AppTest) -> pd.DataFrame:
    """The rows the page's timeline chart draws (its Arrow dataset)."""
    import pyarrow as pa

    def walk(node, out: list) -> list:
        if getattr(node, "type", "") in ("arrow_vega_lite_chart", "vega_lite_chart"):
            out.append(node)
        for child in getattr(node, "children", {}).values():
            walk(child, out)
        return out

    (chart,) = walk(at._tree, [])
    return pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_all().to_pandas()


def test_the_timeline_and_the_events_table_draw_the_reviewed_state(store: Path, seeds: pd.DataFrame) -> None:
    run_app(TIMELINE)  # builds the store
    rejected, corrected = seeds.iloc[0], seeds.iloc[1]
    ReviewLog(store).reject(rejected, reason="not an event", reviewer="tester")
    ReviewLog(store).correct(corrected, {"actors": "Test Brigade;Islamic State"}, reviewer="tester")
    at = run_app(TIMELINE, min_conf="0")
    rows = timeline_rows(at)
    assert rejected["event_id"] not in set(rows["event_id"])
    assert set(rows.loc[rows["event_id"] == corrected["event_id"], "row"]) == {"Test Brigade", "Islamic State"}
    at.switch_page("pages/4_Events.py").run()
    table = at.dataframe[0].value
    assert rejected["event_id"] not in set(table["event_id"])
    assert len(table) == len(seeds) - 1


def test_the_events_page_reviews_the_selected_row(store: Path, seeds: pd.DataFrame) -> None:
    event_id = seeds["event_id"].iloc[4]
    at = run_app("pages/4_Events.py", event=event_id, min_conf="0")
    at.button(key=key_of(at, "button", "_accept", prefix="events_details_review")).click().run()
    assert not at.exception
    assert status_of(store, event_id) == "accepted"


def test_a_review_from_the_map_pages_panel_redraws_the_map(store: Path, seeds: pd.DataFrame) -> None:
    from test_app_interactions import map_ids

    from components import state

    event_id = seeds["event_id"].iloc[0]
    at = run_app("pages/1_Map.py", event=event_id, min_conf="0")
    assert event_id in map_ids(at)
    at.button(key=key_of(at, "button", "_reject", prefix="map_details_review")).click().run()
    assert not at.exception
    assert event_id not in map_ids(at)
    assert "Rejected (not an event)" in texts(at)
    # a corpus read before the log changed is stale (what makes the map's fragment run the page)
    extracted = state.load_corpus(str(store), state.store_signature(store))
    assert extracted.review_version == 0 and state.review_is_stale(extracted)


def test_merge_two_reports_of_one_article(store: Path, seeds: pd.DataFrame) -> None:
    event = seeds.iloc[0]
    other = seeds[(seeds["article_id"] == event["article_id"]) & (seeds["event_id"] != event["event_id"])].iloc[0]
    at = run_app(TIMELINE, event=event["event_id"], min_conf="0")
    at.button(key=key_of(at, "button", "_merge")).click().run()
    assert at.error and "pick the report" in at.error[0].value
    at.selectbox(key=key_of(at, "selectbox", "_into")).set_value(other["event_id"]).run()
    at.button(key=key_of(at, "button", "_merge")).click().run()
    assert not at.exception
    assert at.session_state["selected_event"] == other["event_id"]
    frame = reviewed(store)
    assert frame.set_index("event_id").loc[event["event_id"], "review_status"] == "rejected"  # folded
    told = frame.set_index("event_id").loc[other["event_id"], "mentions"]
    assert {(m["start"], m["end"]) for m in event["mentions"]} <= {(m["start"], m["end"]) for m in told}
