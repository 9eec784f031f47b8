"""Operations: the reference table, the assignment rules, the seeds, and a hand-made table of
assignments on the development corpus (read from ../shared at run time; skipped without it)."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from data import load_events
from data.actors import actor_table
from data.operations import (
    PROGRESSION_COLUMNS,
    assign_operation,
    descendants,
    find_namings,
    lineage,
    load_operations,
    named_operation,
    operations_by_id,
    progression,
)
from data.schema import Event

REPO = Path(__file__).resolve().parents[1]
SHARED_CORPUS = REPO.parent / "shared" / "corpus"
ASSIGNMENTS = Path(__file__).with_name("data_operation_assignments.csv")
# The issue asks 0.9; measured 0.904 (85 of 94) on 2026-12-07, once a publication-day date no
# longer parted an event from the one operation its sentence names (0.89 before): every remaining
# miss comes from a date, place or actor the earlier stages got wrong (a 2014 photo caption dated
# 2015, a Baghdad district placed near Mosul), not from the assignment rules. See the README's Limits.
ASSIGNMENT_ACCURACY_FLOOR = 0.9
MIN_JUDGED_ROWS = 30


def event(
    text: str,
    *,
    start: date,
    end: date | None = None,
    lat: float | None = None,
    lon: float | None = None,
    country: str = "",
    actors: tuple[str, ...] = (),
    event_type: str = "Battles",
    precision: str = "city",
    basis: str = "explicit",
) -> tuple[Event, str]:
    ev = Event(
        event_id="e",
        article_id="a",
        excerpt=text,
        excerpt_start=0,
        excerpt_end=len(text),
        date_start=start,
        date_end=end or start,
        lat=lat,
        lon=lon,
        country=country,
        geo_precision=precision if lat is not None else "",
        actors=list(actors),
        event_type=event_type,
        date_basis=basis,
    )
    return ev, text


def assigned(text: str, **kwargs) -> str:
    ev, article = event(text, **kwargs)
    result = assign_operation(ev, find_namings(article))
    return result.operation_id if result else ""


RAQQA = dict(lat=35.95, lon=39.01, country="SY")
MOSUL = dict(lat=36.34, lon=43.13, country="IQ")
BAGHDAD = dict(lat=33.31, lon=44.37, country="IQ")
GAZIANTEP = dict(lat=37.06, lon=37.38, country="TR")
TIKRIT = dict(lat=34.62, lon=43.68, country="IQ")
PALMYRA = dict(lat=34.56, lon=38.28, country="SY")


def test_every_operation_is_sourced_spanned_and_sided_with_known_actors() -> None:
    known = set(actor_table()) | {"Opposition Rebels (Syria)"}
    operations = load_operations()
    assert len(operations) >= 20
    for op in operations:
        assert op.source.startswith("Wikipedia: "), op.id
        assert op.start <= op.end, op.id
        assert op.side_a and op.side_b and op.countries, op.id
        assert set(op.side_a + op.side_b) <= known, (op.id, set(op.side_a + op.side_b) - known)
        if op.parent_id:  # a part lies within its parent's span
            parent = operations_by_id()[op.parent_id]
            assert parent.start <= op.start and op.end <= parent.end, op.id


def test_lineage_descendants_and_the_named_operation_of_a_phase() -> None:
    assert lineage("mosul-old-city") == ("mosul-old-city", "mosul-west", "mosul", "oir")
    assert {"raqqa", "tabqa", "raqqa-campaign"} <= descendants("raqqa-campaign")
    assert "mosul" not in descendants("raqqa-campaign")
    assert named_operation("mosul-old-city").id == "mosul"
    assert named_operation("raqqa").id == "raqqa"


@pytest.mark.parametrize(
    "text, kwargs, expected",
    [
        # named in its sentence, by an alias or by the place it was fought for
        (
            "Turkish tanks crossed the border at dawn as Operation Euphrates Shield began.",
            dict(start=date(2016, 8, 24), lat=36.82, lon=38.01, country="SY"),
            "euphrates-shield",
        ),
        (
            "Troops pressed the offensive to retake Fallujah on Tuesday.",
            dict(start=date(2016, 5, 31), lat=33.35, lon=43.78, country="IQ"),
            "fallujah-2016",
        ),
        (
            "Kurdish fighters were celebrating after the militants were expelled from Kobani.",
            dict(start=date(2015, 1, 27)),
            "kobani",
        ),  # (no place read: the objective locates it)
        # named, but the event is not of the operation's time: a 2014 capture beside a 2016 offensive
        (
            "The group seized Mosul in 2014, long before the battle for Mosul began.",
            dict(start=date(2014, 6, 10), **MOSUL),
            "",
        ),
        # a date the text did not give (the publication day, after the operation) does not part an
        # event from the operation its sentence names, when it names one only
        (
            "The push into Tikrit came days after coalition airstrikes targeted bases around the city.",
            dict(start=date(2016, 3, 17), **TIKRIT, basis="publication"),
            "tikrit-2015",
        ),
        (
            "The push into Tikrit came days after coalition airstrikes targeted bases around the city.",
            dict(start=date(2016, 3, 17), **TIKRIT),
            "",
        ),
        (
            "Since capturing Palmyra, the militants have blown up its temples.",
            dict(start=date(2018, 1, 10), **PALMYRA, basis="publication", event_type="Strategic developments"),
            "",
        ),  # (four Palmyra offensives lie behind that day)
        # an aim is not the event's objective (no place read: only the words could tie it to Raqqa)
        (
            "Regime troops took the village from the SDF, which had been tasked to liberate Raqqa.",
            dict(start=date(2017, 6, 18), actors=("Syrian Government Forces", "Syrian Democratic Forces")),
            "",
        ),
        # by place, time and actors
        (
            "Coalition jets struck the city overnight.",
            dict(start=date(2017, 8, 1), **RAQQA, actors=("US-led coalition", "Islamic State")),
            "raqqa",
        ),
        ("A car bomb exploded near a checkpoint.", dict(start=date(2017, 3, 1), **MOSUL), "mosul"),
        ("Protesters gathered in the square.", dict(start=date(2017, 3, 1), **MOSUL, event_type="Protests"), ""),
        # a theatre-wide campaign claims only what its own forces did
        (
            "A coalition strike hit a convoy on the highway.",
            dict(start=date(2016, 5, 6), lat=33.03, lon=40.28, country="IQ", actors=("US-led coalition",)),
            "oir",
        ),
        (
            "A suicide bomber struck a market.",
            dict(
                start=date(2016, 5, 30), **BAGHDAD, actors=("Islamic State",), event_type="Explosions/Remote violence"
            ),
            "",
        ),
        # others fighting in a battle's area are not part of it
        (
            "SDF fighters and coalition advisers fought IS in the old city.",
            dict(
                start=date(2017, 7, 1),
                **RAQQA,
                actors=("Syrian Democratic Forces", "Military Forces of the United States", "Islamic State"),
            ),
            "raqqa",
        ),
        (
            "Government forces clashed with rebels near the city.",
            dict(start=date(2017, 7, 1), **RAQQA, actors=("Syrian Government Forces", "Syrian rebels")),
            "",
        ),
        # nor is a bombing across the border
        (
            "A bomb tore through a wedding.",
            dict(
                start=date(2016, 8, 24), **GAZIANTEP, actors=("Islamic State",), event_type="Explosions/Remote violence"
            ),
            "",
        ),
        # an interval counted back from a duration need only lie mostly within the span
        ("The nine-month battle ended.", dict(start=date(2016, 10, 10), end=date(2017, 7, 10), **MOSUL), "mosul"),
        # a whole year does not
        ("Fighting went on in the city that year.", dict(start=date(2016, 1, 1), end=date(2016, 12, 31), **MOSUL), ""),
    ],
)
def test_assignment_rules(text: str, kwargs: dict, expected: str) -> None:
    assert assigned(text, **kwargs) == expected


def test_a_phase_refines_the_operation_by_place_and_time() -> None:
    ev, text = event(
        "Iraqi forces advanced street by street in the battle for Mosul.",
        start=date(2017, 7, 2),
        **MOSUL,
        actors=("Iraqi Security Forces", "Islamic State"),
    )
    result = assign_operation(ev, find_namings(text))
    assert (result.operation_id, result.operation, result.phase) == (
        "mosul",
        "Battle of Mosul",
        "Battle of Mosul: Old City",
    )
    assert result.reason.startswith("its sentence names it") and result.confidence == 0.9


def test_an_article_that_names_the_operation_makes_a_placed_event_surer() -> None:
    article = "The battle for Raqqa entered its fourth month. Coalition jets struck the city overnight."
    ev = Event(
        event_id="e",
        article_id="a",
        excerpt="Coalition jets struck the city overnight.",
        excerpt_start=47,
        excerpt_end=len(article),
        date_start=date(2017, 9, 1),
        date_end=date(2017, 9, 1),
        lat=35.95,
        lon=39.01,
        country="SY",
        geo_precision="city",
        actors=["US-led coalition"],
        event_type="Explosions/Remote violence",
    )
    result = assign_operation(ev, find_namings(article))
    assert result.operation_id == "raqqa" and result.reason.startswith("the article names it")
    assert result.confidence == 0.8


@pytest.fixture(scope="module")
def seed_events():
    return load_events([REPO / "seeds"]).events


def test_seed_events_belong_to_the_battles_of_raqqa_and_mosul(seed_events) -> None:
    events = seed_events
    raqqa = events[(events["place"] == "Raqqa") & (events["date_start"] >= date(2017, 10, 1))]
    mosul = events[(events["place"] == "Mosul") & (events["date_start"] >= date(2017, 7, 1))]
    background = events[events["date_end"] <= date(2014, 12, 31)]
    assert len(raqqa) >= 3 and set(raqqa["operation"]) == {"Battle of Raqqa"}
    assert len(mosul) >= 3 and set(mosul["operation"]) == {"Battle of Mosul"}
    assert len(background) >= 2 and set(background["operation"]) == {""}  # "IS seized Raqqa in early 2014"
    assigned_rows = events[events["operation"] != ""]
    assert assigned_rows["operation_reason"].str.len().gt(0).all()
    assert assigned_rows["operation_confidence"].between(0, 1).all()
    assert events.loc[events["operation"] == "", "operation_confidence"].isna().all()


@pytest.mark.skipif(not SHARED_CORPUS.is_dir(), reason="../shared/corpus is not here (development corpus)")
def test_corpus_assignments_against_the_hand_made_table(capsys) -> None:
    events = load_events([SHARED_CORPUS]).events
    by_operation = defaultdict(list)
    for row in events.itertuples():
        by_operation[row.operation_id].append(f"{row.article_id} {row.date_start} {row.place}")
    with capsys.disabled():  # the list the issue asks for: each operation and its events
        for op_id in sorted(k for k in by_operation if k):
            print(f"\n{op_id}: {len(by_operation[op_id])} events")
            for line in by_operation[op_id][:5]:
                print(f"  {line}")
    key = {(r.article_id, str(r.excerpt_start), r.place, r.sub_event_type): r.operation_id for r in events.itertuples()}
    with open(ASSIGNMENTS, newline="", encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    judged = [
        (row, key[(row["article_id"], row["excerpt_start"], row["place"], row["sub_event_type"])])
        for row in table
        if (row["article_id"], row["excerpt_start"], row["place"], row["sub_event_type"]) in key
    ]
    assert len(judged) >= MIN_JUDGED_ROWS, "the hand table no longer matches the extracted rows"
    right = sum(found == row["operation_id"] for row, found in judged)
    assert right / len(judged) >= ASSIGNMENT_ACCURACY_FLOOR, [
        (row["article_id"], row["excerpt_start"], row["operation_id"], found)
        for row, found in judged
        if found != row["operation_id"]
    ]
    assert {row["operation_id"] for row in table} - {""} <= set(operations_by_id())


def test_the_operation_filter_keeps_an_operation_with_its_battles_and_round_trips_the_url(seed_events) -> None:
    from data.filters import EventFilter, filter_events, filter_from_params, filter_to_params

    events = seed_events
    campaign = filter_events(events, EventFilter(operations=("raqqa-campaign",)))
    battle = filter_events(events, EventFilter(operations=("raqqa",)))
    assert len(battle) >= 3 and set(battle["operation_id"]) == {"raqqa"}
    assert set(battle["event_id"]) <= set(campaign["event_id"])
    assert set(campaign["operation_id"]) <= descendants("raqqa-campaign")
    assert filter_events(events, EventFilter(operations=("no-such-operation",))).empty
    wanted = filter_from_params({"operation": ["mosul"]})
    assert wanted.operations == ("mosul",) and filter_to_params(wanted)["operation"] == ["mosul"]
    assert set(filter_events(events, wanted)["operation"]) == {"Battle of Mosul"}


def _captures(rows: list[tuple]) -> pd.DataFrame:
    """Reports of places taken: (place, geo_precision, operation_id, date, taken by, outlet)."""
    return pd.DataFrame(
        [
            {
                "event_id": f"e{i}",
                "place": place,
                "lat": 36.0 + i / 100,
                "lon": 43.0,
                "geo_precision": precision,
                "operation_id": operation_id,
                "sub_event_type": "Government regains territory",
                "date_start": pd.Timestamp(day),
                "date_end": pd.Timestamp(day),
                "date_precision": "day",
                "actor1": taker,
                "actor2": "Islamic State",
                "outlet": outlet,
            }
            for i, (place, precision, operation_id, day, taker, outlet) in enumerate(rows)
        ]
    )


def test_progression_gives_each_place_to_the_side_of_its_latest_capture_by_the_day() -> None:
    reports = _captures(
        [
            ("Gogjali", "city", "mosul", "2016-11-01", "Iraqi Security Forces", "Reuters"),
            ("Gogjali", "city", "mosul", "2016-11-02", "Iraqi Security Forces", "AFP"),
            ("Bashiqa", "city", "mosul", "2016-11-05", "Peshmerga", "BBC"),
            ("Bashiqa", "city", "mosul", "2016-12-01", "Islamic State", "Amaq"),
            ("Bashiqa", "city", "mosul", "2017-01-10", "Peshmerga", "Rudaw"),
            ("Nineveh Plains", "region", "mosul", "2016-11-03", "Peshmerga", "BBC"),  # no town
            ("Hit", "city", "", "2016-04-14", "Iraqi Security Forces", "AP"),  # no operation
        ]
    )
    before = progression(reports, date(2016, 10, 31))
    assert before.empty and list(before.columns) == list(PROGRESSION_COLUMNS)
    early = progression(reports, date(2016, 11, 3)).set_index("place")
    assert list(early.index) == ["Gogjali"]
    assert early.loc["Gogjali", "date_taken"] == date(2016, 11, 1) and early.loc["Gogjali", "reports"] == 2
    assert early.loc["Gogjali", "outlets"] == "Reuters, AFP"
    december = progression(reports, date(2016, 12, 15)).set_index("place")
    assert december.loc["Bashiqa", "taken_by"] == "Islamic State"
    final = progression(reports).set_index("place")
    assert set(final.index) == {"Gogjali", "Bashiqa"}
    # retaken: the date of the Peshmerga's second capture, not of their first
    assert final.loc["Bashiqa", "taken_by"] == "Peshmerga" and final.loc["Bashiqa", "date_taken"] == date(2017, 1, 10)
    assert progression(reports.drop(columns="operation_id")).empty


def test_progression_on_the_seeds_holds_raqqa_and_mosul_by_their_dates(seed_events) -> None:
    by_july = progression(seed_events, date(2017, 7, 31)).set_index("place")
    assert list(by_july.index) == ["Mosul"] and by_july.loc["Mosul", "taken_by"] == "Iraqi Security Forces"
    everything = progression(seed_events).set_index("place")
    assert everything.loc["Raqqa", "taken_by"] == "Syrian Democratic Forces"
    assert everything.loc["Raqqa", "date_taken"] == date(2017, 10, 17)
    # "IS seized Raqqa in early 2014" is background, of no operation: not on the progression map
    assert (everything["taken_by"] != "Islamic State").all()
