"""Stage 3, dates: date expressions in news text, resolved to day intervals.

`find_dates(text, published=...)` finds explicit dates ("17 October 2017", "July 2017", "2014"),
parts of periods ("early 2014", "the end of June", "the third quarter"), relative references
resolved against the publication date ("on Tuesday", "last November", "two weeks ago"), offsets
from another moment anchored to publication ("more than 24 hours after") and durations that
bound a range ("a nine-month offensive", "since 2014").

How it works: every rule below is a compiled pattern plus a small resolver; all rules run over
the whole text (in effect: prefilters and anchors, see `_Rule`, skip only where a rule cannot
match), their hits compete and the longest wins (earliest on a tie), so "Oct. 17, 2017"
beats "Oct. 17" and "2017". Resolution is past-biased, because news reports what happened: a
bare "Tuesday" or "Oct. 17" is the latest one not after publication, unless the clause it sits
in looks forward ("will meet on Tuesday"), see `is_forward`.

Stdlib and data.textmatch only: `python -m data dates` must start fast.
"""

from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, cached_property, lru_cache

from data.schema import DateMention
from data.textmatch import finditer_from, fold_article, is_word_char, one_of

__all__ = [
    "find_dates",
    "is_forward",
    "is_relative",
    "is_weekday_reference",
    "is_offset_reference",
]

# ----------------------------------------------------------------------------- vocabulary

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_UNITS = {
    "hour": "hour",
    "day": "day",
    "week": "week",
    "fortnight": "fortnight",
    "month": "month",
    "year": "year",
    "decade": "decade",
}
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}

_SMALL = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_NUMBER_WORDS: dict[str, int] = {word: i for i, word in enumerate(_SMALL)}
for _i, _ten in enumerate(_TENS):
    if _ten:
        _NUMBER_WORDS[_ten] = 10 * _i
        for _j in range(1, 10):
            _NUMBER_WORDS[f"{_ten}-{_SMALL[_j]}"] = 10 * _i + _j
_NUMBER_WORDS.update({"a": 1, "an": 1, "a couple of": 2, "a dozen": 12, "half a": 0})

# Patterns are built from these pieces. Month and weekday names are matched case-insensitively
# and then required to be capitalised in `_capitalised`, so "may" and "march" stay verbs.
_MONTH = (
    r"(?:jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|june?|jun\.|july?|jul\."
    r"|aug(?:ust|\.)?|sep(?:tember|t\.?|\.)?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?)"
    r"(?![a-z])"
)
_WEEKDAY_FULL = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_DAY = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19[0-9]{2}|20[0-9]{2})"


_NUM = (
    r"(?:\d{1,3}|"
    + one_of(
        ["a couple of", "a dozen", "half a", "an", "a"]
        + sorted(
            (w for w in _NUMBER_WORDS if w not in ("a", "an", "a couple of", "a dozen", "half a")),
            key=len,
            reverse=True,
        )
    )
    + ")"
)
_UNIT = r"(?:hour|day|week|fortnight|month|year|decade)s?"
_APPROX = one_of(
    [
        "more than",
        "less than",
        "fewer than",
        "nearly",
        "almost",
        "about",
        "around",
        "some",
        "just",
        "only",
        "roughly",
        "approximately",
        "over",
        "under",
        "at least",
        "barely",
        "exactly",
        "precisely",
        "a little more than",
        "a little less than",
    ]
)
_SEASON = r"(?:spring|summer|fall|autumn|winter)"
_PART = r"(?:early|mid|late|the (?:beginning|start|middle|end) of|the (?:early|middle|late) part of)"
_DAYTIME_WORDS = ("morning", "afternoon", "evening", "night", "overnight", "midday", "noon")
_DAYTIME = "(?:" + "|".join(_DAYTIME_WORDS) + ")"

_WB = r"(?<![\w'])"  # a word starts here (no letter, digit or apostrophe before)
_WE = r"(?![\w])"  # and ends here

# The patterns of the clause and context tests below run on the folded text (`fold_article`):
# written in lower case and without IGNORECASE, they match there wherever they would match the
# text case-insensitively (see `fold_for_prefilter`), and the engine runs them several times faster.

# Days of a past event may be anchored to "now" only for reporting and narrative expressions;
# these words in the clause before a bare weekday / month-day make it a forward reference.
_FORWARD_CUE = re.compile(
    r"\b(?:will|won't|shall|'ll|would|is to|are to|(?:is|are) due|due to|scheduled|slated|set to"
    r"|(?:is|are) expected|expects?|expected to|hopes? to|plans? to|planned|planning|intends? to"
    r"|effective|payable|record|expires?|deadline|upcoming|as (?:soon|early) as)\b"
)
# Directly before a bare day or month, a deadline preposition looks forward ("by Jan. 14") ...
_FORWARD_BEFORE = re.compile(r"\bby\s+(?:the\s+)?$")
# ... and a reporting verb or a past participle looks back ("said Monday", "issued July 1").
# Words in -ed that look forward, not back ("scheduled Monday", "expected by Friday").
_FORWARD_PARTICIPLE = r"(?:scheduled|expected|planned|slated|delayed|postponed|extended)\b"
_PAST_BEFORE = re.compile(
    r"\b(?:said|says|told|announced|predicted|reported|added|stated|declared|confirmed|denied"
    r"|(?!" + _FORWARD_PARTICIPLE + r")[a-z]+ed)"
    r"(?:\s+(?:on|in|at|from|since|as of))?\s+$"
)
# A verb in the past tense: a "by" deadline in its clause lies behind ("had fled by Monday").
_PAST_VERB = re.compile(
    r"\b(?:was|were|had|took|fell|won|lost|fled|left|began|drove|fought|held|seized"
    r"|(?<!\bbe )(?<!\bto )(?!" + _FORWARD_PARTICIPLE + r")[a-z]{2,}ed)\b"
)
# An infinitive ("ordered to withdraw by Saturday"): the deadline lies ahead again.
_INFINITIVE = re.compile(r"\bto\s+[a-z]+\b(?!ed\b)")
# After a bare day or month, a noun of deadlines looks forward ("the Jan. 14 deadline").
_FORWARD_AFTER = re.compile(r"\s*(?:deadline|return date|target date)\b")
# Where a clause starts, for the look-back above.
_CLAUSE_START = re.compile(r"[.!?;:\n][\"'”’)]*\s+|\n")
# (The patterns from here on run on the text itself.)
# Words inside a mention that say it points forward in time.
# "this"/"current" name a period containing now, whose named parts may lie ahead ("this May").
_FORWARD_WORDS = re.compile(r"\b(?:next|tomorrow|coming|upcoming|later|from now|ahead|this|current)\b", re.I)
# A mention whose date depends on another moment of the narrative ("two days after the attack").
_OFFSET_WORDS = re.compile(r"\b(?:after|before|earlier|previous|prior)\b", re.I)

# Newspapers and other names that start with a weekday ("the Sunday Times").
_WEEKDAY_NAME_NEXT = re.compile(
    r"\s+(?:Times|Telegraph|Mirror|Express|Herald|Post|Mail|Tribune|Star|Independent|Observer"
    r"|Sport|School|Service|Mass|Night Live|Morning Post|Today|Bloody|Magazine|Review|Edition"
    r"|Club|Law)\b"
)
_WEEKDAY_NAME_PREV = re.compile(r"(?:\b(?:Bloody|Black|Good|Holy|Easter|Super|Cyber|Ash|Palm)\s+)$")

# A 4-digit number is a count, not a year, after these words ("at least 2000 people"); run on the
# folded text, as the next one.
_COUNT_BEFORE = re.compile(
    r"(?:\b(?:about|some|nearly|almost|around|approximately|roughly|over|under|than|least|most"
    r"|up to|only|just|another|additional|extra|total of|estimated|those|these|all|no\.?|number"
    r"|resolution|flight|route|highway|room|article|section|chapter|page|paragraph|model"
    r"|version|windows|unit|code|bill|regulation|batch|ward|block|level|hill|height|point"
    r"|elevation|channel|bus|train|platform|gate|exit|lot|box|suite|apartment|street|avenue"
    r"|road|km|kilometers?|miles?|feet|meters?|at|[$£€¥#№])\s*)$"
)
# Words before a 4-digit number that make it a year even when a plural noun follows.
_YEAR_BEFORE = re.compile(
    r"(?:\b(?:in|since|by|until|till|of|from|through|during|before|after|the|a|his|her|its|their"
    r"|early|mid|late|fiscal|year|season|summer|winter|spring|autumn|fall|circa|c\.)|'s|-)\s*$"
)
# A plural noun after a 4-digit number makes it a count ("1600 advisers"), unless the number
# follows a year-ish word ("the 2016 elections"); these short words are not plural nouns.
_PLURAL_AFTER = re.compile(r"\s+([a-z]{3,}s)\b")
_NOT_PLURAL = {
    "was",
    "has",
    "his",
    "its",
    "this",
    "thus",
    "plus",
    "less",
    "unless",
    "across",
    "towards",
    "whereas",
    "afterwards",
    "does",
    "yes",
    "always",
    "perhaps",
    "besides",
    "alas",
    "is",
    "as",
    "us",
}
# After these, a 4-digit number is a clock time, a measure or an address ("1900 GMT", "2000 metres",
# "2014 Street").
_NOT_YEAR_AFTER = re.compile(
    r"\s+(?-i:Street|St\.|Road|Rd\.|Avenue|Ave\.|Boulevard|Blvd\.|Lane|Highway|Route)\b"
    r"|\s*(?:%|percent|per cent|gmt|utc|hrs|hours|h\b|local time|z\b|[ap]\.?m\.?|km|kilometers?"
    r"|kilometres?|miles?|meters?|metres?|feet|ft|kg|tons?|tonnes?|dollars|euros|pounds|yuan"
    r"|rubles?|dinars?|lira|liras|riyals?|barrels|mw|megawatts|[-–]?(?:strong|member|man|mile"
    r"|meter|metre|kilometer|kilometre|foot|ton|page|seat|bed|room|acre|pound)\b)",
    re.I,
)

# ----------------------------------------------------------------------------- intervals

# What a resolver returns: (date_start, date_end, precision, basis).
Resolved = tuple[date | None, date | None, str, str]


def _month_end(year: int, month: int) -> date:
    """Last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def _month_iv(year: int, month: int) -> tuple[date, date]:
    """The days of a month."""
    return date(year, month, 1), _month_end(year, month)


def _year_iv(year: int) -> tuple[date, date]:
    """The days of a year."""
    return date(year, 1, 1), date(year, 12, 31)


def _week_iv(day: date) -> tuple[date, date]:
    """The ISO week (Monday..Sunday) containing a day."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _quarter_iv(year: int, quarter: int) -> tuple[date, date]:
    """The days of a calendar quarter."""
    return date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter)


def _half_iv(year: int, half: int) -> tuple[date, date]:
    """The days of a calendar half year."""
    return date(year, 6 * half - 5, 1), _month_end(year, 6 * half)


def _season_iv(year: int, season: str) -> tuple[date, date]:
    """Meteorological season; winter Y is December Y-1 to February Y (as TimeML's Y-WI)."""
    if season == "WI":
        return date(year - 1, 12, 1), _month_end(year, 2)
    first = {"SP": 3, "SU": 6, "FA": 9}[season]
    return date(year, first, 1), _month_end(year, first + 2)


def _season_of(day: date) -> tuple[int, str]:
    """The (year, season) a day falls in."""
    if day.month == 12:
        return day.year + 1, "WI"
    return day.year, ("WI", "WI", "SP", "SP", "SP", "SU", "SU", "SU", "FA", "FA", "FA")[day.month - 1]


def _part_of_month(year: int, month: int, part: str) -> tuple[date, date]:
    """early = days 1-10, mid = 11-20, late = 21-end."""
    if part == "early":
        return date(year, month, 1), date(year, month, 10)
    if part == "mid":
        return date(year, month, 11), date(year, month, 20)
    return date(year, month, 21), _month_end(year, month)


def _part_of_year(year: int, part: str) -> tuple[date, date]:
    """early = January-April, mid = May-August, late = September-December."""
    first = {"early": 1, "mid": 5, "late": 9}[part]
    return date(year, first, 1), _month_end(year, first + 3)


def _part_of_week(day: date, part: str) -> tuple[date, date]:
    """early = Monday-Tuesday, mid = Wednesday-Thursday, late = Friday-Sunday of day's week."""
    monday = day - timedelta(days=day.weekday())
    first, last = {"early": (0, 1), "mid": (2, 3), "late": (4, 6)}[part]
    return monday + timedelta(days=first), monday + timedelta(days=last)


def _add_months(day: date, months: int) -> date:
    """Same day of month `months` later (clipped to the month's end)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _shift(day: date, amount: int, unit: str) -> date:
    """A day moved by amount units (negative = back)."""
    if unit == "hour":
        return day + timedelta(days=int(amount / 24))
    if unit == "day":
        return day + timedelta(days=amount)
    if unit == "week":
        return day + timedelta(weeks=amount)
    if unit == "fortnight":
        return day + timedelta(weeks=2 * amount)
    if unit == "month":
        return _add_months(day, amount)
    if unit == "year":
        return _add_months(day, 12 * amount)
    return _add_months(day, 120 * amount)  # decade


def _unit_iv(day: date, unit: str) -> tuple[tuple[date, date], str]:
    """The calendar unit around a day and its precision (hours and days -> the day)."""
    if unit in ("hour", "day"):
        return (day, day), "day"
    if unit in ("week", "fortnight"):
        return _week_iv(day), "week"
    if unit == "month":
        return _month_iv(day.year, day.month), "month"
    return _year_iv(day.year), "year"


# ----------------------------------------------------------------------------- small parsers


def _month_number(token: str) -> int:
    """'Sept.' -> 9."""
    return _MONTHS[token.lower()[:3]]


def _weekday_number(token: str) -> int:
    """'Tues' -> 1."""
    return _WEEKDAYS[token.lower()[:3]]


def _day_number(token: str) -> int:
    """'17th' -> 17."""
    return int(re.match(r"\d+", token).group())


def _number(token: str) -> int | None:
    """'24', 'two', 'twenty-four', 'a' -> int; None when not a number."""
    token = token.lower().strip()
    if token.isdigit():
        return int(token)
    return _NUMBER_WORDS.get(re.sub(r"\s+", " ", token))


def _unit(token: str) -> str:
    """'weeks' -> 'week'."""
    return _UNITS[token.lower().rstrip("s")]


def _capitalised(token: str) -> bool:
    """Month and weekday names in news are capitalised; 'may'/'march' lower-case are verbs."""
    return token[:1].isupper()


def _valid_day(year: int, month: int, day: int) -> bool:
    """Whether the day exists in the month."""
    return 1 <= day <= calendar.monthrange(year, month)[1]


# ----------------------------------------------------------------------------- context


@dataclass(frozen=True)
class _Ctx:
    """What a resolver may look at besides its match."""

    text: str
    published: date | None

    def before(self, index: int, width: int = 40) -> str:
        """The text just before index."""
        return self.text[max(0, index - width) : index]

    @cached_property
    def folded(self) -> str:
        """`fold_article` of the text, for the patterns written for it."""
        return fold_article(self.text)

    def folded_before(self, index: int, width: int = 40) -> str:
        """The folded text just before index."""
        return self.folded[max(0, index - width) : index]

    def forward(self, start: int, end: int | None = None) -> bool:
        """Whether the clause around a mention looks forward ("will", "scheduled to")."""
        return _clause_is_forward(self.text, start, end)


def _clause_is_forward(text: str, start: int, end: int | None = None) -> bool:
    """Whether the clause around a mention at `start` looks forward ("will", "by", "deadline")."""
    folded = fold_article(text)
    window = folded[max(0, start - 160) : start]
    cuts = list(_CLAUSE_START.finditer(window))
    if cuts:
        window = window[cuts[-1].end() :]
    if _PAST_BEFORE.search(window[-30:]):
        return False
    if _FORWARD_BEFORE.search(window[-12:]):
        # "cleared the town by Saturday" is a past deadline; "must leave by Saturday" a future one.
        # ("were ordered to withdraw by Saturday": an infinitive looks forward again.)
        return not _PAST_VERB.search(window) or bool(_FORWARD_CUE.search(window)) or bool(_INFINITIVE.search(window))
    if end is not None and _FORWARD_AFTER.match(folded, end):
        return True
    return bool(_FORWARD_CUE.search(window))


# ----------------------------------------------------------------------------- resolvers
# Each resolver takes the match and the context and returns (start, end, precision, basis) or
# None to reject the match (the words were not a date after all).

_UNKNOWN_REL: Resolved = (None, None, "unknown", "relative")


def _resolve_year_for(
    ctx: _Ctx, month: int, day: int | None, span: tuple[int, int], weekday: int | None = None
) -> int | None:
    """Year of a month (and day) named without one: past-biased, forward if the clause says so."""
    pub = ctx.published
    if pub is None:
        return None
    if weekday is not None and day is not None:
        # "Tuesday, Oct. 17": the year nearest publication where the weekday fits.
        for year in sorted((pub.year, pub.year - 1, pub.year + 1), key=lambda y: abs(y - pub.year)):
            if _valid_day(year, month, day) and date(year, month, day).weekday() == weekday:
                return year
    first = (month, day or 1)
    if ctx.forward(*span):
        # Looking forward: this year's or next year's, whichever is nearer ("by Jan. 14").
        this_year = date(pub.year, month, min(day or 15, 28))
        next_year = date(pub.year + 1, month, min(day or 15, 28))
        return pub.year if abs((this_year - pub).days) <= abs((next_year - pub).days) else pub.year + 1
    return pub.year if first <= (pub.month, pub.day) else pub.year - 1


def _r_day_month_year(m: re.Match, ctx: _Ctx) -> Resolved | None:
    """'17 October 2017', 'October 17, 2017', 'Tuesday, Oct. 17, 2017'."""
    if not _capitalised(m["month"]):
        return None
    year, month, day = int(m["year"]), _month_number(m["month"]), _day_number(m["day"])
    if not _valid_day(year, month, day):
        return None
    d = date(year, month, day)
    return d, d, "day", "explicit"


# (On the folded text.)
_PRONOUN_BEFORE = re.compile(r"\b(?:he|she|it|they|we|you|i|who)\s*$")


def _r_day_month(m: re.Match, ctx: _Ctx) -> Resolved | None:
    """'Oct. 17', '17 October', 'Tuesday, Oct. 17' (year from publication)."""
    if not _capitalised(m["month"]):
        return None
    month, day = _month_number(m["month"]), _day_number(m["day"])
    if (
        m["month"].lower() in ("may", "march")
        and m.group().lower().startswith(("may", "march"))
        and not m["weekday"]
        and _PRONOUN_BEFORE.search(ctx.folded_before(m.start()))
    ):
        return None  # "they may 2 ..." is not a date
    weekday = _weekday_number(m["weekday"]) if m["weekday"] else None
    year = _resolve_year_for(ctx, month, day, m.span(), weekday)
    if year is None:
        return _UNKNOWN_REL
    if not _valid_day(year, month, day):
        return None
    d = date(year, month, day)
    # "Monday, Oct. 23": the weekday pins the year, so the words name the date.
    return d, d, "day", "explicit" if weekday == d.weekday() else "relative"


def _r_iso(m: re.Match, ctx: _Ctx) -> Resolved | None:
    """'2017-10-17'."""
    try:
        d = date(int(m["year"]), int(m["mm"]), int(m["dd"]))
    except ValueError:
        return None
    return d, d, "day", "explicit"


def _r_month_year(m: re.Match, ctx: _Ctx) -> Resolved | None:
    """'July 2017', 'early July 2017', 'the end of June 2014'."""
    if not _capitalised(m["month"]):
        return None
    year, month = int(m["year"]), _month_number(m["month"])
    if m["part"]:
        start, end = _part_of_month(year, month, _part_word(m["part"]))
        return start, end, "part", "explicit"
    start, end = _month_iv(year, month)
    return start, end, "month", "explicit"


def _part_word(token: str) -> str:
    """'the end of' -> 'late'."""
    token = token.lower()
    if "beginning" in token or "start" in token or "early" in token:
        return "early"
    if "mid" in token:
        return "mid"
    return "late"


# Words before a bare month name that make it a date ("in May", "since March"); on the folded text.
_BARE_MONTH_CUE = re.compile(
    r"\b(?:in|since|until|till|by|from|to|through|during|of|before|after|between|and|or"
    r"|early|mid|late|around|last|this|next|past|each|every|that|throughout|starting|beginning"
    r"|ending|for)\W*$"
)


def _r_month_rel(m: re.Match, ctx: _Ctx) -> Resolved | None:
    """'last November', 'this May', 'in June', 'early June', 'June last year'."""
    token = m["month"]
    if not _capitalised(token):
        return None
    month = _month_number(token)
    which = (m["which"] or "").lower()
    if not which and not m["part"] and not m["yref"]:
        cue = _BARE_MONTH_CUE.search(ctx.folded_before(m.start(), 20))
        if token.lower() in ("may", "march") and not cue:
            return None  # the verbs, or a name ("March" of protest)
        if len(token) <= 4 and token.lower() not in ("may", "june", "july"):
            return None  # a bare abbreviation without a day is a name more often ("Jan Kavan")
        if re.match(r"\s*\d", ctx.text[m.end() : m.end() + 3]):
            return None  # "June 2" is the day rule's; "May 40" is not a date
    pub = ctx.published
    if pub is None:
        return _UNKNOWN_REL
    yref = (m["yref"] or "").lower()
    if yref:
        year = pub.year + (-1 if "last" in yref or "past" in yref else 1 if "next" in yref else 0)
    elif "next" in which or "coming" in which:
        year = pub.year if month > pub.month else pub.year + 1
    elif which in ("last", "past", "this past"):
        year = pub.year if month < pub.month else pub.year - 1
    elif which == "this":
        year = pub.year
    else:
        year = _resolve_year_for(ctx, month, None, m.span())
    if m["part"]:
        part = _part_word(m["part"])
        start, end = _part_of_month(year, month, part)
        if start > pub and not which and not yref and not ctx.forward(*m.span()):
            start, end = _part_of_month(year - 1, month, part)  # "late October" said on the 17th
        return start, end, "part", "relative"
    start, end = _month_iv(year, month)
    return start, end, "month", "relative"


def _r_year(m: re.Match, ctx: _Ctx) -> Resolved | None:
    """A bare year in a date-like context: '2014', 'fiscal 1998'."""
    year_text = m["year"]
    before = ctx.folded_before(m.start(), 30)
    after = ctx.text[m.end() : m.end() + 30]
    if _NOT_YEAR_AFTER.match(after):
        return None
    year_cue = _YEAR_BEFORE.search(before) or m.group()[:1].lower() == "f"
    if _COUNT_BEFORE.search(before) and not year_cue:
        return None
    plural = _PLURAL_AFTER.match(after)
    if plural and plural.group(1) not in _NOT_PLURAL and not year_cue:
        return None
    start, end = _year_iv(int(year_text))
    return start, end, "year", "explicit"


def _r_decade(m: re.Match, ctx: _Ctx) -> Resolved | None:
    """'the 1990s' -> 1990-1999; 'the early 1990s' -> 1990-1993 (part)."""
    first = int(m["decade"])
    if first % 10:
        return None
    if m["part"]:
        part = _part_word(m["part"])
        lo, hi = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}[part]
        return date(first + lo, 1, 1), date(first + hi, 12, 31), "part", "explicit"
    return date(first, 1, 1), date(first + 9, 12, 31), "range", "explicit"


def _r_part_year(m: re.Match, ctx: _Ctx) -> Resolved | None:
    """'early 2014', 'mid-2016', 'the end of 2014'."""
    start, end = _part_of_year(int(m["year"]), _part_word(m["part"]))
    return start, end, "part", "explicit"


def _year_of_ref(ref: str, pub: date | None) -> int | None:
    """'2014' / 'this year' / 'last year' / 'next year' -> a year (None if unresolvable)."""
    ref = ref.lower()
    digits = re.search(r"\d{4}", ref)
    if digits:
        return int(digits.group())
    if pub is None:
        return None
    if "last" in ref or "past" in ref or "previous" in ref or "ago" in ref or "earlier" in ref:
        return pub.year - 1
    if "next" in ref:
        return pub.year + 1
    return pub.year


def _r_quarter(m: re.Match, ctx: _Ctx) -> Resolved | None:
    """'the third quarter (of 2014)', 'Q3 2014', 'this year's second quarter'."""
    quarter = _ORDINALS.get((m["ord"] or "").lower()) or int(m["qn"] or 0)
    if not quarter or ctx.text[m.end() : m.end() + 1] == "-":
        return None
    ref = m["yref"] or m["yref2"] or m["yref3"] or ""
    pub = ctx.published
    if ref and "year-" in ref.lower():
        ref = "last year"
    if ref:
        year = _year_of_ref(ref, pub)
        basis = "explicit" if re.search(r"\d{4}", ref) else "relative"
    elif pub is not None:
        # A quarter named alone is this year's, unless it has not begun yet.
        year = pub.year if _quarter_iv(pub.year, quarter)[0] <= pub else pub.year - 1
        basis = "relative"
    else:
        year = None
        basis = "relative"
    if year is None:
        return _UNKNOWN_REL
    start, end = _quarter_iv(year, quarter)
    return start, end, "quarter", basis


def _r_quarter_rel(m: re.Match, ctx: _Ctx) -> Resolved | None:
    """'the latest quarter' (the last one completed), 'the current quarter', 'the year-ago quarter'."""
    if ctx.text[m.end() : m.end() + 1] == "-":
        return None  # "quarter-century", "quarter-to-quarter"
    pub = ctx.published
    if pub is None:
        return _UNKNOWN_REL
    which = m["which"].lower()
    current = (pub.month - 1) // 3 + 1
    year, quarter = pub.year, current
    if not any(w in which for w in ("current", "this")):
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    if any(w in which for w in ("year-ago", "year-earlier", "year ago", "year earlier")):
        year -= 1
    start, end = _quarter_iv(year, quarter)
    return start, end, "quarter", "relative"


def _r_half(m: re.Match, ctx: _Ctx) -> Resolved | None:
    """'the first half of 2017', 'the second half of this year'."""
    half = 1 if m["ord"].lower() in ("first", "1st", "early") else 2
    ref = m["yref"] or ""
    pub = ctx.published
    if ref:
        year = _year_of_ref(ref, pub)
    elif pub is not None:
        year = pub.year if _half_iv(pub.year, half)[0] <= pub else pub.year - 1
    else:
        year = None
    if year is None:
        return _UNKNOWN_REL
    start, end = _half_iv(year, half)
    return start, end, "half", "explicit" if re.search(r"\d{4}", ref) else "relative"


# Words before a bare season that make it a date ("in the spring"); on the folded text.
_SEASON_CUE = re.compile(
    r"\b(?:in|during|over|since|until|by|through|throughout|this|last|next"
    r"|that|early|late|of|before|after|the)\s+(?:the\s+)?$"
)


def _r_season(m: re.Match, ctx: _Ctx) -> Resolved | None:
    """'last summer', 'winter 2016', 'the summer of 2014', 'in the spring'."""
    season = _SEASONS[m["season"].lower()]
    which = (m["which"] or "").lower()
    ref = m["yref"] or ""
    pub = ctx.published
    if not which and not ref and not m["part"]:
        if not _SEASON_CUE.search(ctx.folded_before(m.start(), 20)):
            return None
    if ref:
        year = _year_of_ref(ref, pub)
        basis = "explicit" if re.search(r"\d{4}", ref) else "relative"
        if year is not None and season == "WI" and (m["y2"] or not re.search(r"\d{4}", ref)):
            year += 1  # "winter of 2016-17" / "winter of last year" end in the year after
    elif pub is None:
        return _UNKNOWN_REL
    else:
        basis = "relative"
        # This calendar year's season (December belongs to the next year's winter).
        year = pub.year + (1 if season == "WI" and pub.month == 12 else 0)
        start = _season_iv(year, season)[0]
        if "next" in which or "coming" in which:
            year += start <= pub
        elif which in ("last", "past", "this past"):
            # The latest such season before the current one: "last summer" said in July is 2016's.
            year -= start > pub or (year, season) == _season_of(pub)
        elif which != "this" and start > pub and not ctx.forward(m.start(), m.end()):
            year -= 1  # past-biased: "in the summer" said in February is last year's
    if year is None:
        return _UNKNOWN_REL
    start, end = _season_iv(year, season)
    if m["part"]:
        # early / mid / late = the season's first / second / third month.
        first = _add_months(start, {"early": 0, "mid": 1, "late": 2}[_part_word(m["part"])])
        if pub is not None and first > pub and not which and not ref and not ctx.forward(m.start(), m.end()):
            first = _add_months(first, -12)  # "late summer" said in July is last year's
        return first, _month_end(first.year, first.month), "part", basis
    return start, end, "season", basis


def _r_weekday(m: re.Match, ctx: _Ctx) -> Resolved | None:
    """'Tuesday', 'on Tuesday afternoon', 'last Tuesday', 'next Friday', 'late Sunday'."""
    token = m["weekday"]
    if not _capitalised(token):
        return None
    if _WEEKDAY_NAME_NEXT.match(ctx.text, m.end()) or _WEEKDAY_NAME_PREV.search(ctx.before(m.start(), 12)):
        return None
    pub = ctx.published
    if pub is None:
        return _UNKNOWN_REL
    wd = _weekday_number(token)
    which = (m["which"] or "").lower()
    back = (pub.weekday() - wd) % 7
    ahead = (wd - pub.weekday()) % 7
    if "next" in which or "coming" in which:
        d = pub + timedelta(days=ahead or 7)
    elif which in ("last", "past", "this past", "previous"):
        d = pub - timedelta(days=back or 7)
    elif ahead and not m.group().lower().endswith("'s") and ctx.forward(*m.span()):
        d = pub + timedelta(days=ahead)
    else:
        d = pub - timedelta(days=back)
    return d, d, "day", "relative"


def _r_deictic(m: re.Match, ctx: _Ctx) -> Resolved | None:
    """'yesterday', 'today', 'tonight', 'this morning', 'last night', 'tomorrow'."""
    pub = ctx.published
    if pub is None:
        return _UNKNOWN_REL
    word = m.group().lower()
    if "day before yesterday" in word:
        offset = -2
    elif "day after tomorrow" in word:
        offset = 2
    elif "yesterday" in word or "last night" in word:
        offset = -1
    elif "tomorrow" in word:
        offset = 1
    else:
        offset = 0
    d = pub + timedelta(days=offset)
    return d, d, "day", "relative"


def _r_this_period(m: re.Match, ctx: _Ctx) -> Resolved | None:
    """'last week', 'this month', 'next year', 'earlier this month', 'early next year'."""
    pub = ctx.published
    if pub is None:
        return _UNKNOWN_REL
    which = m["which"].lower()
    unit = m["unit"].lower()
    if m["unit"][:1].isupper() and m["which"][:1].isupper() and m.start() > 0 and ctx.text[m.start() - 1] in "\"'“‘":
        return None  # a quoted title ("This Week")
    step = -1 if which in ("last", "past", "previous") else 1 if which in ("next", "coming") else 0
    if unit == "week":
        anchor = pub + timedelta(weeks=step)
        (start, end), precision = _week_iv(anchor), "week"
    elif unit == "weekend":
        saturday = pub - timedelta(days=(pub.weekday() - 5) % 7)
        if step > 0:
            saturday += timedelta(days=7)
        elif step < 0 and pub.weekday() >= 5:
            saturday -= timedelta(days=7)
        return saturday, saturday + timedelta(days=1), "range", "relative"
    elif unit == "month":
        anchor = _add_months(pub, step)
        (start, end), precision = _month_iv(anchor.year, anchor.month), "month"
    elif unit == "quarter":
        index = pub.year * 4 + (pub.month - 1) // 3 + step
        (start, end), precision = _quarter_iv(index // 4, index % 4 + 1), "quarter"
    else:
        (start, end), precision = _year_iv(pub.year + step), "year"
    mod = (m["mod"] or "").lower()
    if mod in ("earlier", "so far"):
        return start, min(end, pub), "range", "relative"
    if mod == "later":
        return max(start, pub), end, "range", "relative"
    if mod:
        part = _part_word(mod)
        if unit == "month":
            start, end = _part_of_month(start.year, start.month, part)
        elif unit == "year":
            start, end = _part_of_year(start.year, part)
        elif unit == "week":
            start, end = _part_of_week(start, part)
        else:
            return start, end, precision, "relative"
        return start, end, "part", "relative"
    return start, end, precision, "relative"


def _r_the_period(m: re.Match, ctx: _Ctx) -> Resolved | None:
    """'the end of the year', 'the beginning of the month', 'year-end' (the current period)."""
    pub = ctx.published
    if pub is None:
        return _UNKNOWN_REL
    part = _part_word(m["part"] or "end")
    monthly = m["unit"].lower() == "month"
    start, end = _part_of_month(pub.year, pub.month, part) if monthly else _part_of_year(pub.year, part)
    if start > pub and not ctx.forward(m.start(), m.end()):
        # "at the end of the month" in a report of the 10th is last month's end.
        if monthly:
            before = _add_months(pub.replace(day=1), -1)
            start, end = _part_of_month(before.year, before.month, part)
        else:
            start, end = _part_of_year(pub.year - 1, part)
    return start, end, "part", "relative"


def _r_the_year(m: re.Match, ctx: _Ctx) -> Resolved | None:
    """'the full year', 'the current fiscal year' (this year); 'year-earlier' (last year)."""
    pub = ctx.published
    if pub is None:
        return _UNKNOWN_REL
    start, end = _year_iv(pub.year - (1 if "ago" in m.re.groupindex and m["ago"] else 0))
    return start, end, "year", "relative"


def _r_week_of(m: re.Match, ctx: _Ctx) -> Resolved | None:
    """'the week of March 6': the ISO week of that day."""
    if not _capitalised(m["month"]):
        return None
    month, day = _month_number(m["month"]), _day_number(m["day"])
    if m["year"]:
        year, basis = int(m["year"]), "explicit"
    else:
        year, basis = _resolve_year_for(ctx, month, day, m.span()), "relative"
    if year is None:
        return _UNKNOWN_REL
    if not _valid_day(year, month, day):
        return None
    start, end = _week_iv(date(year, month, day))
    return start, end, "week", basis


def _r_ago(m: re.Match, ctx: _Ctx) -> Resolved | None:
    """'two weeks ago', 'a year earlier', 'more than 24 hours after', 'three days before'."""
    amount = _number(m["num"])
    if amount is None:
        return None
    unit = _unit(m["unit"])
    if unit == "hour" and amount < 24 and m["dir"].lower() != "ago":
        amount = 0
    pub = ctx.published
    if pub is None:
        return _UNKNOWN_REL
    if amount == 0 and unit != "hour":
        return None
    d = _shift(pub, -amount, unit)
    if m.group(0).lower().startswith("more than") and m["dir"].lower() in ("ago", "earlier", "before"):
        # "more than a week ago": before the week's start, up to as long again before it
        return _shift(pub, -2 * amount, unit), _unit_iv(d, unit)[0][0], "range", "relative"
    (start, end), precision = _unit_iv(d, unit)
    return start, end, precision, "relative"


def _r_day_before(m: re.Match, ctx: _Ctx) -> Resolved | None:
    """'the day before', 'the previous day', 'the night before' -> the day before publication."""
    if re.match(r"\s+\w+ing\b", ctx.text[m.end() : m.end() + 30]):
        return None  # "the day before returning": a preposition before an act, not a date
    pub = ctx.published
    if pub is None:
        return _UNKNOWN_REL
    d = pub - timedelta(days=1)
    return d, d, "day", "relative"


def _r_past_span(m: re.Match, ctx: _Ctx) -> Resolved | None:
    """'the past year', 'the past two years', 'the last three months': a range ending today."""
    pub = ctx.published
    if pub is None:
        return _UNKNOWN_REL
    amount = _number(m["num"]) if m["num"] else 1
    if not amount:
        return None
    return _shift(pub, -amount, _unit(m["unit"])), pub, "range", "relative"


def _r_duration_noun(m: re.Match, ctx: _Ctx) -> Resolved | None:
    """'a nine-month offensive', "the IRA's 8-month-old truce": it has lasted that long until now."""
    amount = _number(m["num"])
    if not amount:
        return None
    pub = ctx.published
    if pub is None:
        return _UNKNOWN_REL
    return _shift(pub, -amount, _unit(m["unit"])), pub, "range", "relative"


_HOLIDAYS = {
    "christmas eve": (12, 24),
    "christmas": (12, 25),
    "christmas day": (12, 25),
    "new year's eve": (12, 31),
    "new year's day": (1, 1),
    "independence day": (7, 4),
    "halloween": (10, 31),
    "valentine's day": (2, 14),
    "boxing day": (12, 26),
    "veterans day": (11, 11),
    "armistice day": (11, 11),
    "bastille day": (7, 14),
}


def _easter(year: int) -> date:
    """Western Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th given weekday of a month."""
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _holiday(name: str, year: int) -> tuple[date, date, str]:
    """A holiday's days in a year."""
    name = re.sub(r"\s+", " ", name.lower().replace("’", "'"))
    if name.startswith("thanksgiving"):
        d = _nth_weekday(year, 11, 3, 4)
    elif name == "election day":
        d = _nth_weekday(year, 11, 0, 1) + timedelta(days=1)
    elif name.startswith("easter"):
        d = _easter(year)
        if name.endswith("week"):
            start, end = _week_iv(d)
            return start, end, "week"
    elif name == "good friday":
        d = _easter(year) - timedelta(days=2)
    else:
        d = date(year, *_HOLIDAYS[name])
    return d, d, "day"


def _r_holiday(m: re.Match, ctx: _Ctx) -> Resolved | None:
    """'Christmas', 'last Thanksgiving', 'Easter 2016': the latest one not after publication."""
    name = m["holiday"]
    if not _capitalised(name):
        return None
    if m["year"]:
        return (*_holiday(name, int(m["year"])), "explicit")
    pub = ctx.published
    if pub is None:
        return _UNKNOWN_REL
    which = (m["which"] or "").lower()
    year = pub.year
    if "next" in which or "coming" in which or (not which and ctx.forward(*m.span())):
        if _holiday(name, year)[0] < pub:
            year += 1
    else:
        if _holiday(name, year)[0] > pub or (which == "last" and _holiday(name, year)[0] == pub):
            year -= 1
    return (*_holiday(name, year), "relative")


_SPELLED_YEAR_TENS = (
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
)
_SPELLED_TEENS = r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"


def _r_spelled_year(m: re.Match, ctx: _Ctx) -> Resolved | None:
    """'nineteen ninety-six', 'the year two thousand' (broadcast transcripts)."""
    words = m["spelled"].lower().replace("-", " ").split()
    if words[0] == "nineteen":
        rest = " ".join(words[1:])
        value = _number(rest.replace(" ", "-")) if rest else None
        if value is None:
            value = _number(rest)
        if value is None:
            return None
        year = 1900 + value
    else:
        rest = [w for w in words[2:] if w != "and"]
        value = _number("-".join(rest)) if rest else 0
        if value is None:
            return None
        year = 2000 + value
    start, end = _year_iv(year)
    return start, end, "year", "explicit"


# ----------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class _Rule:
    """A pattern (`source`, matched case-insensitively: `pattern`), the resolver that turns its
    matches into intervals, and why it exists.

    `need` is a prefilter: something the folded text (`fold_for_prefilter`) has in every match of
    `pattern` (a word the rule cannot match without): a case-sensitive pattern (`_NeedPattern`) or,
    found far faster for all rules at once, one of a few whole words (`_NeedWords`). Running the full
    pattern over an article costs far more than this search, and most rules need a word most
    articles lack ("quarter", "ago", "Christmas"). None: always run the pattern.

    `folded` is what `find_dates` runs: `source` without IGNORECASE, over the folded text. It matches
    exactly where `pattern` matches the text (same offsets), because the source's letters are lower
    case and folding maps every character IGNORECASE equates with a letter to that letter. The engine
    runs it several times faster: a case-sensitive alternation skips branches whose first letter
    differs. (`pattern` is compiled only when asked for, to keep `python -m data dates` quick.)

    `words_before`: when set, every match has a place where `need` matches at most that many words
    after the match's start (a word cut by that place counts), so the rule is tried only at those
    few word starts (see `_Anchors.starts_before`) instead of at every word of the text.
    """

    name: str
    source: str
    resolve: Callable[[re.Match, _Ctx], Resolved | None]
    need: _NeedPattern | _NeedWords | None = None
    words_before: int | None = None
    folded: re.Pattern = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Upper-case letters (outside escapes and group syntax) would never match the folded text.
        letters = re.sub(r"\\[A-Za-z]|\(\?P[<=]\w+>?", "", self.source)
        if letters != letters.lower():
            raise ValueError(f"date rule {self.name!r}: write its pattern in lower case")
        object.__setattr__(self, "folded", re.compile(self.source))

    @cached_property
    def pattern(self) -> re.Pattern:
        return re.compile(self.source, re.I)


class _FoldedMatch:
    """A match of a rule's `folded` pattern, read like a match of its `pattern` on the original
    text: same offsets (folding keeps the length), groups taken from the original text."""

    __slots__ = ("_match", "_text")

    def __init__(self, match: re.Match, text: str) -> None:
        self._match = match
        self._text = text

    def __getitem__(self, group: int | str) -> str | None:
        start, end = self._match.span(group)
        return None if start < 0 else self._text[start:end]

    def group(self, group: int | str = 0) -> str | None:
        return self[group]

    def start(self, group: int | str = 0) -> int:
        return self._match.start(group)

    def end(self, group: int | str = 0) -> int:
        return self._match.end(group)

    def span(self, group: int | str = 0) -> tuple[int, int]:
        return self._match.span(group)

    @property
    def re(self) -> re.Pattern:
        return self._match.re


def _rx(pattern: str) -> str:
    """A rule's source: whole words (and case-insensitive, see `_Rule`)."""
    return _WB + pattern + _WE


class _NeedPattern:
    """A prefilter that is a regex, or any of a few, searched for in the folded text (a regex that
    starts with a literal string is searched for far faster than an alternation of such regexes);
    `then`: a pattern that must also match where one does (as for `_NeedWords`)."""

    def __init__(self, *patterns: str, then: str | None = None) -> None:
        self.patterns = tuple(map(re.compile, patterns))
        self.then = re.compile(then) if then else None

    def search(self, folded: str) -> bool:
        return bool(self.starts(folded))

    def starts(self, folded: str) -> list[int]:
        """Every position where one matches (overlapping matches too), for `_Rule.words_before`."""
        anchors = _anchors(folded)
        if len(self.patterns) == 1:
            return _where_then(self.then, folded, anchors.matches(self.patterns[0]))
        starts = sorted({at for pattern in self.patterns for at in anchors.matches(pattern)})
        return _where_then(self.then, folded, starts)


class _NeedWords:
    """A prefilter that is one of a few whole words (starting a word, before no letter), and then
    `then` if given: a pattern that must match where the word starts. The words of all the rules
    are found by one scan of the text (`_anchor_scan`), not one scan per rule."""

    def __init__(self, *words: str, then: str | None = None) -> None:
        self.words = words
        self.then = re.compile(then) if then else None

    def search(self, folded: str) -> bool:
        return bool(self.starts(folded))

    def starts(self, folded: str) -> list[int]:
        return _where_then(self.then, folded, _anchors(folded).words(self.words))


def _where_then(then: re.Pattern | None, folded: str, starts: list[int]) -> list[int]:
    """The starts where `then` matches too (all of them without a `then`)."""
    return starts if then is None else [at for at in starts if then.match(folded, at)]


@cache
def _anchor_scan() -> tuple[re.Pattern, re.Pattern]:
    """A pattern matching a word of some rule's `_NeedWords` (before no letter), and one finding such
    a word (group 1) after a character other than a-z and 0-9: a pattern that starts with a
    character class lets the engine skip to the next such character, where one that starts with
    a look-behind ("no word character before") is tried at every position."""
    words = {word for rule in _RULES if isinstance(rule.need, _NeedWords) for word in rule.need.words}
    word = one_of(sorted(words, key=lambda w: (-len(w), w))) + r"(?![a-z])"
    return re.compile(word), re.compile(rf"[^a-z0-9](?=({word}))")


# A word and the gap after it, read backwards: matched on the reversed text.
_WORD_BEFORE = re.compile(r"[\s,.\-]*(\w+)")


class _Anchors:
    """What the rules' prefilters find in one article's folded text, each found once however many
    rules ask: one scan for the words of all the rules, one search per pattern, and one walk back
    over the words before each anchor (`starts_before`)."""

    def __init__(self, folded: str) -> None:
        self.folded = folded
        self._by_word: dict[str, list[int]] | None = None
        self._by_words: dict[tuple[str, ...], list[int]] = {}
        self._by_pattern: dict[re.Pattern, list[int]] = {}
        self._reverse = ""
        self._before: dict[int, list[int]] = {}

    def words(self, words: tuple[str, ...]) -> list[int]:
        """Where one of the words starts a word and ends before a letter, in order."""
        found = self._by_words.get(words)
        if found is None:
            if self._by_word is None:
                self._by_word = self._find_words()
            found = self._by_words[words] = sorted(at for word in words for at in self._by_word.get(word, ()))
        return found

    def _find_words(self) -> dict[str, list[int]]:
        """Where each word of the rules starts a word and ends before a letter (of two words at one
        place, such as "jan" and "jan.", one: the rules that ask for one ask for both)."""
        word, after = _anchor_scan()
        found = {match.group(): [0]} if (match := word.match(self.folded)) else {}
        for match in after.finditer(self.folded):
            at = match.start(1)
            if not is_word_char(self.folded[at - 1]):  # (not after a letter beyond a-z, or "_")
                found.setdefault(match.group(1), []).append(at)
        return found

    def matches(self, pattern: re.Pattern) -> list[int]:
        """Where the pattern matches, overlapping matches too, in order."""
        found = self._by_pattern.get(pattern)
        if found is None:
            found = self._by_pattern[pattern] = []
            match = pattern.search(self.folded)
            while match:
                found.append(match.start())
                match = pattern.search(self.folded, match.start() + 1)
        return found

    def starts_before(self, anchors: Sequence[int], words: int) -> list[int]:
        """Each anchor and the starts of the `words` words before it, sorted. The words of a match
        before its anchor are whole words ("this coming", "the end of", "Tuesday, the 17th of") with
        only spaces, hyphens, commas and dots between them, so walking back over `words` such words
        from each anchor passes every position where a match can start."""
        if not self._reverse:
            self._reverse = self.folded[::-1]
        length = len(self.folded)
        starts = set()
        for at in anchors:
            # The anchor, then the starts of the words before it as far as walked (-1: no more).
            walked = self._before.setdefault(at, [at])
            while len(walked) <= words and walked[-1] >= 0:
                word = _WORD_BEFORE.match(self._reverse, length - walked[-1])
                walked.append(length - word.end() if word else -1)
            starts.update(walked[: words + 1])
        starts.discard(-1)
        return sorted(starts)


@lru_cache(maxsize=4)
def _anchors(folded: str) -> _Anchors:
    """The `_Anchors` of a folded article text, which every rule asks."""
    return _Anchors(folded)


_WEEKDAY_PREFIX = rf"(?:(?P<weekday>{_WEEKDAY_FULL})\.?,?\s+(?:the\s+)?)?"
_YEAR_REF = rf"(?:{_YEAR}|this year|last year|next year|the (?:past|previous|current) year|a year (?:ago|earlier))"

# Prefilter pieces (lower case): a month name's first three letters, a whole month name or
# abbreviation, a year, a weekday name or abbreviation.
_NEED_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
_NEED_MONTH_WORD = _NEED_MONTH + r"[a-z]*\.?"
_NEED_YEAR = r"(?:19|20)[0-9]{2}"
_WEEKDAY_TOKENS = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "tues.",
    "thurs.",
    "mon.",
    "wed.",
    "fri.",
    "sat.",
    "sun.",
)
# Every spelling `_MONTH` matches (a test checks), as whole words for the month rules' prefilter.
_MONTH_WORDS = (
    "january",
    "jan",
    "jan.",
    "february",
    "feb",
    "feb.",
    "march",
    "mar",
    "mar.",
    "april",
    "apr",
    "apr.",
    "may",
    "june",
    "jun",
    "jun.",
    "july",
    "jul",
    "jul.",
    "august",
    "aug",
    "aug.",
    "september",
    "sept",
    "sept.",
    "sep",
    "sep.",
    "october",
    "oct",
    "oct.",
    "november",
    "nov",
    "nov.",
    "december",
    "dec",
    "dec.",
)
_MONTH_NEED = _NeedWords(*_MONTH_WORDS)
_UNIT_WORDS = tuple(unit + plural for unit in _UNITS for plural in ("", "s"))
# Where a year may be, in a word or not ("fy2014", "mid2014").
_YEAR_DIGITS = ("19[0-9]{2}", "20[0-9]{2}")  # (_NEED_YEAR, as literal starts)
_YEAR_NEED = _NeedPattern(*_YEAR_DIGITS)
# The tails of the "ago" and "duration_noun" rules, shared with their prefilters: the number words
# in front of them make those two rules the costliest to try at every word.
_AGO_TAIL = rf"(?P<unit>{_UNIT})(?:\s+or\s+so)?\s+(?P<dir>ago|earlier|before|after|prior)"
_DURATION_TAIL = (
    r"(?P<unit>day|week|month|year)"
    r"(?:-long|-old)?\s+(?:(?:military|air|ground|government|rebel|bombing|aerial|brutal"
    r"|bloody|grueling|gruelling|u\.s\.-backed|us-backed|\w+-led|civil)\s+)*"
    r"(?:offensive|battle|siege|campaign|war|conflict|operation|fight|fighting|assault"
    r"|standoff|stand-off|occupation|blockade|truce|cease-?fire|insurgency|struggle|uprising"
    r"|crisis|revolt|rebellion|stalemate|manhunt|hunger strike|bombardment|onslaught"
    r"|push|drive|advance|incursion|invasion|rule|reign|captivity|detention|ordeal)"
)

_RULES: tuple[_Rule, ...] = (
    # Full dates, both orders; a weekday in front belongs to the mention.
    _Rule(
        "day_month_year",
        _rx(rf"{_WEEKDAY_PREFIX}(?P<day>{_DAY})\s+(?:of\s+)?(?P<month>{_MONTH}),?\s+(?P<year>{_YEAR})"),
        _r_day_month_year,
        _NeedWords(*_MONTH_WORDS, then=rf"{_NEED_MONTH_WORD},?\s+{_NEED_YEAR}"),
        4,
    ),
    _Rule(
        "month_day_year",
        _rx(rf"{_WEEKDAY_PREFIX}(?P<month>{_MONTH})\s*(?P<day>{_DAY}),?\s+(?P<year>{_YEAR})"),
        _r_day_month_year,
        _NeedWords(*_MONTH_WORDS, then=rf"{_NEED_MONTH_WORD}\s*[0-9]{{1,2}}(?:st|nd|rd|th)?,?\s+{_NEED_YEAR}"),
        2,
    ),
    _Rule(
        "iso",
        r"(?<![\d-])(?P<year>(?:19|20)\d\d)-(?P<mm>[01]\d)-(?P<dd>[0-3]\d)(?![\d-])",
        _r_iso,
        _NeedPattern(r"-[01]\d-"),
    ),
    # Day and month without a year: "Oct. 17", "17 October", "Tuesday, Oct. 17".
    _Rule(
        "month_day",
        _rx(rf"{_WEEKDAY_PREFIX}(?P<month>{_MONTH})\s*(?P<day>{_DAY})(?!\d|:\d|,\d|\.\d)"),
        _r_day_month,
        _NeedWords(*_MONTH_WORDS, then=rf"{_NEED_MONTH_WORD}\s*[0-9]"),
        2,
    ),
    _Rule(
        "day_month",
        _rx(rf"{_WEEKDAY_PREFIX}(?P<day>{_DAY})\s+(?:of\s+)?(?P<month>{_MONTH})"),
        _r_day_month,
        _MONTH_NEED,
        4,
    ),
    # Month and year, optionally a part of it: "July 2017", "the end of June 2014".
    _Rule(
        "month_year",
        _rx(rf"(?:(?P<part>{_PART})[\s-]+)?(?P<month>{_MONTH}),?\s+(?:of\s+)?(?P<year>{_YEAR})(?![\d,]\d)"),
        _r_month_year,
        _NeedWords(*_MONTH_WORDS, then=rf"{_NEED_MONTH_WORD},?\s+(?:of\s+)?{_NEED_YEAR}"),
        4,
    ),
    # A month without a year: "last November", "in June", "mid-June", "June last year".
    _Rule(
        "month_rel",
        _rx(
            rf"(?:(?P<which>last|this|next|this past|this coming|past)\s+)?"
            rf"(?:(?P<part>{_PART})[\s-]+)?(?P<month>{_MONTH})"
            rf"(?:,?\s+(?:of\s+)?(?P<yref>this year|last year|next year))?"
        ),
        _r_month_rel,
        _MONTH_NEED,
        6,
    ),
    # Years.
    _Rule(
        "year",
        _rx(rf"(?:fiscal(?:\s+year)?\s+|fy\s?)?(?P<year>{_YEAR})(?![\d,]\d|\.\d|:\d|[\w%])"),
        _r_year,
        _YEAR_NEED,
        2,
    ),
    _Rule(
        "decade",
        _rx(r"(?:the\s+)?(?:(?P<part>early|mid|late)[\s-]+)?(?P<decade>(?:19|20)\d0)'?s"),
        _r_decade,
        _NeedPattern(*_YEAR_DIGITS, then=r"(?:19|20)\d0'?s"),
        2,
    ),
    _Rule("part_year", _rx(rf"(?P<part>{_PART})[\s-]*(?P<year>{_YEAR})(?![\d,]\d)"), _r_part_year, _YEAR_NEED, 4),
    # Quarters and halves.
    _Rule(
        "quarter",
        _rx(
            rf"(?:(?P<yref>{_YEAR_REF})'s\s+)?(?:the\s+|its\s+|a\s+)?"
            rf"(?:(?P<yref3>{_YEAR}|year-ago|year-earlier|comparable year-ago|comparable year-earlier)\s+)?"
            rf"(?:(?:fiscal|calendar)[\s-]+)?"
            rf"(?:(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+(?:fiscal[\s-]+)?quarter|q(?P<qn>[1-4]))"
            rf"(?:,?\s+(?:of\s+)?(?:fiscal\s+)?(?P<yref2>{_YEAR_REF}))?"
        ),
        _r_quarter,
        _NeedWords("quarter", "q1", "q2", "q3", "q4"),
    ),
    _Rule(
        "quarter_rel",
        _rx(
            r"(?P<which>the (?:comparable |same )?quarter a year (?:ago|earlier)"
            r"|(?:the|its|this|that)\s+(?:(?:latest|last|most recent|recent|past|previous|current"
            r"|comparable|same|year-ago|year-earlier|year ago|year earlier)\s+)*(?:fiscal\s+)?quarter"
            r"|(?:the\s+)?(?:comparable\s+)?year-(?:ago|earlier)\s+(?:quarter|period))"
        ),
        _r_quarter_rel,
        _NeedWords("quarter", "period"),
    ),
    _Rule(
        "half",
        _rx(
            rf"(?:the\s+)?(?P<ord>first|second|1st|2nd|last|latter)\s+half"
            rf"(?:\s+of\s+(?:the\s+year\s+)?(?:fiscal\s+)?(?P<yref>{_YEAR_REF}))?"
        ),
        _r_half,
        _NeedWords("half"),
        2,
    ),
    # Seasons: "last summer", "winter 2016", "the summer of 2014", "in the spring".
    _Rule(
        "season",
        _rx(
            rf"(?:(?P<which>last|this|next|this past|this coming|past|coming)\s+)?"
            rf"(?:(?P<part>early|late|mid|the (?:beginning|start|middle|end) of)[\s-]+(?:the\s+)?)?"
            rf"(?P<season>{_SEASON})(?:\s+(?:of\s+)?(?P<yref>{_YEAR}|this year|last year|next year)"
            rf"(?:[-/–](?P<y2>\d{{2}}|{_YEAR})(?!\d))?)?"
        ),
        _r_season,
        _NeedWords("spring", "summer", "fall", "autumn", "winter"),
        6,
    ),
    # Weekdays, with what may qualify them.
    _Rule(
        "weekday",
        _rx(
            rf"(?:(?P<which>last|this|next|this past|this coming|coming|past|previous|early|late|earlier|later)\s+)?"
            rf"(?P<weekday>{_WEEKDAY_FULL}|(?:tues|thurs|mon|wed|fri|sat|sun)\.)(?:'s)?(?:\s+{_DAYTIME})?"
        ),
        _r_weekday,
        _NeedWords(*_WEEKDAY_TOKENS),
        2,
    ),
    # Today and its neighbours.
    _Rule(
        "deictic",
        _rx(
            rf"(?:(?:late|early|earlier|later)\s+)?(?:the day (?:before yesterday|after tomorrow)"
            rf"|yesterday|today|tonight|tomorrow|last night|this {_DAYTIME})(?:'s)?(?:\s+{_DAYTIME})?"
        ),
        _r_deictic,
        _NeedWords("yesterday", "today", "tonight", "tomorrow", *_DAYTIME_WORDS),
        4,
    ),
    # Calendar periods around publication: "last week", "earlier this month", "early next year".
    _Rule(
        "this_period",
        _rx(
            r"(?:(?P<mod>earlier|later|early|late|the (?:beginning|start|middle|end) of|mid)[\s-]+)?"
            r"(?P<which>last|this|next|past|previous|coming|current)\s+(?P<unit>week|weekend|month|year|quarter)"
            r"(?P<so_far>\s+so far)?"
        ),
        _r_this_period,
        _NeedWords("week", "weekend", "month", "year", "quarter"),
        4,
    ),
    _Rule(
        "the_period",
        _rx(
            r"(?:(?P<part>the (?:beginning|start|middle|end) of)\s+the\s+(?P<unit>year|month)"
            r"|(?P<unit2>year)[-\s]end|(?:the\s+)?year's end)"
        ),
        lambda m, ctx: _r_the_period_any(m, ctx),
        _NeedWords("year", "month"),
        4,
    ),
    _Rule(
        "the_year",
        _rx(
            r"(?:the|its|this)\s+(?:(?:full|current|calendar|fiscal|whole|entire)[\s-]+)+year"
            r"|(?P<ago>year-(?:ago|earlier))"
        ),
        _r_the_year,
        _NeedWords(
            "full",
            "current",
            "calendar",
            "fiscal",
            "whole",
            "entire",
            "year",
            then=r"(?:full|current|calendar|fiscal|whole|entire)[\s-]+year|year-(?:ago|earlier)",
        ),
    ),
    # The look-behinds come after "the year", so the engine jumps to that literal text.
    _Rule(
        "the_year_prep",
        (
            r"the year(?:"
            + "|".join(rf"(?<=\b{w} the year)" for w in ("for", "in", "during", "through", "throughout", "over", "of"))
            + ")"
            r"(?!\s+(?:before|after|when|that|in which|earlier|later|ago|of|since|to)\b|-|\s+\d)"
        ),
        _r_the_year,
        _NeedPattern(r"the year"),
    ),
    _Rule(
        "week_of",
        _rx(rf"the week of (?P<month>{_MONTH})\s*(?P<day>{_DAY})(?:,?\s+(?P<year>{_YEAR}))?"),
        _r_week_of,
        _NeedWords("week"),
        1,
    ),
    _Rule(
        "the_weekend",
        _rx(r"(?:over|during|on|at)\s+the\s+weekend"),
        lambda m, ctx: _r_this_period(_FakeMatch(which="this", unit="weekend"), ctx),
        _NeedWords("weekend"),
        2,
    ),
    # Offsets from now or from an anchor moment: "two weeks ago", "more than 24 hours after".
    _Rule(
        "ago",
        _rx(rf"(?:{_APPROX}\s+)?(?P<num>{_NUM})[\s-]+{_AGO_TAIL}"),
        _r_ago,
        _NeedWords(*_UNIT_WORDS, then=_AGO_TAIL),
        7,
    ),
    _Rule(
        "day_before",
        _rx(
            r"the (?:day|night|evening) (?:before|earlier|after)(?!\s+(?:yesterday|tomorrow))"
            r"|the previous (?:day|night|evening)|a day earlier"
        ),
        _r_day_before,
        _NeedWords("day", "night", "evening"),
        2,
    ),
    # Spans ending at publication: "the past year", "the past two years", "the last six months".
    _Rule(
        "past_span",
        _rx(rf"the\s+(?:past|last|previous)\s+(?:(?P<num>{_NUM})\s+)?(?P<unit>{_UNIT})"),
        _r_past_span,
        _NeedWords(*_UNIT_WORDS),
        5,
    ),
    # Durations that bound a range ending now: "a nine-month offensive", "an 8-month-old truce".
    _Rule(
        "duration_noun",
        _rx(rf"(?:(?:a|an|the|its|their|his|her|this|that)\s+|(?<='s )|(?<=’s ))?(?P<num>{_NUM})[\s-]{_DURATION_TAIL}"),
        _r_duration_noun,
        _NeedWords("day", "week", "month", "year", then=_DURATION_TAIL),
        4,
    ),
    _Rule(
        "holiday",
        _rx(
            rf"(?:(?P<which>last|this|next|this past|this coming)\s+)?"
            r"(?P<holiday>christmas(?:\s+(?:eve|day))?|new year['’]s\s+(?:eve|day)|thanksgiving(?:\s+day)?"
            r"|easter(?:\s+(?:sunday|week))?|good friday|independence day|election day|halloween"
            r"|valentine['’]s day|boxing day|veterans day|armistice day|bastille day)"
            rf"(?:,?\s+(?P<year>{_YEAR}))?"
        ),
        _r_holiday,
        _NeedWords(
            "christmas",
            "new",
            "thanksgiving",
            "easter",
            "good",
            "independence",
            "election",
            "halloween",
            "valentine",
            "boxing",
            "veterans",
            "armistice",
            "bastille",
            then=r"christmas|new year|thanksgiving|easter|good friday|independence day|election day"
            r"|halloween|valentine|boxing day|veterans day|armistice day|bastille day",
        ),
        2,
    ),
    _Rule(
        "spelled_year",
        _rx(
            rf"(?:the year\s+)?(?P<spelled>nineteen[- ](?:{_SPELLED_YEAR_TENS}|{_SPELLED_TEENS})"
            r"|two thousand(?:(?: and)? (?:one|two|three|four|five|six|seven|eight|nine|ten|eleven"
            r"|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen))?)"
        ),
        _r_spelled_year,
        _NeedWords("nineteen", "two", then="nineteen|two thousand"),
        2,
    ),
)


class _FakeMatch(dict):
    """A stand-in for a match with named groups, for rules that reuse another resolver."""

    def __getitem__(self, key: str) -> str | None:
        return self.get(key)

    def start(self) -> int:
        """Where the original match started."""
        return self.get("span", (0, 0))[0]

    def end(self) -> int:
        """Where the original match ended."""
        return self.get("span", (0, 0))[1]


def _r_the_period_any(m: re.Match, ctx: _Ctx) -> Resolved | None:
    """Dispatch 'the end of the year' and 'year-end' to `_r_the_period`."""
    unit = m["unit"] or m["unit2"] or "year"
    return _r_the_period(_FakeMatch(part=m["part"] or "the end of", unit=unit, span=m.span()), ctx)


# "since 2014" turns a date into a range up to publication (on the folded text).
_SINCE = re.compile(r"\b(?:ever\s+)?since\s+$")


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    rule: int
    value: Resolved


def _matches(ctx: _Ctx) -> list[tuple[int, int, int, re.Match]]:
    """Every rule's matches in the folded text, as (start, end, rule index, match) (a rule whose
    prefilter finds nothing cannot match: skipped; one with `words_before` is tried only where a
    match can start)."""
    found = []
    folded = ctx.folded
    for index, rule in enumerate(_RULES):
        if rule.need is None:
            matches = rule.folded.finditer(folded)
        elif rule.words_before is None:
            if not rule.need.search(folded):
                continue
            matches = rule.folded.finditer(folded)
        else:
            # (no anchor where the prefilter finds nothing: no separate search first)
            anchors = rule.need.starts(folded)
            if not anchors:
                continue
            starts = _anchors(folded).starts_before(anchors, rule.words_before)
            matches = finditer_from(rule.folded, folded, starts)
        found.extend((match.start(), match.end(), index, match) for match in matches)
    return found


def _resolve(index: int, match: re.Match, ctx: _Ctx) -> Resolved | None:
    """What rule `index` makes of its match in the folded text (None: not a date)."""
    try:
        return _RULES[index].resolve(_FoldedMatch(match, ctx.text), ctx)
    except (KeyError, ValueError, OverflowError):
        # IGNORECASE lets look-alike letters match ("wınter" with a dotless i) that the
        # resolvers' tables do not hold: such a match is not a date we can read.
        return None


def _select(ctx: _Ctx) -> list[_Hit]:
    """The accepted matches that do not overlap, longest first (earliest, then rule order, on a tie).
    A match is resolved only when no match chosen before it overlaps it: one its resolver rejects
    is passed over without taking room, and resolvers have no side effects, so this chooses what
    resolving every match first would, with fewer resolved."""
    chosen: list[_Hit] = []
    # The chosen spans never overlap, so kept sorted by start their ends are sorted too, and a
    # span overlaps one of them exactly when it overlaps the last that starts before its end:
    # a bisection, not a walk over all (which made a text of thousands of dates quadratic).
    taken_starts: list[int] = []
    taken_ends: list[int] = []
    for start, end, index, match in sorted(_matches(ctx), key=lambda m: (m[0] - m[1], m[0], m[2])):
        before = bisect.bisect_left(taken_starts, end) - 1
        if before >= 0 and taken_ends[before] > start:
            continue
        if (value := _resolve(index, match, ctx)) is not None:
            chosen.append(_Hit(start, end, index, value))
            taken_starts.insert(before + 1, start)
            taken_ends.insert(before + 1, end)
    return sorted(chosen, key=lambda h: h.start)


def _with_since(hit: _Hit, ctx: _Ctx) -> _Hit:
    """'since 2014' -> [2014-01-01, published] (range), the mention widened to include 'since'."""
    before = ctx.folded_before(hit.start, 12)
    match = _SINCE.search(before)
    start, _end, precision, basis = hit.value
    pub = ctx.published
    if not match or pub is None or start is None or start > pub or precision == "range":
        return hit
    return _Hit(hit.start - len(before) + match.start(), hit.end, hit.rule, (start, pub, "range", basis))


# "a year ago", "a year earlier", "year-ago": one year before the period just named (on the folded text).
_YEAR_BACK = re.compile(r"(?:a|one) year (?:ago|earlier|before)|(?:the\s+)?year-(?:ago|earlier)")
_SENTENCE_END = re.compile(r"[.!?]\s|\n")


def _year_before_period(hit: _Hit, previous: _Hit | None, ctx: _Ctx) -> _Hit:
    """'third-quarter profit fell from a year ago': the quarter (or month) a year before, not the year."""
    if previous is None or not _YEAR_BACK.fullmatch(ctx.folded, hit.start, hit.end):
        return hit
    prev_start, prev_end, prev_precision, _ = previous.value
    if prev_precision not in ("quarter", "month", "half") or prev_start is None:
        return hit
    if _SENTENCE_END.search(ctx.text, previous.end, hit.start):
        return hit
    start = _add_months(prev_start, -12)
    end = _shift_month_end(prev_end, -12)
    return _Hit(hit.start, hit.end, hit.rule, (start, end, prev_precision, "relative"))


def _shift_month_end(day: date, months: int) -> date:
    """The last day of the month `months` away from day's month."""
    moved = _add_months(day.replace(day=1), months)
    return _month_end(moved.year, moved.month)


def find_dates(text: str, *, published: date | None) -> list[DateMention]:
    """Date expressions in `text`, each resolved to a day interval with a precision.

    Mentions are sorted by start and do not overlap; `text[m.start:m.end] == m.text`.
    Relative expressions ("on Tuesday", "last November", "two weeks ago") are resolved against
    `published`; without it they come back with `date_precision="unknown"` and no dates.
    Bare durations ("three years") and numbers that are not years ("300 militants",
    "1600 advisers") yield nothing.
    """
    ctx = _Ctx(text=text, published=published)
    mentions = []
    previous: _Hit | None = None
    for hit in _select(ctx):
        hit = _with_since(hit, ctx)
        hit = _year_before_period(hit, previous, ctx)
        previous = hit
        start, end, precision, basis = hit.value
        mentions.append(
            DateMention(
                start=hit.start,
                end=hit.end,
                text=text[hit.start : hit.end],
                date_start=start,
                date_end=end,
                date_precision=precision,
                basis=basis,
            )
        )
    return mentions


# ----------------------------------------------------------------------------- helpers for events

_WEEKDAY_IN_TEXT = re.compile(rf"\b{_WEEKDAY_FULL}\b|\b(?:tues|thurs)\b", re.I)
_DEICTIC_IN_TEXT = re.compile(
    r"\b(?:yesterday|today|tonight|tomorrow|last night|this (?:morning|afternoon|evening))\b", re.I
)


def is_relative(mention: DateMention) -> bool:
    """Whether the mention was resolved against the publication date."""
    return mention.basis == "relative"


def is_weekday_reference(mention: DateMention) -> bool:
    """Whether the mention is a weekday or today/yesterday-style word resolved against publication.

    These name a day only relative to "now": the events stage should prefer an explicit date in
    the same sentence, and re-anchor them when the article narrates an earlier moment.
    """
    if mention.basis != "relative":
        return False
    return bool(_WEEKDAY_IN_TEXT.search(mention.text) or _DEICTIC_IN_TEXT.search(mention.text))


def is_offset_reference(mention: DateMention) -> bool:
    """Whether the mention is an offset from another moment ('two days after', 'the day before')."""
    return mention.basis == "relative" and bool(_OFFSET_WORDS.search(mention.text))


def is_forward(text: str, mention: DateMention) -> bool:
    """Whether the mention points forward: its words ('next week') or its clause ('will ... on Monday')."""
    return bool(_FORWARD_WORDS.search(mention.text)) or _clause_is_forward(text, mention.start, mention.end)
