"""Merging reports into incidents, on hand-made reports whose right answer is known."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from geopy.distance import great_circle
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data.frame import events_to_frame, validate_events
from data.incidents import (
    INCIDENT_COLUMNS,
    assign_incidents,
    incident_id_for,
    incidents_frame,
    with_incidents,
)
from data.schema import Event

MANBIJ = (36.5281, 37.9549)
NEAR_MANBIJ = (36.60, 38.05)  # a village about 12 km north-east
JARABULUS = (36.8175, 38.0111)
RAQQA = (35.9528, 39.0079)
PALMYRA = (34.5600, 38.2800)
AUG_12 = date(2016, 8, 12)


def report(
    event_id: str,
    article_id: str,
    *,
    outlet: str,
    day: date = AUG_12,
    where=MANBIJ,
    place="Manbij",
    place_id="geonames:166365",
    geo="city",
    event_type="Battles",
    sub="Armed clash",
    actors=("Syrian Democratic Forces", "Islamic State"),
    published: date | None = None,
    fatalities=None,
    low=None,
    high=None,
    end: date | None = None,
    precision="day",
) -> Event:
    return Event(
        event_id=event_id,
        article_id=article_id,
        excerpt="x",
        excerpt_start=0,
        excerpt_end=1,
        outlet=outlet,
        published=published or day + timedelta(days=1),
        date_start=day,
        date_end=end or day,
        date_precision=precision,
        date_basis="explicit",
        place=place,
        place_id=place_id,
        country="SY",
        lat=where[0],
        lon=where[1],
        geo_precision=geo,
        actors=list(actors),
        event_type=event_type,
        sub_event_type=sub,
        fatalities=fatalities,
        fatalities_low=low,
        fatalities_high=high,
        confidence=0.7,
    )


def groups(frame: pd.DataFrame) -> set[frozenset[str]]:
    """The partition of event ids into incidents."""
    ids = assign_incidents(frame)
    return {frozenset(frame.loc[ids == i, "event_id"]) for i in set(ids)}


def test_the_same_event_from_three_outlets_is_one_incident() -> None:
    frame = events_to_frame(
        [
            report("r1", "reuters/1", outlet="Reuters", fatalities=20),
            report(
                "a1",
                "ap/1",
                outlet="AP",
                where=NEAR_MANBIJ,
                place="Manbij countryside",
                place_id="ref:manbij-countryside",
                actors=("Syrian Democratic Forces",),
            ),
            report("b1", "bbc/1", outlet="BBC", day=AUG_12 - timedelta(days=1), actors=()),  # "on Thursday" vs "Friday"
        ]
    )
    assert groups(frame) == {frozenset({"r1", "a1", "b1"})}
    incident = incidents_frame(frame).iloc[0]
    assert incident["n_sources"] == 3 and incident["n_reports"] == 3
    assert incident["outlets"] == ["AP", "BBC", "Reuters"]
    assert incident["place"] == "Manbij" and incident["geo_precision"] == "city"
    assert incident["date_start"] == incident["date_end"] == AUG_12
    assert incident["incident_id"] == incident_id_for("b1")  # earliest published report


def test_same_place_in_different_months_stays_apart() -> None:
    frame = events_to_frame(
        [
            report("june", "a/1", outlet="Reuters", day=date(2016, 6, 12)),
            report("august", "b/1", outlet="AP", day=AUG_12),
        ]
    )
    assert groups(frame) == {frozenset({"june"}), frozenset({"august"})}


def test_two_towns_far_apart_stay_apart() -> None:
    assert great_circle(RAQQA, PALMYRA).km > 150
    frame = events_to_frame(
        [
            report("raqqa", "a/1", outlet="Reuters", where=RAQQA, place="Raqqa", place_id="geonames:163915"),
            report("palmyra", "b/1", outlet="AP", where=PALMYRA, place="Palmyra", place_id="geonames:170183"),
        ]
    )
    assert groups(frame) == {frozenset({"raqqa"}), frozenset({"palmyra"})}


def test_neighbouring_towns_with_different_actors_stay_apart() -> None:
    """Manbij (SDF) and Jarabulus (Turkish-backed rebels) are 33 km apart: two offensives."""
    frame = events_to_frame(
        [
            report("manbij", "a/1", outlet="Reuters"),
            report(
                "jarabulus",
                "b/1",
                outlet="AP",
                where=JARABULUS,
                place="Jarabulus",
                place_id="geonames:169389",
                actors=("Turkey", "Syrian rebels"),
            ),
        ]
    )
    assert len(groups(frame)) == 2


def test_conflicting_fatalities_are_shown_side_by_side() -> None:
    frame = events_to_frame(
        [
            report("r1", "reuters/1", outlet="Reuters", fatalities=135, low=135, high=135),
            report("n1", "nyt/1", outlet="The New York Times", fatalities=None, low=100, high=None),
            report("c1", "cnn/1", outlet="CNN"),
        ]
    )
    incident = incidents_frame(frame).iloc[0]
    assert incident["n_sources"] == 3
    by_source = {s["outlet"]: s["figure"] for s in incident["fatalities_by_source"]}
    assert by_source == {"Reuters": "135", "The New York Times": "at least 100"}
    assert not incident["fatalities_agree"]
    assert incident["fatalities_low"] == 100 and incident["fatalities_high"] == 135
    assert incident["fatalities_text"] == "Reuters: 135 · The New York Times: at least 100"


def test_different_event_types_stay_apart() -> None:
    frame = events_to_frame(
        [
            report("clash", "a/1", outlet="Reuters"),
            report("strike", "b/1", outlet="AP", event_type="Explosions/Remote violence", sub="Air/drone strike"),
        ]
    )
    assert len(groups(frame)) == 2


def test_a_restated_lead_merges_but_another_event_of_the_same_article_does_not() -> None:
    frame = events_to_frame(
        [
            report("lead", "a/1", outlet="Reuters"),
            report("restated", "a/1", outlet="Reuters"),
            report("other", "a/1", outlet="Reuters", sub="Non-state actor overtakes territory"),
        ]
    )
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
    frame = events_to_frame(
        [
            report("month", "a/1", outlet="Reuters", day=date(2016, 8, 1), end=date(2016, 8, 31), precision="month"),
            report("day", "b/1", outlet="AP"),
        ]
    )
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
    expected = dict(zip(frame["event_id"], assign_incidents(frame), strict=False))
    for seed in range(5):
        shuffled = frame.sample(frac=1, random_state=seed).reset_index(drop=True)
        assert dict(zip(shuffled["event_id"], assign_incidents(shuffled), strict=False)) == expected
    # later coverage joining an incident keeps its id (the id is the earliest report's)
    more = events_to_frame(reports + [report("later", "w/1", outlet="W", published=date(2016, 9, 1))])
    after = dict(zip(more["event_id"], assign_incidents(more), strict=False))
    assert after["r1"] == expected["r1"]


def test_every_report_gets_an_incident_and_the_frame_stays_valid() -> None:
    frame = with_incidents(
        events_to_frame(
            [
                report("r1", "a/1", outlet="Reuters"),
                Event(event_id="undated", article_id="b/1", excerpt="x", excerpt_start=0, excerpt_end=1),
            ]
        )
    )
    validate_events(frame)
    assert frame["incident_id"].str.startswith("inc_").all()
    assert incidents_frame(frame)["n_reports"].sum() == 2


def test_load_events_fills_incident_id(seeds_result) -> None:
    events = seeds_result.events
    assert "incident_id" in events.columns  # (the review columns follow it)
    assert (events["incident_id"] != "").all()
    assert len(incidents_frame(events)) == events["incident_id"].nunique()


# One incident, two outputs: incidents_frame (exports, the details panel) and the dashboard's
# incident_view are built on the same data.incidents.incident_facts, so they agree on every fact.
FIGURES = [
    (None, None, None),
    (24, None, None),
    (24, 24, 24),
    (24, 24, None),
    (None, 24, None),
    (None, None, 30),
    (30, 30, 30),
    (None, 10, 15),
    (135, 135, 135),
]
PLACES = [
    (MANBIJ, "Manbij", "geonames:166365", "city"),
    (NEAR_MANBIJ, "Manbij countryside", "ref:manbij-countryside", "site"),
    ((36.0, 38.0), "Aleppo", "geonames:170063", "region"),
    ((None, None), "", "", ""),
]
DAYS = [
    (AUG_12, AUG_12, "day", "explicit"),
    (AUG_12 - timedelta(days=1), AUG_12, "range", "relative"),
    (date(2016, 8, 8), date(2016, 8, 14), "week", "context"),
    (date(2016, 8, 1), date(2016, 8, 31), "month", "publication"),
    (None, None, "unknown", "none"),
]
ACTORS = [(), ("Islamic State",), ("Syrian Democratic Forces", "Islamic State"), ("Turkey",)]


def varied_report(
    i: int, incident: int, outlet: str, figure: int, place: int, day: int, actors: int, confidence: float
) -> tuple[Event, str]:
    where, name, place_id, geo = PLACES[place]
    start, end, precision, basis = DAYS[day]
    fatalities, low, high = FIGURES[figure]
    event = Event(
        event_id=f"e{i:02d}",
        article_id=f"{outlet or 'site'}/{i % 3}",
        excerpt="x",
        excerpt_start=0,
        excerpt_end=1,
        outlet=outlet,
        published=AUG_12 + timedelta(days=i % 4),
        date_start=start,
        date_end=end,
        date_precision=precision,
        date_basis=basis,
        place=name,
        place_id=place_id,
        country="SY" if geo else "",
        lat=where[0],
        lon=where[1],
        geo_precision=geo,
        actors=list(ACTORS[actors]),
        event_type="Battles",
        sub_event_type="Armed clash",
        fatalities=fatalities,
        fatalities_low=low,
        fatalities_high=high,
        confidence=confidence,
    )
    return event, f"inc_{incident}"


def both_outputs(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """incidents_frame and incident_view of one corpus, both indexed by incident_id."""
    from components.format import with_display_columns
    from components.incidents import incident_view
    from data.filters import normalise_events

    corpus = with_display_columns(normalise_events(frame))
    view = incident_view(corpus, corpus).set_index("incident_id")
    return incidents_frame(frame).set_index("incident_id"), view


def day(value: object) -> object:
    return None if pd.isna(value) else pd.Timestamp(value).date()


def int_or_none(value: object) -> int | None:
    return None if pd.isna(value) else int(value)


report_strategy = st.tuples(
    st.integers(0, 3),
    st.sampled_from(["Reuters", "AP", "BBC", ""]),
    st.integers(0, len(FIGURES) - 1),
    st.integers(0, len(PLACES) - 1),
    st.integers(0, len(DAYS) - 1),
    st.integers(0, len(ACTORS) - 1),
    st.sampled_from([0.5, 0.7, 0.9]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(report_strategy, min_size=1, max_size=12))
def test_incidents_frame_and_the_dashboard_view_agree(drawn: list[tuple]) -> None:
    events, incidents = zip(*(varied_report(i, *fields) for i, fields in enumerate(drawn)), strict=False)
    frame = events_to_frame(list(events))
    frame["incident_id"] = list(incidents)
    table, view = both_outputs(frame)
    assert sorted(table.index) == sorted(view.index) == sorted(set(incidents))
    for incident, row in table.iterrows():
        shown = view.loc[incident]
        for column in (
            "place",
            "place_id",
            "geo_precision",
            "event_type",
            "date_precision",
            "n_reports",
            "n_sources",
            "outlets",
            "actors",
        ):
            assert row[column] == shown[column], (incident, column)
        for column in ("lat", "lon"):
            assert (pd.isna(row[column]) and pd.isna(shown[column])) or row[column] == shown[column]
        assert (row["date_start"], row["date_end"]) == (day(shown["date_start"]), day(shown["date_end"]))
        for column in ("fatalities_low", "fatalities_high"):
            assert int_or_none(row[column]) == int_or_none(shown[column]), (incident, column)
        if row["n_reports"] > 1:
            assert shown["_deaths"].endswith("(sources differ)") == (row["fatalities_agree"] is False)
        if row["fatalities_agree"] is not True:
            assert pd.isna(shown["fatalities"])  # never one figure of several
        assert row["confidence"] == shown["confidence"]


def test_a_lower_bound_and_an_exact_figure_differ_in_both_outputs() -> None:
    """ "24" and "at least 24" leave the toll open: the sources differ and the toll is "at least
    24", in the table and on the map alike (the view used to call them agreed, and the table
    printed the extractor's "at least 24", fatalities 24 with no upper bound, as "24")."""
    cases = [  # (figures of two sources, agree, low, high, words)
        ([(24, 24, 24), (24, 24, None)], False, 24, None, "at least 24 killed (sources differ)"),
        ([(24, 24, 24), (None, 24, None)], False, 24, None, "at least 24 killed (sources differ)"),
        ([(24, 24, None), (None, 24, None)], True, 24, None, "at least 24 killed"),
        ([(24, None, None), (24, 24, 24)], True, 24, 24, "24 killed"),
        ([(24, 24, 24), (30, 30, None)], False, 24, None, "at least 24 killed (sources differ)"),
        ([(135, 135, 135), (None, 100, None)], False, 100, 135, "100–135 killed (sources differ)"),
        ([(None, None, 24), (30, 30, 30)], False, None, 30, "up to 30 killed (sources differ)"),
        ([(None, 10, 15), (None, 10, 15)], True, 10, 15, "10–15 killed"),
    ]
    for figures, agree, low, high, words in cases:
        frame = events_to_frame(
            [
                report(f"s{i}", f"outlet{i}/1", outlet=f"Outlet {i}", fatalities=f, low=lo, high=hi)
                for i, (f, lo, hi) in enumerate(figures)
            ]
        )
        frame["incident_id"] = "inc_one"
        table, view = both_outputs(frame)
        row, shown = table.loc["inc_one"], view.loc["inc_one"]
        assert row["fatalities_agree"] is agree, figures
        assert (int_or_none(row["fatalities_low"]), int_or_none(row["fatalities_high"])) == (low, high), figures
        assert (int_or_none(shown["fatalities_low"]), int_or_none(shown["fatalities_high"])) == (low, high), figures
        assert shown["_deaths"] == words, figures
    frame = events_to_frame([report("s0", "a/1", outlet="AP", fatalities=24, low=24, high=None)])
    assert incidents_frame(frame).iloc[0]["fatalities_text"] == "AP: at least 24"
    (shown,) = both_outputs(frame)[1].itertuples()
    assert shown.fatalities == 24 and pd.isna(shown.fatalities_high)  # a lone report as it reads


def test_incidents_frame_of_many_incidents_matches_one_at_a_time() -> None:
    from data.synthetic import generate

    events = generate(600, seed=4).events
    table = incidents_frame(events)
    assert len(table) == events["incident_id"].nunique() and list(table.columns) == INCIDENT_COLUMNS
    sample = table[table["n_reports"] > 1].head(5)
    for _, row in sample.iterrows():
        alone = incidents_frame(events[events["incident_id"] == row["incident_id"]]).iloc[0]
        for column in INCIDENT_COLUMNS:
            left, right = row[column], alone[column]
            assert (
                (pd.isna(left) and pd.isna(right)) if not isinstance(left, list) and pd.isna(left) else left == right
            ), column
