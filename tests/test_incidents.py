"""Merging reports into incidents, on hand-made reports whose right answer is known."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from geopy.distance import great_circle

from data.frame import events_to_frame, validate_events
from data.incidents import assign_incidents, incident_id_for, incidents_frame, with_incidents
from data.schema import Event

MANBIJ = (36.5281, 37.9549)
NEAR_MANBIJ = (36.60, 38.05)  # a village about 12 km north-east
JARABULUS = (36.8175, 38.0111)
RAQQA = (35.9528, 39.0079)
PALMYRA = (34.5600, 38.2800)
AUG_12 = date(2016, 8, 12)


def report(event_id: str, article_id: str, *, outlet: str, day: date = AUG_12, where=MANBIJ, place="Manbij",
           place_id="geonames:166365", geo="city", event_type="Battles", sub="Armed clash",
           actors=("Syrian Democratic Forces", "Islamic State"), published: date | None = None,
           fatalities=None, low=None, high=None, end: date | None = None, precision="day") -> Event:
    return Event(event_id=event_id, article_id=article_id, excerpt="x", excerpt_start=0, excerpt_end=1,
                 outlet=outlet, published=published or day + timedelta(days=1), date_start=day,
                 date_end=end or day, date_precision=precision, date_basis="explicit", place=place,
                 place_id=place_id, country="SY", lat=where[0], lon=where[1], geo_precision=geo,
                 actors=list(actors), event_type=event_type, sub_event_type=sub, fatalities=fatalities,
                 fatalities_low=low, fatalities_high=high, confidence=0.7)


def groups(frame: pd.DataFrame) -> set[frozenset[str]]:
    """The partition of event ids into incidents."""
    ids = assign_incidents(frame)
    return {frozenset(frame.loc[ids == i, "event_id"]) for i in set(ids)}


def test_the_same_event_from_three_outlets_is_one_incident() -> None:
    frame = events_to_frame([
        report("r1", "reuters/1", outlet="Reuters", fatalities=20),
        report("a1", "ap/1", outlet="AP", where=NEAR_MANBIJ, place="Manbij countryside", place_id="ref:manbij-countryside",
               actors=("Syrian Democratic Forces",)),
        report("b1", "bbc/1", outlet="BBC", day=AUG_12 - timedelta(days=1), actors=()),  # "on Thursday" vs "Friday"
    ])
    assert groups(frame) == {frozenset({"r1", "a1", "b1"})}
    incident = incidents_frame(frame).iloc[0]
    assert incident["n_sources"] == 3 and incident["n_reports"] == 3
    assert incident["outlets"] == ["AP", "BBC", "Reuters"]
    assert incident["place"] == "Manbij" and incident["geo_precision"] == "city"
    assert incident["date_start"] == incident["date_end"] == AUG_12
    assert incident["incident_id"] == incident_id_for("b1")  # earliest published report


def test_same_place_in_different_months_stays_apart() -> None:
    frame = events_to_frame([
        report("june", "a/1", outlet="Reuters", day=date(2016, 6, 12)),
        report("august", "b/1", outlet="AP", day=AUG_12),
    ])
    assert groups(frame) == {frozenset({"june"}), frozenset({"august"})}


def test_two_towns_far_apart_stay_apart() -> None:
    assert great_circle(RAQQA, PALMYRA).km > 150
    frame = events_to_frame([
        report("raqqa", "a/1", outlet="Reuters", where=RAQQA, place="Raqqa", place_id="geonames:163915"),
        report("palmyra", "b/1", outlet="AP", where=PALMYRA, place="Palmyra", place_id="geonames:170183"),
    ])
    assert groups(frame) == {frozenset({"raqqa"}), frozenset({"palmyra"})}


def test_neighbouring_towns_with_different_actors_stay_apart() -> None:
    """Manbij (SDF) and Jarabulus (Turkish-backed rebels) are 33 km apart: two offensives."""
    frame = events_to_frame([
        report("manbij", "a/1", outlet="Reuters"),
        report("jarabulus", "b/1", outlet="AP", where=JARABULUS, place="Jarabulus", place_id="geonames:169389",
               actors=("Turkey", "Syrian rebels")),
    ])
    assert len(groups(frame)) == 2


def test_conflicting_fatalities_are_shown_side_by_side() -> None:
    frame = events_to_frame([
        report("r1", "reuters/1", outlet="Reuters", fatalities=135, low=135, high=135),
        report("n1", "nyt/1", outlet="The New York Times", fatalities=None, low=100, high=None),
        report("c1", "cnn/1", outlet="CNN"),
    ])
    incident = incidents_frame(frame).iloc[0]
    assert incident["n_sources"] == 3
    by_source = {s["outlet"]: s["figure"] for s in incident["fatalities_by_source"]}
    assert by_source == {"Reuters": "135", "The New York Times": "at least 100"}
    assert not incident["fatalities_agree"]
    assert incident["fatalities_low"] == 100 and incident["fatalities_high"] == 135
    assert incident["fatalities_text"] == "Reuters: 135 · The New York Times: at least 100"


def test_different_event_types_stay_apart() -> None:
    frame = events_to_frame([
        report("clash", "a/1", outlet="Reuters"),
        report("strike", "b/1", outlet="AP", event_type="Explosions/Remote violence", sub="Air/drone strike"),
    ])
    assert len(groups(frame)) == 2


def test_a_restated_lead_merges_but_another_event_of_the_same_article_does_not() -> None:
    frame = events_to_frame([
        report("lead", "a/1", outlet="Reuters"),
        report("restated", "a/1", outlet="Reuters"),
        report("other", "a/1", outlet="Reuters", sub="Non-state actor overtakes territory"),
    ])
    assert groups(frame) == {frozenset({"lead", "restated"}), frozenset({"other"})}
    incident = incidents_frame(frame).set_index("n_reports").loc[2]
    assert incident["n_sources"] == 1 and incident["n_articles"] == 1


def test_day_by_day_reports_do_not_chain_into_one_incident() -> None:
    days = [report(f"d{i}", f"outlet{i}/1", outlet=f"Outlet {i}", day=AUG_12 + timedelta(days=i)) for i in range(5)]
    partition = groups(events_to_frame(days))
    assert all(len(group) <= 2 for group in partition)  # one day of slack, never a chain


def test_country_level_reports_are_never_merged() -> None:
    syria = dict(where=(35.0, 38.0), place="Syria", place_id="geonames:163843", geo="country")
    frame = events_to_frame([report("s1", "a/1", outlet="Reuters", **syria), report("s2", "b/1", outlet="AP", **syria)])
    assert len(groups(frame)) == 2


def test_month_precision_reports_stay_alone() -> None:
    frame = events_to_frame([
        report("month", "a/1", outlet="Reuters", day=date(2016, 8, 1), end=date(2016, 8, 31), precision="month"),
        report("day", "b/1", outlet="AP"),
    ])
    assert len(groups(frame)) == 2


def test_merging_ignores_row_order_and_the_ids_are_stable() -> None:
    reports = [
        report("r1", "reuters/1", outlet="Reuters"),
        report("a1", "ap/1", outlet="AP", where=NEAR_MANBIJ),
        report("b1", "bbc/1", outlet="BBC", day=AUG_12 + timedelta(days=1)),
        report("far", "x/1", outlet="X", where=RAQQA),
        report("j1", "y/1", outlet="Y", where=JARABULUS),
        report("late", "z/1", outlet="Z", day=AUG_12 + timedelta(days=2)),
    ]
    frame = events_to_frame(reports)
    expected = dict(zip(frame["event_id"], assign_incidents(frame)))
    for seed in range(5):
        shuffled = frame.sample(frac=1, random_state=seed).reset_index(drop=True)
        assert dict(zip(shuffled["event_id"], assign_incidents(shuffled))) == expected
    # later coverage joining an incident keeps its id (the id is the earliest report's)
    more = events_to_frame(reports + [report("later", "w/1", outlet="W", published=date(2016, 9, 1))])
    after = dict(zip(more["event_id"], assign_incidents(more)))
    assert after["r1"] == expected["r1"]


def test_every_report_gets_an_incident_and_the_frame_stays_valid() -> None:
    frame = with_incidents(events_to_frame([
        report("r1", "a/1", outlet="Reuters"),
        Event(event_id="undated", article_id="b/1", excerpt="x", excerpt_start=0, excerpt_end=1),
    ]))
    validate_events(frame)
    assert frame["incident_id"].str.startswith("inc_").all()
    assert incidents_frame(frame)["n_reports"].sum() == 2


def test_load_events_fills_incident_id(seeds_result) -> None:
    events = seeds_result.events
    assert list(events.columns)[-1] == "incident_id"
    assert (events["incident_id"] != "").all()
    assert len(incidents_frame(events)) == events["incident_id"].nunique()

