"""Where the news is in time, and the unit to show it in. Pure functions, no streamlit.

* `news_span`: the days the articles report on. An article reports what happened in the weeks
  before it was published; an event it dates months or years earlier (IS took Mosul in June
  2014, said in a 2017 article) is background. The span starts at the first event dated within
  NEWS_LAG_DAYS before its article's publication, so one background mention from 2000 does not
  stretch the default date range and the timeline over 17 years.
* `time_unit`: days, weeks, months or years for a span, with the tick days (every label sits on
  its tick and names it: months at month starts, weeks at their Mondays) and the steps of Play.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

# An event dated more than this before its article's publication is background, not news: a
# report tells the past few weeks (the corpus: half of its events are dated on the day of
# publication, three quarters within 25 days).
NEWS_LAG_DAYS = 60
# At most this many labelled ticks on the time axis (about 60 px each at 1024 px wide).
MAX_TICKS = 8


def _days(values: object) -> pd.Series:
    return pd.to_datetime(pd.Series(values), errors="coerce")


def news_span(starts: object, ends: object, published: object) -> tuple[date, date] | None:
    """(first, last) day of the news: from the first event dated within NEWS_LAG_DAYS before its
    article's publication (its month's first day) to the last event's end; every dated event
    when none is (no publication dates). None when nothing is dated."""
    start, end, out = _days(starts), _days(ends), _days(published)
    end = end.fillna(start)
    if start.notna().sum() == 0:
        return None
    last = max(end.max(), start.max()).date()
    recent = start[(out - start).dt.days.le(NEWS_LAG_DAYS) & start.notna()]
    first = (recent if len(recent) else start.dropna()).min().date()
    return min(first.replace(day=1), last), last


@dataclass(frozen=True)
class TimeUnit:
    """How to show a span: `name` (day, week, month, year), `step` units between ticks, the
    strftime `label` of a tick, and the words of one step of Play."""

    name: str
    step: int
    label: str
    play_words: str

    def floor(self, day: date) -> date:
        """The start of the unit `day` falls in."""
        if self.name == "week":
            return day - timedelta(days=day.weekday())
        if self.name == "month":
            return day.replace(day=1)
        if self.name == "year":
            return day.replace(month=1, day=1)
        return day

    def following(self, day: date, count: int = 1) -> date:
        """The start of the unit `count` units after the one starting on `day`."""
        if self.name == "day":
            return day + timedelta(days=count)
        if self.name == "week":
            return day + timedelta(weeks=count)
        if self.name == "month":
            months = day.year * 12 + day.month - 1 + count
            return date(months // 12, months % 12 + 1, 1)
        return date(day.year + count, 1, 1)

    def ticks(self, first: date, last: date) -> list[date]:
        """Unit starts from first to last, every `step` units (aligned: months 1, 4, 7, 10 for a
        step of 3; years divisible by the step)."""
        cursor = self.floor(first)
        if self.name == "month" and self.step > 1:
            while (cursor.month - 1) % self.step:
                cursor = self.following(cursor)
        if self.name == "year" and self.step > 1:
            while cursor.year % self.step:
                cursor = self.following(cursor)
        out = []
        while cursor <= last:
            if cursor >= first:
                out.append(cursor)
            cursor = self.following(cursor, self.step)
        return out

    def steps(self, first: date, last: date) -> list[date]:
        """The last day of each unit from first to last (the cut-offs of Play)."""
        out, cursor = [], self.floor(first)
        while cursor <= last:
            following = self.following(cursor)
            out.append(min(following - timedelta(days=1), last))
            cursor = following
        return out


def time_unit(first: date, last: date) -> TimeUnit:
    """The unit for a span: days up to three weeks, weeks up to four months, months up to six
    years, years beyond; the step keeps at most MAX_TICKS labelled ticks."""
    days = (last - first).days + 1
    if days <= 21:
        return TimeUnit("day", max(1, -(-days // MAX_TICKS)), "%-d %b", "day by day")
    if days <= 122:
        return TimeUnit("week", max(1, -(-days // (7 * MAX_TICKS))), "%-d %b", "week by week")
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if months <= 72:
        step = next(s for s in (1, 2, 3, 6, 12) if months / s <= MAX_TICKS) if months > MAX_TICKS else 1
        return TimeUnit("month", step, "%b %Y", "month by month")
    years = last.year - first.year + 1
    step = next((s for s in (1, 2, 5, 10, 20, 50) if years / s <= MAX_TICKS), 100)
    return TimeUnit("year", step, "%Y", "year by year")
