"""Properties over arbitrary text: the loader never raises, the frame is valid, excerpts are
slices of their articles, and no event is dated after its article's publication."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data.articles import make_article
from data.frame import articles_to_frame, events_to_frame, validate_events
from data.pipeline import process_article

WORDS = [
    "Raqqa",
    "Mosul",
    "ISIS",
    "SDF",
    "killed",
    "seized",
    "on",
    "Tuesday",
    "last",
    "November",
    "in",
    "2014",
    "the",
    "city",
    "airstrikes",
    "22",
    "were",
    "early",
    "have",
    "taken",
    "control",
    "of",
    ".",
    ",",
    "\n",
    "WASHINGTON —",
    "Related:",
    "said",
    "up to 300",
    "ago",
    "two days",
    "next week",
    "will",
]
news_like = st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join)
any_text = st.text(max_size=400)
published = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(news_like, any_text), published=published)
def test_any_text_loads_into_a_valid_frame(text: str, published: date) -> None:
    problems = []
    if not text.strip():
        return
    article = make_article("a", text, {"published": published.isoformat()}, source_path="", problems=problems)
    events, trouble = process_article(article)
    assert trouble == []
    frame = events_to_frame(events)
    validate_events(frame, articles_to_frame([article]))
    for row in frame.itertuples():
        assert article.text[row.excerpt_start : row.excerpt_end] == row.excerpt
        if row.date_start is not None:
            assert row.date_start <= published + timedelta(days=1)
