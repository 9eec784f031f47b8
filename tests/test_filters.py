"""data.filters: EventFilter, filter_events and the URL round trip (pure pandas, no streamlit)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from data.filters import (  # noqa: E402
    DEFAULT_FILTER,
    DEFAULT_MIN_CONFIDENCE,
    EventFilter,
    facet_values,
    filter_events,
    filter_from_params,
    filter_to_params,
    normalise_events,
    one_per_incident,
)
from data.synthetic import generate  # noqa: E402

EVENTS = normalise_events(generate(600, seed=7).events)
FACETS = facet_values(EVENTS)


def test_empty_filter_keeps_everything() -> None:
    assert filter_events(EVENTS, EventFilter()) is EVENTS


def test_actor_filter_keeps_only_events_with_that_actor() -> None:
    kept = filter_events(EVENTS, EventFilter(actors=("Islamic State",)))
    assert len(kept) > 0
    assert all(
        "Islamic State" in a or "Islamic State" in (x, y)
        for a, x, y in zip(kept["actors"], kept["actor1"], kept["actor2"], strict=False)
    )
    assert len(kept) < len(EVENTS)


def test_actors_combine_with_or_and_facets_with_and() -> None:
    one = filter_events(EVENTS, EventFilter(actors=("Islamic State",)))
    two = filter_events(EVENTS, EventFilter(actors=("Islamic State", "Peshmerga")))
    assert len(two) > len(one)
    both = filter_events(EVENTS, EventFilter(actors=("Islamic State",), event_types=("Battles",)))
    assert set(both["event_id"]) == set(one["event_id"]) & set(EVENTS[EVENTS["event_type"] == "Battles"]["event_id"])


def test_dates_keep_overlapping_intervals_and_drop_undated() -> None:
    kept = filter_events(EVENTS, EventFilter(date_from=date(2016, 1, 1), date_to=date(2016, 3, 31)))
    assert len(kept) > 0
    assert kept["date_start"].notna().all()
    assert (kept["date_end"] >= pd.Timestamp("2016-01-01")).all()
    assert (kept["date_start"] <= pd.Timestamp("2016-03-31")).all()
    # A year-long interval overlapping the window is kept although it starts before it.
    assert (kept["date_start"] < pd.Timestamp("2016-01-01")).any()


def test_text_search_is_case_insensitive_and_literal() -> None:
    kept = filter_events(EVENTS, EventFilter(text="AIR STRIKES"))
    assert len(kept) > 0
    assert kept["excerpt"].str.lower().str.contains("air strikes").all()
    assert filter_events(EVENTS, EventFilter(text="(unbalanced[")).empty


def test_min_confidence_and_places() -> None:
    kept = filter_events(EVENTS, EventFilter(min_confidence=0.8, places=("Raqqa",)))
    assert (kept["confidence"] >= 0.8).all() and (kept["place"] == "Raqqa").all()


def test_filter_rejects_a_bare_string_with_a_clear_message() -> None:
    with pytest.raises(TypeError, match="expects a sequence of strings, got 'Islamic State'"):
        EventFilter(actors="Islamic State")
    with pytest.raises(ValueError, match="min_confidence must be within 0..1, got 2"):
        EventFilter(min_confidence=2)


def test_params_round_trip_and_bad_values_are_ignored() -> None:
    wanted = EventFilter(
        date_from=date(2017, 1, 2),
        actors=("Islamic State", "SDF"),
        event_types=("Battles",),
        countries=("SY",),
        places=("Raqqa",),
        min_confidence=0.5,
        text="stadium",
        review_statuses=("corrected", "accepted"),
    )
    params = filter_to_params(wanted)
    assert params["review"] == ["corrected", "accepted"]
    assert params["actor"] == ["Islamic State", "SDF"] and params["from"] == ["2017-01-02"]
    assert filter_from_params(params) == wanted
    assert filter_from_params({"from": ["yesterday"], "min_conf": ["lots"]}) == DEFAULT_FILTER
    assert filter_from_params({"actor": "Islamic State"}).actors == ("Islamic State",)


@pytest.mark.parametrize(
    "params, minimum",
    [
        ({}, DEFAULT_MIN_CONFIDENCE),  # no min_conf: the dashboard's default
        ({"min_conf": ["0"]}, 0.0),  # the "show all" switch
        ({"min_conf": ["0.8"]}, 0.8),
        ({"min_conf": ["1.7"]}, 1.0),  # clipped into 0..1
        ({"min_conf": ["-1"]}, 0.0),
        ({"min_conf": ["nan"]}, DEFAULT_MIN_CONFIDENCE),
        ({"min_conf": [""]}, DEFAULT_MIN_CONFIDENCE),
    ],
)
def test_min_conf_in_the_url_defaults_to_the_constant(params, minimum) -> None:
    assert filter_from_params(params).min_confidence == minimum


def test_the_default_minimum_is_not_written_and_zero_is() -> None:
    assert filter_to_params(DEFAULT_FILTER) == {}
    assert filter_from_params({}) == DEFAULT_FILTER
    show_all = DEFAULT_FILTER.narrowed(min_confidence=0.0)
    assert filter_to_params(show_all) == {"min_conf": ["0"]}
    assert filter_from_params(filter_to_params(show_all)) == show_all
    assert filter_to_params(DEFAULT_FILTER.narrowed(min_confidence=0.75)) == {"min_conf": ["0.75"]}


def test_the_default_hides_exactly_the_events_below_it() -> None:
    kept = filter_events(EVENTS, DEFAULT_FILTER)
    assert (kept["confidence"] >= DEFAULT_MIN_CONFIDENCE).all()
    assert len(kept) == (EVENTS["confidence"] >= DEFAULT_MIN_CONFIDENCE).sum() < len(EVENTS)
    assert EventFilter().is_empty and not DEFAULT_FILTER.is_empty


def test_normalise_accepts_python_dates_and_is_idempotent() -> None:
    raw = generate(20, seed=3).events
    once = normalise_events(raw)
    assert str(once["date_start"].dtype).startswith("datetime64")
    pd.testing.assert_frame_equal(normalise_events(once), once)


def test_one_per_incident_keeps_reports_without_incident() -> None:
    frame = EVENTS.head(6).copy()
    frame["incident_id"] = ["a", "a", "b", "", "", "b"]
    assert len(one_per_incident(frame)) == 4
    assert len(one_per_incident(EVENTS.head(6))) == 6


filters = st.builds(
    EventFilter,
    date_from=st.none() | st.dates(date(2013, 6, 1), date(2018, 6, 1)),
    date_to=st.none() | st.dates(date(2013, 6, 1), date(2018, 6, 1)),
    actors=st.lists(st.sampled_from(FACETS["actors"]), max_size=3, unique=True).map(tuple),
    event_types=st.lists(st.sampled_from(FACETS["event_types"]), max_size=2, unique=True).map(tuple),
    countries=st.lists(st.sampled_from(FACETS["countries"]), max_size=1).map(tuple),
    places=st.lists(st.sampled_from(FACETS["places"]), max_size=3, unique=True).map(tuple),
    min_confidence=st.floats(0, 1),
    text=st.sampled_from(["", "air", "Raqqa", "dead", "zzz"]),
    review_statuses=st.lists(st.sampled_from(["unreviewed", "accepted", "corrected"]), max_size=2, unique=True).map(
        tuple
    ),
)


@settings(max_examples=60, deadline=None)
@given(base=filters, extra_actor=st.sampled_from(FACETS["actors"]), more_conf=st.floats(0, 1))
def test_narrowing_a_filter_yields_a_subset(base: EventFilter, extra_actor: str, more_conf: float) -> None:
    wide = set(filter_events(EVENTS, base)["event_id"])
    narrower = base.narrowed(min_confidence=max(base.min_confidence, more_conf))
    assert set(filter_events(EVENTS, narrower)["event_id"]) <= wide
    if base.actors:  # an actor facet is an OR: one more actor can only widen it
        widened = base.narrowed(actors=base.actors + (extra_actor,))
        assert wide <= set(filter_events(EVENTS, widened)["event_id"])


@settings(max_examples=60, deadline=None)
@given(base=filters)
def test_filter_url_round_trip(base: EventFilter) -> None:
    back = filter_from_params(filter_to_params(base))
    assert back.narrowed(min_confidence=round(back.min_confidence, 6)) == base.narrowed(
        min_confidence=round(float(f"{base.min_confidence:g}"), 6)
    )


def test_review_status_keeps_the_events_of_those_statuses() -> None:
    frame = EVENTS.head(6).copy()
    frame["review_status"] = ["unreviewed", "accepted", "corrected", "accepted", "unreviewed", "corrected"]
    kept = filter_events(frame, EventFilter(review_statuses=("accepted", "corrected")))
    assert kept["review_status"].tolist() == ["accepted", "corrected", "accepted", "corrected"]
    assert len(filter_events(frame, EventFilter(review_statuses=("unreviewed",)))) == 2
    # a frame read without its review is all unreviewed
    bare = frame.drop(columns=["review_status"])
    assert len(filter_events(bare, EventFilter(review_statuses=("unreviewed",)))) == 6
    assert filter_events(bare, EventFilter(review_statuses=("accepted",))).empty


def test_a_force_finds_the_events_of_its_parts() -> None:
    frame = pd.DataFrame(
        {
            "event_id": ["a", "b"],
            "actors": [["Iraqi Counter Terrorism Service", "Islamic State"], ["Peshmerga"]],
            "actor1": ["Iraqi Counter Terrorism Service", "Peshmerga"],
            "actor2": ["Islamic State", ""],
        }
    )
    kept = filter_events(frame, EventFilter(actors=("Iraqi Security Forces",)))
    assert list(kept["event_id"]) == ["a"]
