"""components.timespan: where the news is in time, and the unit its axis and Play use."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from components.timespan import MAX_TICKS, news_span, time_unit


def test_a_background_mention_does_not_start_the_news() -> None:
    starts = ["2000-05-01", "2014-06-10", "2016-02-03", "2016-03-01", "2017-10-17"]
    published = ["2016-03-17", "2017-10-17", "2016-03-17", "2016-03-17", "2017-10-17"]
    assert news_span(starts, starts, published) == (date(2016, 2, 1), date(2017, 10, 17))


def test_without_publication_dates_every_dated_event_counts() -> None:
    starts = ["2000-05-01", "2016-02-03", None]
    assert news_span(starts, ["2000-05-31", "2016-02-03", None], [None, None, None]) == (
        date(2000, 5, 1),
        date(2016, 2, 3),
    )
    assert news_span([None], [None], [None]) is None


def test_the_span_ends_with_the_last_interval() -> None:
    assert news_span(["2017-07-01"], ["2017-09-30"], ["2017-07-10"]) == (date(2017, 7, 1), date(2017, 9, 30))


@pytest.mark.parametrize(
    "first, last, unit",
    [
        (date(2017, 10, 1), date(2017, 10, 17), "day"),
        (date(2017, 7, 1), date(2017, 10, 17), "week"),
        (date(2016, 1, 1), date(2017, 12, 27), "month"),
        (date(1999, 1, 1), date(2017, 12, 27), "year"),
    ],
)
def test_one_unit_per_span_and_its_ticks_are_its_starts(first, last, unit) -> None:
    chosen = time_unit(first, last)
    assert chosen.name == unit
    ticks = chosen.ticks(first, last)
    assert 1 <= len(ticks) <= MAX_TICKS + 1
    assert all(first <= t <= last for t in ticks)
    if unit == "week":
        assert all(t.weekday() == 0 for t in ticks)  # a week is labelled by its Monday
    if unit == "month":
        assert all(t.day == 1 for t in ticks)
        assert len({t.strftime(chosen.label) for t in ticks}) == len(ticks)  # no label twice
    if unit == "year":
        assert all((t.month, t.day) == (1, 1) for t in ticks)


def test_play_steps_end_each_unit_and_the_span() -> None:
    weeks = time_unit(date(2017, 7, 1), date(2017, 10, 17))
    steps = weeks.steps(date(2017, 7, 1), date(2017, 10, 17))
    assert steps[0] == date(2017, 7, 2)  # the Sunday that ends the week of 1 July
    assert steps[-1] == date(2017, 10, 17)
    assert all(s.weekday() == 6 for s in steps[:-1])
    months = time_unit(date(2016, 1, 1), date(2017, 12, 27))
    assert len(months.steps(date(2016, 1, 1), date(2017, 12, 27))) == 24


def test_the_corpus_default_range_starts_with_its_reporting(tmp_path) -> None:
    """On ../shared/corpus (2016-17 reporting, background mentions back to 1999) the news span
    starts in January 2016, with the first articles."""
    from pathlib import Path

    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    if not corpus.is_dir():
        pytest.skip(f"the development corpus is absent ({corpus})")
    import data

    events = data.load_events([corpus]).events
    first, last = news_span(events["date_start"], events["date_end"], events["published"])
    published = pd.to_datetime(events["published"]).dropna()
    assert pd.to_datetime(events["date_start"]).min().year < 2010  # the background is there
    assert first.year == 2016 and first <= published.min().date()
    assert last >= published.max().date()


@pytest.mark.parametrize(
    "kwargs, stem",
    [
        ({}, "sitrep-events"),
        (
            {"actors": ("Syrian Democratic Forces",), "date_from": date(2017, 10, 1), "date_to": date(2017, 10, 31)},
            "sitrep-events-SDF-2017-10",
        ),
        (
            {
                "event_types": ("Battles",),
                "countries": ("IQ",),
                "date_from": date(2016, 1, 1),
                "date_to": date(2016, 12, 31),
            },
            "sitrep-events-Battles-IQ-2016",
        ),
        ({"places": ("../../etc/passwd",), "date_from": date(2017, 7, 9)}, "sitrep-events-etc-passwd-from-2017-07-09"),
        (
            {"text": "car bomb", "date_from": date(2017, 7, 9), "date_to": date(2017, 8, 2)},
            "sitrep-events-q-car-bomb-2017-07-09-to-2017-08-02",
        ),
    ],
)
def test_downloads_are_named_after_the_view(kwargs, stem) -> None:
    from components.exports import download_stem
    from data.filters import EventFilter

    aliases = {"Syrian Democratic Forces": ["SDF", "Syria Democratic Forces"]}
    assert download_stem(EventFilter(**kwargs), aliases=aliases) == stem
