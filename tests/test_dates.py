"""Tests for data.dates: a table of news phrasings with a fixed publication date, plus properties.

Every phrase here is written for these tests (typical wire-copy phrasing), none is copied from an
evaluation corpus.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data.dates import find_dates, is_forward, is_offset_reference, is_weekday_reference
from data.schema import DATE_PRECISIONS, DateMention
from data.textmatch import find_all, finditer_from, fold_for_prefilter

# A Tuesday; its ISO week runs Monday 2017-10-16 .. Sunday 2017-10-22.
PUBLISHED = date(2017, 10, 17)
D = date

# (sentence, expected start, expected end, expected precision)
CASES = [
    # weekdays and times of day
    ("Fighting resumed on Tuesday afternoon.", D(2017, 10, 17), D(2017, 10, 17), "day"),
    ("Jets struck the town on Tuesday night.", D(2017, 10, 17), D(2017, 10, 17), "day"),
    ("Rebels withdrew on Sunday.", D(2017, 10, 15), D(2017, 10, 15), "day"),
    ("The convoy was hit on Monday.", D(2017, 10, 16), D(2017, 10, 16), "day"),
    ("Officials said Friday that the road was cut.", D(2017, 10, 13), D(2017, 10, 13), "day"),
    ("The town fell last Tuesday.", D(2017, 10, 10), D(2017, 10, 10), "day"),
    ("Shelling began late Saturday.", D(2017, 10, 14), D(2017, 10, 14), "day"),
    ("Talks are planned for next Friday.", D(2017, 10, 20), D(2017, 10, 20), "day"),
    ("The minister will visit the front on Thursday.", D(2017, 10, 19), D(2017, 10, 19), "day"),
    ("Wednesday's raid killed six.", D(2017, 10, 11), D(2017, 10, 11), "day"),
    # "by <day>": a deadline ahead, unless its clause is in the past tense
    ("The army cleared the town of militants by Saturday.", D(2017, 10, 14), D(2017, 10, 14), "day"),
    ("Fighters must leave the town by Saturday.", D(2017, 10, 21), D(2017, 10, 21), "day"),
    ("The troops were ordered to withdraw by Saturday.", D(2017, 10, 21), D(2017, 10, 21), "day"),
    # today and its neighbours
    ("Two car bombs exploded yesterday.", D(2017, 10, 16), D(2017, 10, 16), "day"),
    ("The army said today it had retaken the bridge.", D(2017, 10, 17), D(2017, 10, 17), "day"),
    ("A curfew starts tonight.", D(2017, 10, 17), D(2017, 10, 17), "day"),
    ("Mortars landed this morning near the hospital.", D(2017, 10, 17), D(2017, 10, 17), "day"),
    ("The vote is tomorrow.", D(2017, 10, 18), D(2017, 10, 18), "day"),
    ("Clashes continued late yesterday.", D(2017, 10, 16), D(2017, 10, 16), "day"),
    ("Gunmen attacked the checkpoint last night.", D(2017, 10, 16), D(2017, 10, 16), "day"),
    # offsets from now or from an anchor
    ("The siege ended two days ago.", D(2017, 10, 15), D(2017, 10, 15), "day"),
    ("The offensive began two weeks ago.", D(2017, 10, 2), D(2017, 10, 8), "week"),
    ("The camp was emptied three weeks ago.", D(2017, 9, 25), D(2017, 10, 1), "week"),
    ("The dam was seized three months ago.", D(2017, 7, 1), D(2017, 7, 31), "month"),
    ("The city was besieged a year ago.", D(2016, 1, 1), D(2016, 12, 31), "year"),
    ("Troops had entered the district the day before.", D(2017, 10, 16), D(2017, 10, 16), "day"),
    ("They had fled the previous day.", D(2017, 10, 16), D(2017, 10, 16), "day"),
    ("It came two days after the attack on the base.", D(2017, 10, 15), D(2017, 10, 15), "day"),
    ("The raid took place a week before the vote.", D(2017, 10, 9), D(2017, 10, 15), "week"),
    # calendar periods around publication
    ("Airstrikes intensified last week.", D(2017, 10, 9), D(2017, 10, 15), "week"),
    ("Aid arrived this week.", D(2017, 10, 16), D(2017, 10, 22), "week"),
    ("Talks resume next week.", D(2017, 10, 23), D(2017, 10, 29), "week"),
    ("The militia captured the airport last month.", D(2017, 9, 1), D(2017, 9, 30), "month"),
    ("Thousands fled this month.", D(2017, 10, 1), D(2017, 10, 31), "month"),
    ("The bridge was blown up earlier this month.", D(2017, 10, 1), D(2017, 10, 17), "range"),
    ("The group lost half its territory last year.", D(2016, 1, 1), D(2016, 12, 31), "year"),
    ("Casualties have fallen this year.", D(2017, 1, 1), D(2017, 12, 31), "year"),
    ("The army advanced late last year.", D(2016, 9, 1), D(2016, 12, 31), "part"),
    ("Violence has grown over the past year.", D(2016, 10, 17), D(2017, 10, 17), "range"),
    ("Over the past two years the front barely moved.", D(2015, 10, 17), D(2017, 10, 17), "range"),
    ("Protests spread over the weekend.", D(2017, 10, 14), D(2017, 10, 15), "range"),
    # months and days without a year
    ("The city was encircled last November.", D(2016, 11, 1), D(2016, 11, 30), "month"),
    ("The ceasefire collapsed in November.", D(2016, 11, 1), D(2016, 11, 30), "month"),
    ("The ceasefire collapsed in March.", D(2017, 3, 1), D(2017, 3, 31), "month"),
    ("The offensive was launched on Oct. 17.", D(2017, 10, 17), D(2017, 10, 17), "day"),
    ("Forces entered the old city on Oct 9th.", D(2017, 10, 9), D(2017, 10, 9), "day"),
    ("The base was overrun on 3 September.", D(2017, 9, 3), D(2017, 9, 3), "day"),
    ("Militants shelled the camp on Dec. 12.", D(2016, 12, 12), D(2016, 12, 12), "day"),
    ("Talks were held on Tuesday, Oct. 10.", D(2017, 10, 10), D(2017, 10, 10), "day"),
    ("The front collapsed in early June.", D(2017, 6, 1), D(2017, 6, 10), "part"),
    ("Fighting peaked in mid-September.", D(2017, 9, 11), D(2017, 9, 20), "part"),
    ("The dam was retaken at the end of June.", D(2017, 6, 21), D(2017, 6, 30), "part"),
    # explicit dates
    ("The city fell on 17 October 2017.", D(2017, 10, 17), D(2017, 10, 17), "day"),
    ("The city fell on October 17, 2017.", D(2017, 10, 17), D(2017, 10, 17), "day"),
    ("The deal was signed Sept. 30, 2016, in Geneva.", D(2016, 9, 30), D(2016, 9, 30), "day"),
    ("The report is dated 2017-10-05.", D(2017, 10, 5), D(2017, 10, 5), "day"),
    ("The group seized the city in June 2014.", D(2014, 6, 1), D(2014, 6, 30), "month"),
    ("Raqqa was declared its capital in July 2017.", D(2017, 7, 1), D(2017, 7, 31), "month"),
    ("The group emerged in 2014.", D(2014, 1, 1), D(2014, 12, 31), "year"),
    ("Its budget for fiscal 1998 was cut.", D(1998, 1, 1), D(1998, 12, 31), "year"),
    ("The movement was founded in the 1990s.", D(1990, 1, 1), D(1999, 12, 31), "range"),
    # parts of periods
    ("The campaign began in early 2014.", D(2014, 1, 1), D(2014, 4, 30), "part"),
    ("The campaign stalled in mid-2016.", D(2016, 5, 1), D(2016, 8, 31), "part"),
    ("The siege was lifted in late 2014.", D(2014, 9, 1), D(2014, 12, 31), "part"),
    ("The town changed hands by the end of 2015.", D(2015, 9, 1), D(2015, 12, 31), "part"),
    ("Attacks rose at the beginning of the year.", D(2017, 1, 1), D(2017, 4, 30), "part"),
    ("Deaths doubled in the first half of 2017.", D(2017, 1, 1), D(2017, 6, 30), "half"),
    ("Output fell in the second half of last year.", D(2016, 7, 1), D(2016, 12, 31), "half"),
    ("Attacks fell in the third quarter.", D(2017, 7, 1), D(2017, 9, 30), "quarter"),
    ("Attacks fell in the fourth quarter of 2016.", D(2016, 10, 1), D(2016, 12, 31), "quarter"),
    ("Exports recovered in Q3 2015.", D(2015, 7, 1), D(2015, 9, 30), "quarter"),
    # seasons (meteorological, winter Y = December Y-1 .. February Y)
    ("The offensive began last summer.", D(2017, 6, 1), D(2017, 8, 31), "season"),
    ("The camp flooded in winter 2016.", D(2015, 12, 1), D(2016, 2, 29), "season"),
    ("The town fell in the summer of 2014.", D(2014, 6, 1), D(2014, 8, 31), "season"),
    ("Refugees returned in the spring.", D(2017, 3, 1), D(2017, 5, 31), "season"),
    # durations that bound a range ending at publication
    ("since 2014", D(2014, 1, 1), D(2017, 10, 17), "range"),
    ("The city has been held by rebels since March 2016.", D(2016, 3, 1), D(2017, 10, 17), "range"),
    ("It was the end of a nine-month offensive.", D(2017, 1, 17), D(2017, 10, 17), "range"),
    ("The nine-month battle for the city is over.", D(2017, 1, 17), D(2017, 10, 17), "range"),
    # holidays
    ("The market was bombed on Christmas Day.", D(2016, 12, 25), D(2016, 12, 25), "day"),
]


@pytest.mark.parametrize("sentence, start, end, precision", CASES, ids=[c[0] for c in CASES])
def test_expression_resolves(sentence: str, start: date, end: date, precision: str) -> None:
    mentions = find_dates(sentence, published=PUBLISHED)
    assert len(mentions) == 1, mentions
    mention = mentions[0]
    assert (mention.date_start, mention.date_end, mention.date_precision) == (start, end, precision)
    assert sentence[mention.start : mention.end] == mention.text


def test_more_than_24_hours_after_dates_the_anchor() -> None:
    text = "Shelling resumed more than 24 hours after the cease-fire began."
    (mention,) = find_dates(text, published=date(2017, 7, 10))
    assert mention.text == "more than 24 hours after"
    assert (mention.date_start, mention.date_end) == (date(2017, 7, 9), date(2017, 7, 9))
    assert (mention.date_precision, mention.basis) == ("day", "relative")
    assert is_offset_reference(mention)


@pytest.mark.parametrize(
    "sentence",
    [
        "The siege lasted three years.",
        "He fought for three years in the north.",
        "Up to 300 militants were holding out in the old city.",
        "About 15,000 fighters remain.",
        "The US sent 1600 advisers to the region.",
        "At least 2000 people fled.",
        "Some 2,000 residents were evacuated.",
        "The hotline runs 24/7.",
        "The curfew begins at 1900 GMT.",
        "A 45-year-old man was wounded.",
        "The blast happened at 10:30 a.m.",
        "They may return when the fighting stops.",
        "The Sunday Times reported the raid.",
        "Security Council resolution 2254 calls for talks.",
        "The march on the capital was halted.",
        "A 24-hour curfew was imposed.",
        "It was a quarter-century of war.",
    ],
)
def test_not_a_date(sentence: str) -> None:
    assert find_dates(sentence, published=PUBLISHED) == []


def test_basis_explicit_and_relative() -> None:
    text = "The city fell in July 2017, and the last pocket was cleared on Tuesday."
    explicit, relative = find_dates(text, published=PUBLISHED)
    assert explicit.basis == "explicit" and relative.basis == "relative"
    assert is_weekday_reference(relative) and not is_weekday_reference(explicit)


def test_forward_clause_is_flagged() -> None:
    text = "Negotiators will meet again on Thursday."
    (mention,) = find_dates(text, published=PUBLISHED)
    assert mention.date_start == date(2017, 10, 19)
    assert is_forward(text, mention)


def test_without_publication_relative_is_unknown() -> None:
    mentions = find_dates("The town fell last Tuesday, weeks after 17 October 2017.", published=None)
    assert [(m.date_precision, m.date_start) for m in mentions] == [("unknown", None), ("day", date(2017, 10, 17))]


def test_year_ago_follows_named_quarter() -> None:
    text = "Third-quarter revenue rose 4% from a year ago."
    quarter, year_ago = find_dates(text, published=PUBLISHED)
    assert (year_ago.date_start, year_ago.date_end) == (date(2016, 7, 1), date(2016, 9, 30))


def test_offsets_sorted_and_disjoint_on_a_long_text() -> None:
    text = " ".join(c[0] for c in CASES) + "\r\n Étés, 2016—“last week” — naïve café on Monday."
    mentions = find_dates(text, published=PUBLISHED)
    assert len(mentions) >= len(CASES)
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.text
        assert mention.date_precision in DATE_PRECISIONS
    for first, second in zip(mentions, mentions[1:], strict=False):
        assert first.end <= second.start


def test_cli_prints_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Jets struck on Tuesday afternoon.\n", encoding="utf-8")
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, "-m", "data", "dates", "--published", "2017-10-17", str(path)],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert '"date_start": "2017-10-17"' in out and '"text": "Tuesday afternoon"' in out


def test_module_stays_light() -> None:
    code = "import sys, data.dates; print(sorted(m for m in ('pandas', 'numpy', 'dateparser') if m in sys.modules))"
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert out.strip() == "[]"


# ----------------------------------------------------------------------------- properties

# Words that build date expressions, numbers that are not dates, and fillers; forward-looking
# words are kept apart so one property can leave them out.
_PAST_WORDS = [
    "on",
    "in",
    "last",
    "since",
    "early",
    "mid-",
    "late",
    "the",
    "end",
    "of",
    "beginning",
    "ago",
    "after",
    "before",
    "earlier",
    "previous",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "past",
    "two",
    "three",
    "a",
    "nine-month",
    "offensive",
    "Tuesday",
    "Sunday",
    "Friday",
    "afternoon",
    "night",
    "yesterday",
    "today",
    "tonight",
    "this morning",
    "November",
    "June",
    "May",
    "March",
    "Oct.",
    "Dec.",
    "17",
    "3",
    "31",
    "2014",
    "1998",
    "2,000",
    "300",
    "1600",
    "24",
    "hours",
    "more than",
    "quarter",
    "third",
    "first half",
    "summer",
    "winter",
    "Christmas",
    "weekend",
    "the day before",
    "fiscal",
    "1990s",
    ",",
    ".",
    "\n",
    "said",
    "fell",
]
_FORWARD = ["next", "tomorrow", "will", "coming", "later", "this", "by", "scheduled", "current"]

_published = st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31))


def _texts(words: list[str]) -> st.SearchStrategy[str]:
    """Random sentences from a vocabulary, with random separators and stray characters."""
    token = st.one_of(st.sampled_from(words), st.text(max_size=3))
    return st.lists(st.tuples(token, st.sampled_from([" ", "  ", "-", ", ", "\t"])), max_size=30).map(
        lambda pairs: "".join(word + sep for word, sep in pairs)
    )


def _check_shape(text: str, mentions: list[DateMention]) -> None:
    """Offsets are slices, mentions sorted and disjoint, intervals ordered."""
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.text
        assert mention.date_precision in DATE_PRECISIONS
        if mention.date_start is not None:
            assert mention.date_start <= mention.date_end
    for first, second in zip(mentions, mentions[1:], strict=False):
        assert first.end <= second.start


@settings(max_examples=300, deadline=None)
@given(text=_texts(_PAST_WORDS), published=_published)
def test_relative_mentions_never_after_publication(text: str, published: date) -> None:
    mentions = find_dates(text, published=published)
    _check_shape(text, mentions)
    for mention in mentions:
        if mention.basis == "relative":
            assert mention.date_start <= published + timedelta(days=1), mention


@settings(max_examples=300, deadline=None)
@given(text=_texts(_PAST_WORDS + _FORWARD), published=_published)
def test_only_forward_mentions_land_after_publication(text: str, published: date) -> None:
    mentions = find_dates(text, published=published)
    _check_shape(text, mentions)
    for mention in mentions:
        if mention.basis == "relative" and mention.date_start > published + timedelta(days=1):
            assert is_forward(text, mention), mention


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=300), published=st.one_of(st.none(), _published))
def test_any_text_is_safe(text: str, published: date | None) -> None:
    _check_shape(text, find_dates(text, published=published))


# ----------------------------------------------------------------------------- prefilters


_PREFILTER_TEXTS = [case[0] for case in CASES] + [
    "Operation Fırat Kalkanı began on AUGUST 24, 2016; the FIRST QUARTER OF 2017 was calmer.",
    "Two thousand people fled in the Winter of 2016-17, a nine-month-long siege, TWO WEEKS AGO.",
    "ON TUESDAY, OCT. 17, 2017, the year-end figures and the 1990s came up; Q3 2016, the week of "
    "Sept. 4, over the weekend, Christmas Eve 2015, the day before yesterday, İstanbul on Monday.",
]


@pytest.mark.parametrize("text", _PREFILTER_TEXTS)
def test_prefilters_hide_no_match(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every rule's prefilter finds something in each of its matches, and skipping rules by
    prefilter gives the same mentions as running every rule."""
    import dataclasses

    import data.dates as dates

    for rule in dates._RULES:
        for match in rule.pattern.finditer(text):
            assert rule.need.search(fold_for_prefilter(match.group())), (rule.name, match.group())
    with_prefilters = find_dates(text, published=PUBLISHED)
    monkeypatch.setattr(dates, "_RULES", tuple(dataclasses.replace(r, need=None) for r in dates._RULES))
    assert find_dates(text, published=PUBLISHED) == with_prefilters


def _accepted_matches(ctx) -> list:
    """Every rule's matches (with the prefilters) that its resolver accepts, as `_Hit`s: what
    `_select` chooses from."""
    import data.dates as dates

    return [
        dates._Hit(start, end, index, value)
        for start, end, index, match in dates._matches(ctx)
        if (value := dates._resolve(index, match, ctx)) is not None
    ]


def _hits_without_prefilters(text: str, published: date | None) -> list[tuple]:
    """What `_accepted_matches` gives when every rule runs over the whole text."""
    import data.dates as dates

    ctx = dates._Ctx(text=text, published=published)
    hits = []
    for index, rule in enumerate(dates._RULES):
        for match in rule.pattern.finditer(text):
            try:
                value = rule.resolve(match, ctx)
            except KeyError:
                value = None  # as in dates._resolve: a look-alike letter the tables do not hold
            if value is not None:
                hits.append((match.start(), match.end(), index, value))
    return hits


_CASINGS = st.sampled_from([str, str.upper, str.title, str.lower, lambda s: s.replace("i", "ı")])


@settings(max_examples=300, deadline=None)
@given(
    text=_texts(
        _PAST_WORDS
        + _FORWARD
        + [
            "quarter",
            "half",
            "ago",
            "the week of",
            "Oct. 17,",
            "17 October",
            "nine-month",
            "offensive",
            "Q3",
            "the year",
            "year-end",
            "nineteen ninety",
        ]
    ),
    casing=_CASINGS,
    published=_published,
)
def test_prefilters_change_no_candidate(text: str, casing, published: date) -> None:
    import data.dates as dates

    text = casing(text)
    ctx = dates._Ctx(text=text, published=published)
    found = [(h.start, h.end, h.rule, h.value) for h in _accepted_matches(ctx)]
    assert found == _hits_without_prefilters(text, published)


def test_month_words_are_every_spelling_of_a_month() -> None:
    """The month rules' prefilter words are exactly the spellings `_MONTH` matches (it matches only
    a month name's first letters, with or without a dot)."""
    import re

    import data.dates as dates

    names = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
    spellings = {
        word
        for name in names
        for k in range(1, len(name) + 1)
        for word in (name[:k], name[:k] + ".")
        if re.fullmatch(dates._MONTH, word)
    }
    assert spellings == set(dates._MONTH_WORDS)
    assert len(spellings) == len(dates._MONTH_WORDS)


# Words of the rules' patterns and prefilters, for texts where every rule finds something.
_RULE_WORDS = [
    "the",
    "a",
    "an",
    "of",
    "this",
    "last",
    "next",
    "past",
    "previous",
    "coming",
    "this coming",
    "early",
    "mid",
    "late",
    "earlier",
    "later",
    "end",
    "beginning",
    "middle",
    "part",
    "year",
    "years",
    "month",
    "months",
    "week",
    "weeks",
    "weekend",
    "day",
    "days",
    "hour",
    "hours",
    "fortnight",
    "decade",
    "decades",
    "quarter",
    "quarters",
    "q3",
    "Q1",
    "period",
    "half",
    "first",
    "second",
    "third",
    "fiscal",
    "fy",
    "fy2014",
    "FY 2015",
    "calendar",
    "full",
    "current",
    "whole",
    "entire",
    "year-ago",
    "year-earlier",
    "year's",
    "comparable",
    "same",
    "latest",
    "ago",
    "before",
    "after",
    "earlier",
    "prior",
    "or so",
    "more than",
    "a little less than",
    "a couple of",
    "a dozen",
    "two",
    "twenty-four",
    "nine",
    "24",
    "offensive",
    "long",
    "-long",
    "-old",
    "siege",
    "truce",
    "Monday",
    "Tues.",
    "tuesday's",
    "Sat.",
    "sunday",
    "Thurs.",
    "morning",
    "afternoon",
    "night",
    "evening",
    "overnight",
    "yesterday",
    "today",
    "tonight",
    "tomorrow",
    "January",
    "Jan.",
    "Sept.",
    "sept",
    "May",
    "march",
    "June",
    "jun.",
    "Dec",
    "mid-",
    "17",
    "17th",
    "3rd",
    "31",
    "2014",
    "1990",
    "1990s",
    "2016-17",
    "2017-10-17",
    "mid2014",
    "of2014",
    "spring",
    "summer",
    "fall",
    "autumn",
    "winter",
    "Christmas",
    "Eve",
    "new year's",
    "New Year",
    "Good Friday",
    "Easter",
    "Sunday",
    "Thanksgiving",
    "Valentine's Day",
    "Independence Day",
    "boxing day",
    "nineteen",
    "ninety-six",
    "two thousand",
    "and",
    "one",
    "so far",
    "over",
    "during",
    "on",
    "at",
    "in",
    "for",
    "since",
    "'s",
    "’s",
    "IRA's",
    "Kılıç",
    "ıs",
    ",",
    ".",
    "\n",
    "(",
    '"',
    "—",
]


def _assert_anchors_hide_no_match(text: str) -> None:
    """Each rule tried only where its prefilter lets it (and at the words before, for
    `words_before`) finds what its pattern finds over the whole text."""
    import data.dates as dates

    folded = fold_for_prefilter(text)
    for rule in dates._RULES:
        everywhere = [m.span() for m in rule.folded.finditer(folded)]
        if rule.words_before is None:
            assert rule.need.search(folded) or not everywhere, rule.name
            continue
        starts = dates._anchors(folded).starts_before(rule.need.starts(folded), rule.words_before)
        assert [m.span() for m in finditer_from(rule.folded, folded, starts)] == everywhere, rule.name


# For each rule, matches with as many words as it allows before its prefilter's word.
_LONGEST_BEFORE_ANCHOR = [
    "Tuesday, the 17th of June",
    "Tues., the 17th of Oct., 2014",
    "Tuesday, the Oct. 17, 2017",
    "2017-10-17",
    "this coming the early part of June",
    "the early part of June of 2014",
    "fiscal year 2014",
    "fy2014",
    "FY 2015",
    "the mid-1990s",
    "the early part of 2014",
    "mid2014",
    "the end of2014",
    "last year's third fiscal quarter",
    "the comparable year-earlier fiscal third quarter of 2014",
    "Q3 2016",
    "the latest comparable fiscal quarter",
    "the quarter a year ago",
    "the comparable year-ago period",
    "the second half of the year",
    "this coming the beginning of the summer of 2016-17",
    "this coming Tuesday afternoon",
    "early the day before yesterday",
    "late last night",
    "early this morning",
    "the beginning of last week",
    "mid-next month",
    "the beginning of the year",
    "year-end",
    "the year's end",
    "the full calendar year",
    "year-ago",
    "for the year",
    "the week of March 6, 2017",
    "during the weekend",
    "a little more than a couple of days ago",
    "a little less than twenty-four hours after",
    "the previous evening",
    "a day earlier",
    "the night before",
    "the past a couple of weeks",
    "the last twenty-four months",
    "their a couple of month-long military offensive",
    "the IRA's 8-month-old truce",
    "this coming Christmas Eve 2016",
    "this past New Year's Day",
    "the year nineteen ninety-six",
    "the year two thousand and one",
    # and one for each prefilter word
    "its entire year",
    "the whole year",
    "the current year",
    "this calendar year",
    "Boxing Day",
    "Veterans Day",
    "Armistice Day",
    "Bastille Day",
    "Halloween",
    "Election Day",
    "Independence Day",
    "Valentine's Day",
    "Thanksgiving Day",
    "Easter Sunday",
    "Good Friday",
    "Christmas",
    "Mon.",
    "Tues.",
    "Wed.",
    "Thurs.",
    "Fri.",
    "Sat.",
    "Sun.",
    "two decades ago",
    "a fortnight earlier",
    "nine hours before",
    "a week after",
    "six months prior",
    "in the spring",
    "in autumn",
    "last fall",
    "early winter",
    "tonight",
    "tomorrow",
    "today",
    "this midday",
    "this noon",
    "this evening",
    "overnight",
    "this afternoon",
    "Jan. 3",
    "Feb 3",
    "Apr. 3",
    "Aug 3",
    "Sep. 3",
    "Sept 3",
    "Nov 3",
    "Dec. 3",
    "jul 3",
    "Jun. 3",
    "Mar 3",
    "the period a year ago",
    "the first quarter",
    "the latest quarter",
    "Q1",
    "Q2",
    "Q4",
    "the last half",
]


@pytest.mark.parametrize("phrase", _LONGEST_BEFORE_ANCHOR)
def test_prefilter_anchors_hide_no_longest_match(phrase: str) -> None:
    for text in (phrase, f"Reports said {phrase} was calm.", f'("{phrase.upper()}")'):
        _assert_anchors_hide_no_match(text)


@settings(max_examples=500, deadline=None)
@given(text=_texts(_RULE_WORDS), casing=_CASINGS)
def test_prefilter_anchors_hide_no_match(text: str, casing) -> None:
    _assert_anchors_hide_no_match(casing(text))


_FOLDED_PATTERN_NAMES = [
    "_FORWARD_CUE",
    "_FORWARD_BEFORE",
    "_PAST_BEFORE",
    "_PAST_VERB",
    "_INFINITIVE",
    "_FORWARD_AFTER",
    "_CLAUSE_START",
    "_COUNT_BEFORE",
    "_YEAR_BEFORE",
    "_BARE_MONTH_CUE",
    "_PRONOUN_BEFORE",
    "_SEASON_CUE",
    "_SINCE",
    "_YEAR_BACK",
]
_CONTEXT_WORDS = (
    _PAST_WORDS
    + _FORWARD
    + [
        "will",
        "won't",
        "'ll",
        "is to",
        "are due",
        "expects",
        "hopes to",
        "planned",
        "as soon as",
        "by",
        "by the",
        "said",
        "told",
        "denied",
        "scheduled",
        "fled",
        "walked",
        "be",
        "to",
        "to withdraw",
        "deadline",
        "target date",
        "about",
        "at least",
        "no.",
        "No",
        "№",
        "$",
        "£",
        "kilometers",
        "c.",
        "'s",
        "-",
        "he",
        "it",
        "I",
        "who",
        "during",
        "throughout",
        "ever",
        "since",
        "one year ago",
        "a year earlier",
        "year-ago",
        ";",
        ":",
        "”",
        "’",
        ")",
        "KELVIN",
        "\u212a",
        "İ",
        "ı",
        "ſ",
        "ASKED",
        "Was",
    ]
)


@settings(max_examples=300, deadline=None)
@given(text=_texts(_CONTEXT_WORDS), casing=_CASINGS)
def test_folded_patterns_match_where_ignorecase_ones_match_the_text(text: str, casing) -> None:
    """The clause and context patterns run on the folded text find what they would find in the
    text case-insensitively."""
    import re

    import data.dates as dates

    text = casing(text)
    folded = fold_for_prefilter(text)
    for name in _FOLDED_PATTERN_NAMES:
        pattern = getattr(dates, name)
        ignorecase = re.compile(pattern.pattern, re.I)
        assert [m.span() for m in pattern.finditer(folded)] == [m.span() for m in ignorecase.finditer(text)], name
        for end in range(len(text) + 1):  # (the "$"-anchored ones search what comes before a mention)
            assert bool(pattern.search(folded[:end])) == bool(ignorecase.search(text[:end])), name


@settings(max_examples=300, deadline=None)
@given(
    text=_texts(_RULE_WORDS + ["tues.monday", "sat.sun.", "émay", "_june", "3may", "mayday", "x", "é"]), casing=_CASINGS
)
def test_anchor_words_are_where_each_word_starts_a_word(text: str, casing) -> None:
    """The one scan for all the rules' words finds where one of a rule's words starts a word and
    ends before a letter."""
    import re

    import data.dates as dates

    folded = fold_for_prefilter(casing(text))
    anchors = dates._Anchors(folded)
    for rule in dates._RULES:
        if isinstance(rule.need, dates._NeedWords):
            expected = {
                at
                for word in rule.need.words
                for at in find_all(folded, word)
                if not re.match(r"\w", folded[at - 1 : at]) and not re.match("[a-z]", folded[at + len(word) :])
            }
            assert anchors.words(rule.need.words) == sorted(expected), rule.name


def _select_after_resolving_all(ctx) -> list:
    """What `_select` chooses, the plain way: every match resolved first."""

    chosen, taken = [], []
    for hit in sorted(_accepted_matches(ctx), key=lambda h: (-(h.end - h.start), h.start, h.rule)):
        if all(hit.end <= s or hit.start >= e for s, e in taken):
            chosen.append(hit)
            taken.append((hit.start, hit.end))
    return sorted(chosen, key=lambda h: h.start)


@settings(max_examples=300, deadline=None)
@given(text=_texts(_RULE_WORDS + _PAST_WORDS + _FORWARD), casing=_CASINGS, published=st.one_of(st.none(), _published))
def test_select_resolves_only_what_it_may_choose(text: str, casing, published: date | None) -> None:
    import data.dates as dates

    ctx = dates._Ctx(text=casing(text), published=published)
    assert dates._select(ctx) == _select_after_resolving_all(ctx)


@pytest.mark.parametrize("text", ["It happened in wınter 2016.", "On Chrıstmas day they attacked.", "On Frıday."])
def test_look_alike_letters_do_not_raise(text: str) -> None:
    mentions = find_dates(text, published=date(2017, 1, 1))
    assert all(text[m.start : m.end] == m.text for m in mentions)
