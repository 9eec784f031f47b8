"""The analyst's review (data/review.py): the SQLite log, applying it to the frame, re-attachment
after a re-extraction, the queue, accuracy, and the command line's review and export forms."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from data.__main__ import main
from data.frame import events_to_frame, validate_events
from data.review import (
    ReviewError,
    ReviewLog,
    apply_reviews,
    field_accuracy,
    normalise_fields,
    not_reattached,
    review_progress,
    review_queue,
    source_disagreements,
)
from data.schema import Event
from data.store import EventStore

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
RAQQA_ARTICLE = "000_0c418d0bc87b24e1"


def make_event(**overrides) -> Event:
    values = dict(
        event_id="e1",
        article_id="a",
        excerpt="Fighters took Raqqa.",
        excerpt_start=0,
        excerpt_end=20,
        date_start=date(2017, 10, 17),
        date_end=date(2017, 10, 17),
        date_precision="day",
        date_basis="explicit",
        place="Raqqa",
        place_id="geonames:172955",
        country="SY",
        lat=35.95,
        lon=39.01,
        geo_precision="city",
        actors=["Islamic State"],
        actor1="Islamic State",
        event_type="Battles",
        sub_event_type="Armed clash",
        confidence=0.8,
    )
    values.update(overrides)
    return Event(**values)


@pytest.fixture()
def frame() -> pd.DataFrame:
    return events_to_frame(
        [
            make_event(),
            make_event(event_id="e2", excerpt="Jets struck Mosul.", excerpt_start=21, excerpt_end=39, confidence=0.3),
            make_event(event_id="e3", article_id="b", confidence=0.6, fatalities=4),
            make_event(event_id="e4", article_id="c", confidence=0.5),
        ]
    )


@pytest.fixture()
def log(tmp_path: Path) -> ReviewLog:
    return ReviewLog(tmp_path / "store", reviewer="ana")


def row(frame: pd.DataFrame, event_id: str) -> pd.Series:
    return frame.set_index("event_id", drop=False).loc[event_id]


# ---------------------------------------------------------------------------------- the log


def test_the_log_is_sqlite_in_wal_mode_beside_the_snapshots(log: ReviewLog, frame: pd.DataFrame) -> None:
    log.accept(row(frame, "e1"))
    assert log.path == log.store_path / "review.sqlite" and log.path.is_file()
    with sqlite3.connect(log.path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            connection.execute("UPDATE changes SET reviewer = 'mallory'")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            connection.execute("DELETE FROM changes")


def test_a_change_keeps_its_evidence_old_value_reviewer_and_time(log: ReviewLog, frame: pd.DataFrame) -> None:
    before = datetime.now(UTC) - timedelta(seconds=1)
    log.correct(row(frame, "e1"), {"fatalities": "5"}, note="the article says five")
    changes = log.history("e1")
    assert [(c.action, c.field, c.old_value, c.new_value) for c in changes] == [
        ("correct", "fatalities", None, 5),
        ("correct", "fatalities_low", None, 5),
        ("correct", "fatalities_high", None, 5),
    ]
    first = changes[0]
    assert (first.reviewer, first.note, first.article_id) == ("ana", "the article says five", "a")
    assert (first.evidence_start, first.evidence_end, first.evidence_text) == (0, 20, "Fighters took Raqqa.")
    assert datetime.fromisoformat(first.at.replace("Z", "+00:00")) >= before
    assert log.last_change("e1") == changes[-1].change_id and log.last_change("e2") == 0
    assert [c.change_id for c in log.changes_since(before)] == [c.change_id for c in changes]
    assert log.changes_since(before, exclude_reviewer="ana") == []


def test_the_reviewer_comes_from_the_argument_then_the_environment(
    tmp_path: Path, frame: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SITREP_REVIEWER", "basma")
    log = ReviewLog(tmp_path)
    log.accept(row(frame, "e1"))
    log.accept(row(frame, "e2"), reviewer="carl")
    assert [c.reviewer for c in log.changes()] == ["basma", "carl"]


def test_two_sessions_editing_one_event_both_land_and_the_second_is_told(tmp_path: Path, frame: pd.DataFrame) -> None:
    first, second = ReviewLog(tmp_path, reviewer="ana"), ReviewLog(tmp_path, reviewer="ben")
    event = row(frame, "e1")
    seen_by_first, seen_by_second = first.last_change("e1"), second.last_change("e1")
    written = first.correct(event, {"place": "Tabqa"}, seen=seen_by_first)
    assert not written.conflict
    late = second.correct(event, {"fatalities": "3"}, seen=seen_by_second)
    assert late.conflict and written.change_id in [c.change_id for c in late.missed]
    history = first.history("e1")
    assert {c.reviewer for c in history} == {"ana", "ben"}
    assert history[-1].conflict_with == written.change_id
    # and a writer that had seen the latest change is not told anything
    assert not first.accept(event, seen=first.last_change("e1")).conflict


def test_concurrent_writers_lose_nothing(tmp_path: Path, frame: pd.DataFrame) -> None:
    event = row(frame, "e1")

    def write(name: str) -> None:
        log = ReviewLog(tmp_path, reviewer=name)
        for _ in range(15):
            log.accept(event, seen=log.last_change("e1"))

    threads = [threading.Thread(target=write, args=(name,)) for name in ("ana", "ben", "carl")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    changes = ReviewLog(tmp_path).history("e1")
    assert len(changes) == 45 and len({c.change_id for c in changes}) == 45


def test_a_process_killed_mid_write_leaves_the_database_intact(tmp_path: Path) -> None:
    """kill -9 during a transaction: SQLite rolls the half-written change back on the next open."""
    store = tmp_path / "store"
    script = textwrap.dedent(f"""
        import sys, time
        from data.review import ReviewLog

        event = {{"event_id": "e1", "article_id": "a", "excerpt_start": 0, "excerpt_end": 5, "excerpt": "Hello",
                  "fatalities": None, "fatalities_low": None, "fatalities_high": None}}

        class Slow(ReviewLog):
            def _insert_row(self, connection, values):
                change_id = super()._insert_row(connection, values)
                if values[2] == "correct":  # the correction's first row is in: hang mid-transaction
                    print("inserted", flush=True)
                    time.sleep(60)
                return change_id

        log = Slow({str(store)!r}, reviewer="ana")
        log.accept(event)
        log.correct(event, {{"fatalities": 7}})
    """)
    child = subprocess.Popen([sys.executable, "-c", script], cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "inserted"
        child.kill()  # SIGKILL
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -9
    log = ReviewLog(store)
    with sqlite3.connect(log.path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert [(c.action, c.field) for c in log.changes()] == [("accept", "")]  # committed kept, half-written gone
    log.accept({"event_id": "e2", "article_id": "a", "excerpt_start": 0, "excerpt_end": 5, "excerpt": "Hello"})
    assert len(log.changes()) == 2  # and the next writer is not blocked


# ---------------------------------------------------------------------------------- values


def test_fields_are_validated_with_clear_messages(frame: pd.DataFrame) -> None:
    event = row(frame, "e1")
    cases = {
        "Expected fields among": {"colour": "red"},
        "Expected date as YYYY-MM-DD": {"date": "last Tuesday"},
        "Expected date_end on or after": {"date": "2017-10-20/2017-10-01"},
        "Expected date_precision one of": {"date_precision": "fortnight"},
        "no place named 'Xqzzyville'": {"place": "Xqzzyville"},
        "Expected lat and lon together": {"lat": "36"},
        "Expected lat within": {"lat": "96", "lon": "40"},
        "Expected actor names": {"actors": "Islamic State;;SDF"},
        "Expected event_type one of": {"event_type": "Picnic"},
        "Expected sub_event_type of 'Battles' one of": {"event_type": "Battles", "sub_event_type": "Air/drone strike"},
        "Expected a sub_event_type of 'Riots' too": {"event_type": "Riots"},
        "Expected fatalities as a whole number": {"fatalities": "-3"},
        "Expected fatalities_low <= fatalities_high": {"fatalities_low": "9", "fatalities_high": "2"},
    }
    for message, fields in cases.items():
        with pytest.raises(ReviewError, match=message):
            normalise_fields(fields, event)


def test_fields_are_normalised(frame: pd.DataFrame) -> None:
    event = row(frame, "e1")
    assert normalise_fields({"actors": "SDF; ISIS;Nobody We Know"}, event) == {
        "actors": ["Syrian Democratic Forces", "Islamic State", "Nobody We Know"]  # a new actor is allowed
    }
    assert normalise_fields({"date": "2017-06-01/2017-06-30", "date_precision": "month"}, event) == {
        "date_start": "2017-06-01",
        "date_end": "2017-06-30",
        "date_precision": "month",
    }
    assert normalise_fields({"date": "2017-06-05"}, event)["date_precision"] == "day"
    place = normalise_fields({"place": "Tabqa"}, event)
    assert place["place"] == "Tabqa" and place["country"] == "SY" and 35 < place["lat"] < 36.5
    assert normalise_fields({"lat": "36.1", "lon": "38.9"}, event) == {
        "lat": 36.1,
        "lon": 38.9,
        "geo_precision": "site",
        "place_id": "",
    }
    assert normalise_fields({"sub_event_type": "Air/drone strike"}, event) == {
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
    }
    assert normalise_fields({"fatalities": "none"}, event)["fatalities"] is None
    assert normalise_fields({"actor2": "SDF"}, event) == {
        "actor2": "Syrian Democratic Forces",
        "actors": ["Islamic State", "Syrian Democratic Forces"],  # a side is one of the actors
    }


def test_pickers_offer_gazetteer_places_and_reference_actors() -> None:
    from data.review import known_actors, place_candidates

    tabqa = place_candidates("Tabqa", country="SY")
    assert tabqa and tabqa[0]["country"] == "SY" and tabqa[0]["place"] == "Tabqa"
    assert normalise_fields({"place": "Tabqa"}, {"country": "SY"})["place_id"] == tabqa[0]["place_id"]
    assert place_candidates("Xqzzyville") == []
    actors = known_actors()
    assert "Islamic State" in actors and "Syrian Democratic Forces" in actors
    assert not any("{" in name for name in actors)  # templates are not names


# ---------------------------------------------------------------------------------- applying


def test_applying_reviews_corrections_win_rejected_are_dropped_extracted_values_kept(
    log: ReviewLog, frame: pd.DataFrame
) -> None:
    log.correct(row(frame, "e1"), {"place": "Tabqa", "actors": "SDF;ISIS", "fatalities": "5"})
    log.reject(row(frame, "e2"), reason="not an event")
    log.accept(row(frame, "e3"))
    reviewed = apply_reviews(frame, log)
    validate_events(reviewed)
    assert list(reviewed["event_id"]) == ["e1", "e3", "e4"]
    corrected = row(reviewed, "e1")
    assert corrected["place"] == "Tabqa" and corrected["actors"] == ["Syrian Democratic Forces", "Islamic State"]
    assert corrected["fatalities"] == 5 and corrected["review_status"] == "corrected"
    assert corrected["reviewed_by"] == "ana" and corrected["reviewed_at"].endswith("Z")
    assert corrected["extracted"]["place"] == "Raqqa" and corrected["extracted"]["actors"] == ["Islamic State"]
    assert corrected["extracted"]["fatalities"] is None
    assert row(reviewed, "e3")["review_status"] == "accepted" and row(reviewed, "e3")["extracted"] == {}
    assert row(reviewed, "e4")["review_status"] == "unreviewed"
    kept = apply_reviews(frame, log, keep_rejected=True)
    assert row(kept, "e2")["review_status"] == "rejected" and row(kept, "e2")["review_reason"] == "not an event"
    assert review_progress(kept).text == "3 of 4 reviewed"
    assert frame["place"].tolist()[0] == "Raqqa"  # the input frame is left alone


def test_a_later_accept_reinstates_a_rejected_event_and_a_reverted_correction_counts_as_accepted(
    log: ReviewLog, frame: pd.DataFrame
) -> None:
    log.reject(row(frame, "e1"), reason="not an event")
    log.accept(row(frame, "e1"))
    log.correct(row(frame, "e2"), {"fatalities": "5"})
    reviewed = apply_reviews(frame, log)
    log.correct(row(reviewed, "e2"), {"fatalities": "none"})
    reviewed = apply_reviews(frame, log)
    assert row(reviewed, "e1")["review_status"] == "accepted"
    assert row(reviewed, "e2")["review_status"] == "accepted" and pd.isna(row(reviewed, "e2")["fatalities"])


def test_an_added_event_enters_the_frame_with_its_articles_metadata(log: ReviewLog, frame: pd.DataFrame) -> None:
    articles = pd.DataFrame(
        {
            "article_id": ["a"],
            "title": ["A title"],
            "outlet": ["An outlet"],
            "url": [""],
            "published": [date(2017, 10, 18)],
            "text": ["Fighters took Raqqa. Jets struck Mosul."],
        }
    )
    fields = {
        "sub_event_type": "Air/drone strike",
        "date": "2017-10-17",
        "place": "Mosul",
        "actors": "US-led coalition",
    }
    added = log.add("a", 21, 39, "Jets struck Mosul.", fields)
    reviewed = apply_reviews(frame, log, articles=articles)
    validate_events(reviewed[reviewed["article_id"] == "a"], articles)
    new = row(reviewed, added.event_id)
    assert new["origin"] == "analyst" and new["review_status"] == "accepted" and new["title"] == "A title"
    assert new["event_type"] == "Explosions/Remote violence" and new["place"] == "Mosul"
    assert new["mentions"] == [{"start": 21, "end": 39}]
    with pytest.raises(ReviewError, match="event_type"):
        log.add("a", 21, 39, "Jets struck Mosul.", {"place": "Mosul"})
    with pytest.raises(ReviewError, match="end - start"):
        log.add("a", 21, 30, "Jets struck Mosul.", {"event_type": "Battles", "sub_event_type": "Armed clash"})


def test_merges_fold_within_an_article_and_join_incidents_across_articles(log: ReviewLog, frame: pd.DataFrame) -> None:
    log.merge(row(frame, "e2"), row(frame, "e1"))  # same article: folded
    log.merge(row(frame, "e4"), row(frame, "e3"))  # two articles: one incident
    reviewed = apply_reviews(frame, log)
    assert "e2" not in set(reviewed["event_id"])
    assert {"start": 21, "end": 39} in row(reviewed, "e1")["mentions"]
    assert row(reviewed, "e4")["incident_id"] == row(reviewed, "e3")["incident_id"]
    with pytest.raises(ReviewError, match="two different events"):
        log.merge(row(frame, "e1"), row(frame, "e1"))


# ---------------------------------------------------------------------------------- queue and accuracy


def test_the_queue_orders_unreviewed_events_by_confidence_then_views_then_disagreement(
    log: ReviewLog, frame: pd.DataFrame
) -> None:
    log.accept(row(frame, "e2"))
    reviewed = apply_reviews(frame, log)
    assert list(review_queue(reviewed)["event_id"]) == ["e4", "e3", "e1"]  # 0.5, 0.6, 0.8; e2 reviewed
    tied = reviewed.assign(confidence=0.5, place=["Raqqa", "Mosul", "Tabqa", "Raqqa"])
    assert list(review_queue(tied, views={"Tabqa": 7, "Raqqa": 2})["event_id"]) == ["e3", "e1", "e4"]
    disagreeing = tied.assign(incident_id=["i1", "", "i1", ""], fatalities=pd.array([2, None, 4, None], "Int64"))
    assert list(source_disagreements(disagreeing)) == [("deaths",), (), ("deaths",), ()]
    assert list(review_queue(disagreeing)["event_id"]) == ["e1", "e3", "e4"]


def test_field_accuracy_counts_the_reviewed_events_whose_field_was_not_corrected(
    log: ReviewLog, frame: pd.DataFrame
) -> None:
    log.correct(row(frame, "e1"), {"place": "Tabqa"})
    log.correct(row(frame, "e2"), {"place": "Tabqa", "fatalities": "2"})
    log.accept(row(frame, "e3"))
    log.reject(row(frame, "e4"), reason="not an event")  # no field of a non-event is judged
    accuracy = field_accuracy(apply_reviews(frame, log, keep_rejected=True)).set_index("field")
    assert accuracy.loc["place", ["right", "reviewed"]].tolist() == [1, 3]
    assert accuracy.loc["deaths", "share"] == pytest.approx(2 / 3)
    assert accuracy.loc["date", "share"] == 1.0


# ---------------------------------------------------------------------------------- a real store


@pytest.fixture(scope="module")
def seeds_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The seeds copied into a folder and extracted into a store once for the module."""
    root = tmp_path_factory.mktemp("review-store")
    corpus = root / "corpus"
    shutil.copytree(SEEDS, corpus)
    store = EventStore(root / "store")
    store.update([corpus])
    return corpus, store.path


@pytest.fixture()
def store_copy(seeds_store: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """A private copy of the seeds and their store (reviews and rebuilds change both)."""
    corpus, store = seeds_store
    shutil.copytree(corpus, tmp_path / "corpus")
    shutil.copytree(store, tmp_path / "store")
    return tmp_path / "corpus", tmp_path / "store"


def test_corrections_survive_an_extractor_change_and_a_rebuild(
    store_copy: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    corpus, store_path = store_copy
    store = EventStore(store_path)
    loaded = store.load()
    events, articles = loaded.events, loaded.articles
    raqqa = events[events["article_id"] == RAQQA_ARTICLE].reset_index(drop=True)
    log = ReviewLog(store_path, reviewer="ana")
    first, second, third = raqqa.iloc[0], raqqa.iloc[1], raqqa.iloc[2]
    log.correct(first, {"place": "Tabqa", "actors": "Syrian Democratic Forces;Islamic State;Raqqa Tribal Council"})
    log.reject(second, reason="not an event")
    log.accept(third)
    text = articles.set_index("article_id").loc[RAQQA_ARTICLE, "text"]
    sentence = text[third["excerpt_start"] : third["excerpt_end"]]
    added = log.add(
        RAQQA_ARTICLE, int(third["excerpt_start"]), int(third["excerpt_end"]), sentence, {"sub_event_type": "Arrests"}
    )

    # A new extractor version (other event ids) and a changed article (every offset moves).
    import data.events

    monkeypatch.setattr(data.events, "_event_id", lambda a, s, e, n: f"v2-{a}-{s}-{e}-{n}")
    path = corpus / f"{RAQQA_ARTICLE}.txt"
    path.write_text("Editor's note: this article was updated.\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["extract", str(corpus), "--store", str(store_path), "--rebuild"]) == 0
    assert "rebuilt: all re-extracted" in capsys.readouterr().err

    reloaded = EventStore(store_path).load()
    assert not set(reloaded.events["event_id"]) & set(events["event_id"])  # every id changed
    reviewed = apply_reviews(reloaded.events, log, articles=reloaded.articles, keep_rejected=True)
    validate_events(reviewed, reloaded.articles)
    assert not_reattached(reloaded.events, log, articles=reloaded.articles) == []
    moved = reviewed[reviewed["excerpt"] == first["excerpt"]].iloc[0]
    assert moved["place"] == "Tabqa" and "Raqqa Tribal Council" in moved["actors"]
    assert moved["review_status"] == "corrected" and moved["extracted"]["place"] == "Raqqa"
    assert reviewed.loc[reviewed["excerpt"] == second["excerpt"], "review_status"].tolist() == ["rejected"]
    assert "accepted" in reviewed.loc[reviewed["excerpt"] == third["excerpt"], "review_status"].tolist()
    new = row(reviewed, added.event_id)
    assert new["event_type"] == "Strategic developments"
    new_text = reloaded.articles.set_index("article_id").loc[RAQQA_ARTICLE, "text"]
    assert new_text[new["excerpt_start"] : new["excerpt_end"]] == sentence

    # A change whose sentence is gone from the article is listed with its reason, never dropped.
    path.write_text(path.read_text(encoding="utf-8").replace(first["excerpt"], ""), encoding="utf-8")
    assert main(["extract", str(corpus), "--store", str(store_path)]) == 0
    reloaded = EventStore(store_path).load()
    lost = not_reattached(reloaded.events, log, articles=reloaded.articles)
    assert lost and {item.change.event_id for item in lost} == {first["event_id"]}
    assert all("no longer in article" in item.reason for item in lost)
    assert len(log.changes()) == len(ReviewLog(store_path).changes())  # the log itself is untouched


def test_a_split_event_takes_the_correction_of_its_own_half() -> None:
    """Two events told by one sentence: a correction goes to the one whose value it corrected."""
    before = events_to_frame([make_event(event_id="old", actors=["Islamic State"])])
    after = events_to_frame(
        [
            make_event(event_id="new1", actors=["Syrian Democratic Forces"]),
            make_event(event_id="new2", actors=["Islamic State"]),
        ]
    )
    from data.review import Change, reattach

    change = Change(
        1,
        "old",
        "a",
        "correct",
        "actors",
        ["Islamic State"],
        ["Islamic State", "Syrian Democratic Forces"],
        "ana",
        "2026-12-07T00:00:00.000000Z",
        "",
        "",
        "a",
        0,
        20,
        "",
        "Fighters took Raqqa.",
        None,
        None,
    )
    assert before["event_id"].tolist() == ["old"]
    assert reattach(after, [change]).event_of == {1: "new2"}


# ---------------------------------------------------------------------------------- the command line


def test_cli_review_forms(store_copy: tuple[Path, Path], capsys) -> None:
    _, store = store_copy
    events = EventStore(store).load().events
    first, second, third = events["event_id"].iloc[:3]
    s = str(store)

    assert main(["review", "list", "--store", s]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0].startswith("event_id\treview_status") and len(out.splitlines()) == len(events) + 1
    assert f"0 of {len(events)} reviewed" in err

    assert main(["review", "accept", first, "--store", s]) == 0
    assert main(["review", "reject", second, "--store", s, "--reason", "not an event"]) == 0
    assert (
        main(
            [
                "review",
                "correct",
                third,
                "--store",
                s,
                "--set",
                "fatalities=5",
                "--set",
                "place=Tabqa",
                "--set",
                "actors=Syrian Democratic Forces;Islamic State",
                "--note",
                "from the second paragraph",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["review", "list", "--store", s]) == 0
    out, err = capsys.readouterr()
    status = {line.split("\t")[0]: line.split("\t")[1] for line in out.splitlines()[1:]}
    assert (status[first], status[second], status[third]) == ("accepted", "rejected", "corrected")
    assert f"3 of {len(events)} reviewed" in err
    assert main(["review", "history", third, "--store", s]) == 0
    assert "fatalities: null -> 5" in capsys.readouterr().out
    assert main(["review", "list", "--store", s, "--queue", "--status", "unreviewed"]) == 0
    queued = [line.split("\t") for line in capsys.readouterr().out.splitlines()[1:]]
    assert len(queued) == len(events) - 3 and {cells[1] for cells in queued} == {"unreviewed"}
    confidence = events.set_index("event_id")["confidence"]
    bands = [int(confidence[cells[0]] / 0.05) for cells in queued]
    assert bands == sorted(bands)  # lowest confidence first
    fourth, fifth = events["event_id"].iloc[3], events["event_id"].iloc[4]
    assert main(["review", "merge", fifth, "--into", fourth, "--store", s, "--reviewer", "ben"]) == 0
    assert main(["review", "history", fifth, "--store", s]) == 0
    assert "\tben\tmerge\t" in capsys.readouterr().out

    out_file = store.parent / "reviewed.csv"
    assert main(["export", "--store", s, "--out", str(out_file)]) == 0
    exported = pd.read_csv(out_file).set_index("event_id")
    # rejected, and folded into another report of its article (the seeds' first events are one article's)
    assert events.set_index("event_id").loc[[fourth, fifth], "article_id"].nunique() == 1
    assert second not in exported.index and fifth not in exported.index and len(exported) == len(events) - 2
    assert exported.loc[third, "place"] == "Tabqa" and exported.loc[third, "fatalities"] == 5
    assert json.loads(exported.loc[third, "actors"]) == ["Syrian Democratic Forces", "Islamic State"]
    assert exported.loc[third, "review_status"] == "corrected"
    assert json.loads(exported.loc[third, "extracted"])["place"] == "Raqqa"
    assert (store.parent / "reviewed.csv.attribution").is_file()
    parquet = store.parent / "reviewed.parquet"
    assert main(["export", "--store", s, "--out", str(parquet)]) == 0
    assert str(pq.read_schema(parquet).field("actors").type) == "list<element: string>"


def test_cli_review_errors_are_clear_and_non_zero(store_copy: tuple[Path, Path], tmp_path: Path, capsys) -> None:
    _, store = store_copy
    event_id = EventStore(store).load().events["event_id"].iloc[0]
    s = str(store)
    cases = [
        (["review", "accept", "no-such-event", "--store", s], 1, "no event 'no-such-event'"),
        (["review", "correct", event_id, "--store", s, "--set", "colour=red"], 2, "Expected fields among"),
        (["review", "correct", event_id, "--store", s, "--set", "fatalities=many"], 2, "whole number"),
        (["review", "correct", event_id, "--store", s, "--set", "place=Xqzzyville"], 2, "no place named 'Xqzzyville'"),
        (["review", "correct", event_id, "--store", s, "--set", "fatalities"], 2, "expected --set FIELD=VALUE"),
        (["review", "reject", event_id, "--store", s, "--reason", " "], 2, "Expected a reason"),
        (["review", "list", "--store", str(tmp_path / "nothing")], 1, "no event store at"),
        (["export", "--store", s, "--out", str(tmp_path / "events.xlsx")], 2, "Expected an output file ending in"),
        (["extract", "seeds", "--out", str(tmp_path / "e.csv"), "--rebuild"], 2, "--rebuild re-extracts a store"),
    ]
    for argv, code, message in cases:
        assert main(argv) == code, argv
        err = capsys.readouterr().err
        assert message in err and "Traceback" not in err, (argv, err)
    assert ReviewLog(store).changes() == []  # nothing was written by a refused command


def test_cli_errors_print_no_traceback_in_a_real_process(store_copy: tuple[Path, Path]) -> None:
    _, store = store_copy
    run = subprocess.run(
        [sys.executable, "-m", "data", "review", "correct", "nope", "--store", str(store), "--set", "fatalities=5"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1 and "no event 'nope'" in run.stderr and "Traceback" not in run.stderr


def test_exports_carry_the_review_columns_in_every_format(log: ReviewLog, frame: pd.DataFrame) -> None:
    from data.export import EXPORT_FORMATS, export_bytes

    log.correct(row(frame, "e1"), {"fatalities": "3"})
    reviewed = apply_reviews(frame, log)
    for fmt in EXPORT_FORMATS:
        data = export_bytes(reviewed, fmt)
        if fmt == "parquet":
            back = pd.read_parquet(io.BytesIO(data))
            assert back["review_status"].tolist()[0] == "corrected"
            assert json.loads(back["extracted"][0]) == {
                "fatalities": None,
                "fatalities_low": None,
                "fatalities_high": None,
            }
        elif fmt == "geojson":
            properties = json.loads(data)["features"][0]["properties"]
            assert properties["review_status"] == "corrected" and properties["extracted"]["fatalities"] is None
        elif fmt == "json":
            assert json.loads(data)[0]["reviewed_by"] == "ana"
        else:
            assert pd.read_csv(io.BytesIO(data))["review_status"].tolist()[0] == "corrected", fmt


def test_a_merge_follows_its_target_to_its_new_id(log: ReviewLog, frame: pd.DataFrame) -> None:
    log.merge(row(frame, "e2"), row(frame, "e1"))
    renamed = frame.assign(event_id=["n1", "n2", "e3", "e4"])  # a new extractor version: new ids, same sentences
    reviewed = apply_reviews(renamed, log, keep_rejected=True)
    assert row(reviewed, "n2")["review_reason"] == "merged into n1"
    assert {"start": 21, "end": 39} in row(reviewed, "n1")["mentions"]
    from data.review import event_history

    assert [c.action for c in event_history("n2", renamed, log)] == ["merge"]
    assert log.history("n2") == []  # the log itself keeps the old id


def test_the_store_keeps_lists_as_native_parquet_lists_and_reads_older_json_ones(seeds_store) -> None:
    import data.store

    _, store_path = seeds_store
    store = EventStore(store_path)
    schema = pq.read_schema(store.current_snapshot() / "events.parquet")
    assert str(schema.field("actors").type) == "list<element: string>"
    assert str(schema.field("mentions").type) == "list<element: struct<start: int64, end: int64>>"
    events = store.load().events
    older = data.store.events_to_table(events)
    for column in ("actors", "spans", "mentions"):  # as snapshots before native lists had them
        older[column] = [json.dumps(list(v)) for v in older[column]]
    back = data.store._events_from_table(older)
    assert back["actors"].tolist() == events["actors"].tolist()
    assert back["mentions"].tolist() == events["mentions"].tolist()


def test_cli_extract_rebuild_re_extracts_every_article_even_when_nothing_changed(
    store_copy: tuple[Path, Path], capsys
) -> None:
    corpus, store = store_copy
    assert main(["extract", str(corpus), "--store", str(store)]) == 0
    assert "; 0 extracted;" in capsys.readouterr().err
    assert main(["extract", str(corpus), "--store", str(store), "--rebuild"]) == 0
    err = capsys.readouterr().err
    assert "(rebuilt: all re-extracted); 2 extracted;" in err and "store written" in err
