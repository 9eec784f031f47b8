"""Stage 6: which clauses report conflict events, and one Event per real event of an article.

  1. cues: find event cues (reference/event_cues.csv: regex -> ACLED event_type / sub_event_type);
     drop those that report no occurrence, with the reason (data.eventness: forecasts, negations,
     habits, calls, captions, …);
  2. candidates: cut each sentence into clauses ("…, which ISIS stormed in 2014": a clause with its
     own cue and date is another event) and a clause into the kinds of event it reports (an
     operation's launch, its artillery fire, its air strikes); read each candidate on its own words:
     the date of its own clause and phrase, its place, its sides (data.sides), its deaths, its type
     as the clause's words refine the cue's;
  3. one report per event: fold the candidates that tell the same occurrence (data.coreference);
  4. assemble each fold into an Event: the clearest telling's fields, completed by the others', then
     by the article (a date implied by publication, the article's town, the sides the text leaves to
     its context), a calibrated confidence (data.confidence) and a stable event_id.

`read_events` returns the candidates and folds too: `python -m data explain` (data.explain) shows
how an article was read.
"""

from __future__ import annotations

import bisect
import csv
import hashlib
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache, lru_cache
from pathlib import Path

from data.actors import (
    STATE_FORCES,
    UNIDENTIFIED_ARMED_GROUP,
    actor_country,
    actor_type,
    designated_group,
    is_designated,
    is_generic,
    main_armed_group,
    specialise,
    with_parents,
)
from data.confidence import confidence, features
from data.coreference import Fold, distance_km, family_of, fold, same_place
from data.dates import find_dates, is_offset_reference
from data.eventness import REASONS, non_event_reason
from data.operations import assign_operations
from data.schema import ActorMention, Article, DateMention, Event, PlaceMention, Sentence
from data.sides import Sides, in_temporal_adjunct, read_sides
from data.textmatch import (
    CARDINALS,
    find_all,
    finditer_from,
    fold_article,
    fold_case,
    fold_for_prefilter,
    folded_pattern,
    has_top_level_bar,
    is_word_char,
    leading_literals,
    literal_word_starts,
    literals_after_word,
    lower_pattern,
    prefix_tree,
    start_of_word_before,
)

EVENT_CUES_CSV = Path(__file__).parent / "reference" / "event_cues.csv"

# How far back (in sentences) a placeless report may borrow the narrative's place. (Dates are never
# borrowed from another event: "2014" of one paragraph is not the date of the next one's bombing.)
CONTEXT_SENTENCES = 3
# Folding compares each candidate with every event before it and each of their tellings:
# quadratic in an article's candidates. A news article has a few dozen (80 at most in the
# development corpus); a text with thousands is a dump or hostile input, and is folded in blocks
# of this many candidates so its cost grows linearly (an event told on both sides of a block's
# edge is then two rows).
FOLD_BLOCK = 250
# A sentence of news prose has a few event words (7 at most in the development corpus); one with
# dozens is a list or hostile input ("killed killed killed …"), and each cue costs searches of its
# clause: only the first this many of a sentence are read.
MAX_CUES_PER_SENTENCE = 40
# Clause boundaries inside a sentence (kept short: over-splitting scatters one event's details).
CLAUSE_BOUNDARY = re.compile(
    r";\s|,?\s+(?:which|who)\s|,\s+(?:while|whereas|where)\s|\s[—–]\s|,\s+but\s|"
    # ", a day after an attack by …": another moment, another event
    r",\s+(?=(?:a|one|two|three|four|five|six|several|\d+)\s+(?:days?|weeks?|months?|hours?)\s+"
    r"(?:after|before)\s)"
)
# A local clause (see local_clause) is also cut before a subordinator, with or without a comma:
# ",?" + SUBORDINATOR, written as two alternatives (the same matches), which the engine tries
# faster than a leading optional comma at every position.
SUBORDINATOR = r"\s(?:after|before|when|as|since|because|although|until|whereas)\s"
LOCAL_BOUNDARY = re.compile(CLAUSE_BOUNDARY.pattern + "|," + SUBORDINATOR + "|" + SUBORDINATOR)
SINCE_BEFORE = re.compile(r"\bsince\s+(?:the\s+)?$", re.IGNORECASE)
SINCE_WHEN = re.compile(r",?\s+when\b", re.IGNORECASE)
# A date that says when something was said, not when the event happened.
STATEMENT_DATE_BEFORE = re.compile(
    r"\b(?:said|says|told|tells|announced|reported|stated|added|confirmed|claimed|tweeted|wrote|"
    r"received\s+(?:reports?|word|information))\b"
    r"(?:\s+[\w\-.'’]+){0,3}?\s+(?:on\s+|late\s+|early\s+|earlier\s+|last\s+)?$",
    re.IGNORECASE,
)
# Present perfect or present tense in the clause: the report is news as of publication. (Not the
# past perfect "had taken", which tells of an earlier moment, nor "to have been".)
PRESENT_PERFECT = re.compile(
    r"(?<!to\s)\b(?:has|have|'ve)\s+(?:now\s+|also\s+|officially\s+|finally\s+|reportedly\s+|already\s+|just\s+)?"
    r"(?:been\s+)?(?!been\b)\w+(?:ed|en|wn|ght|ne|id|ft|un|ung|ost|ept|lt|ld|nt|ot|ut)\b|"
    r"\b(?:is|are)\s+(?:now\s+)?(?:under\s+way|underway|over|finished|\w+ing)\b|"
    r"\b(?:begins|starts|continues|ends|says|said\s+(?:on\s+)?(?:today|Monday|Tuesday|Wednesday|Thursday|"
    r"Friday|Saturday|Sunday))\b",
    re.IGNORECASE,
)
# The present perfect tells recent news ("have taken"); the present tells something going on.
RECENT_NEWS = re.compile(PRESENT_PERFECT.pattern.split("|\\b(?:is|are)")[0], re.IGNORECASE)
# The text of a date implied by publication for something going on (data.coreference reads it).
ONGOING = "(ongoing)"
# "the city", "Iraq's second-largest city": a city named earlier in the article.
CITY_ANAPHORA = re.compile(
    r"\b(?:(?:the|this|that)\s+(?:[\w\-]+\s+){0,2}?(?:city|town|village)(?:'s)?(?!\s+of\b)|"
    r"(?:\w+'s\s+)?(?:second|third)?-?(?:largest|biggest)\s+city|the\s+(?:provincial|regional)\s+capital)\b",
    re.IGNORECASE,
)
# Every match of CITY_ANAPHORA has one of these nouns (in lower case).
_CITY_ANAPHORA_NOUNS = ("city", "town", "village", "capital")
NUMBER_WORDS = {**CARDINALS, "a dozen": 12, "a hundred": 100, "one hundred": 100}
# Vague counts as ACLED reads them, conservatively: "dozens" 12, "hundreds" 100 (a lower bound).
VAGUE_COUNTS = {"dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1000, "several": 3}
# A counted number: digits (with thousands commas) or a number word.
_COUNTED = r"\d{1,3}(?:,\d{3})+|\d+|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
NUMBER = r"(?P<num>" + _COUNTED + "|" + "|".join(VAGUE_COUNTS) + r")"
# The upper figure of a range ("between 10 and 15"): counted numbers only, no vague word.
EXACT_NUMBER = r"(?P<num2>" + _COUNTED + r")"
QUALIFIER = (
    r"(?P<qual>at\s+least|up\s+to|more\s+than|over|nearly|almost|about|around|some|as\s+many\s+as|an\s+estimated|"
    r"roughly)?\s*"
)
DEATH = r"(?:killed|dead|died|slain|executed|massacred|beheaded|murdered|lost\s+their\s+lives|perished)"
# Every fatality pattern needs one of these words: a cheap test before the costly patterns.
# (Both tests are written as trees of the words' letters, which the engine tries faster than a
# list of alternatives at every position.)
DEATH_HINT = re.compile(
    prefix_tree("kill dead died death slain execut massacr behead murder lives perish toll bodies fatalit".split())
)
# Every fatality pattern needs a count too: a digit or a number word (NUMBER), tested cheaply.
NUMBER_HINT = re.compile(r"\d|" + prefix_tree([*NUMBER_WORDS, *VAGUE_COUNTS]))
# After a count: up to three words, then a death word ("people were reportedly killed").
COUNT_THEN_DEATH = (
    r"(?:\s+(?!and\b|or\b|wounded\b|injured\b)[\w\-]+){0,3}?\s+(?:(?:were|was|have\s+been|had\s+been|are|been)\s+)?"
    r"(?:(?:reportedly|reported|confirmed|believed|also|all|later)\s+)?" + DEATH + r"\b"
)
# Two figures as a range: "between 10 and 15", "10 to 15", "10-15".
RANGE = r"(?P<between>between\s+)?" + NUMBER + r"\s*(?(between)(?:and|to)|(?:to|-|\u2013))\s*" + EXACT_NUMBER
KILLING = r"\b(?:killing|killed|kills|kill|executed|executing|massacred)\s+"
NOT_A_COUNT_OF_DEATHS = r"\b(?!\s*(?:%|percent|km|miles|years|hours|days))"
FATALITY_PATTERNS = [
    # Ranges first (the single-count patterns below would read one figure alone): "between 10
    # and 15 people were killed", "10 to 15 dead", "killing 10-15 people"
    re.compile(r"\b" + RANGE + COUNT_THEN_DEATH, re.IGNORECASE),
    re.compile(KILLING + RANGE + NOT_A_COUNT_OF_DEATHS, re.IGNORECASE),
    # "22 were reportedly killed", "at least 135 people were killed", "63 civilians dead"
    re.compile(QUALIFIER + NUMBER + COUNT_THEN_DEATH, re.IGNORECASE),
    # "killing at least 63", "killed 10 people"
    re.compile(KILLING + QUALIFIER + NUMBER + NOT_A_COUNT_OF_DEATHS, re.IGNORECASE),
    # "the death toll rose to 40"
    re.compile(
        r"\b(?:death\s+toll|toll)\b(?:\s+\w+){0,4}?\s+(?:to|of|at|reached|is|was)\s+" + QUALIFIER + NUMBER + r"\b",
        re.IGNORECASE,
    ),
    # "40 deaths"
    re.compile(QUALIFIER + NUMBER + r"\s+(?:deaths|fatalities|bodies)\b", re.IGNORECASE),
]
# "took over the city", "control of the town": an anaphor this close after the cue is its object.
OBJECT_GAP = 15
# A region with no first-level division of its own ("northern Syria") holds the towns this near its point.
REGION_KM = 250
# How far after a cue that needs one ("attacks in", "lost") its place may start.
PLACE_AFTER_CHARS = 12
# A verb right after a name: the name is the subject ("Turkey has fired", "Iraq announced").
SUBJECT_VERB_AFTER = re.compile(
    r"\s+(?:is|was|has|had|have|will|would|could|may|might|must|should|believes?|believed|says?|said|claims?|"
    r"claimed|announced|denied|denies|insists?|insisted|wants?|wanted|hopes?|hoped|accused|blamed|fired|sent|"
    r"launched|struck|began|agreed|signed|warned|urged|vowed|pledged)\b"
)
LOCATIVE_BEFORE_NAME = re.compile(
    r"\b(?:in|into|inside|across|within|throughout|of|from|at|near|to)\s+(?:the\s+)?$", re.IGNORECASE
)
# The goal of an advance: where forces are heading, not where they are.
GOAL_BEFORE = re.compile(
    r"\b(?:toward|towards|(?:advanc\w*|clos\w*\s+in|push\w*|march\w*|mov\w*\s+in|bearing\s+down)\s+on|"
    r"heading\s+(?:to|for))\s+(?:the\s+)?(?:(?!into\b|inside\b|in\b)[\w\-]+\s+){0,4}?"
    r"(?:(?:city|town|village|stronghold|bastion)\s+of\s+)?$",
    re.IGNORECASE,
)
# A month name right before a number: the number is a day ("July 3"), not a count.
DATE_BEFORE_NUMBER = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+$", re.IGNORECASE
)
STATE_ACTOR_TYPES = {"State forces"}
# Armed groups that are not a state's forces: a generic "militants" may stand for one of them.
NON_STATE_ARMED = {"Rebel group", "Political militia", "Identity militia"}
# Longer than any actor name: actors overlapping a place start within this many characters of it.
MAX_ACTOR_CHARS = 200
# Penalties in characters of distance for choosing an event's place (see place_cost).
PLACE_COST = {"before_cue": 20, "not_locative": 30, "reference_point": 60}
# Within a clause a named city or site beats a region, a region beats a country, and a country
# beats a continent (a region without a country: "at the crossroads of Europe and Asia").
PLACE_LEVEL = {"region": 1, "country": 2, "continent": 3}
# "in Turkey": a name that is also an actor is a place after these words (see is_modifier).
LOCATIVE_IN_BEFORE = re.compile(r"\b(?:in|inside|across|within|throughout)\s+$")
# "a town south of Mosul", "a village near Kirkuk": the place after these words is a reference
# point for another place, not where the event happened (chosen only when nothing else is named).
REFERENCE_POINT_BEFORE = re.compile(
    r"\b(?:(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?\s+of|"
    r"near|outside|close\s+to|(?:km|kilometres|kilometers|miles)\s+(?:from|of)|"
    # the goal of an advance is where the forces are heading, not where they are
    r"toward|towards|(?:advanc\w*|clos\w*\s+in|push\w*|march\w*|mov\w*\s+in)\s+on|heading\s+(?:to|for))\s+"
    r"(?:the\s+)?(?:[\w\-]+\s+){0,4}?(?:(?:city|town|village|stronghold|bastion)\s+of\s+)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Cue:
    pattern: re.Pattern[str]
    event_type: str
    sub_event_type: str
    weight: float
    # The table's leading \b, checked by hand (see find_cue_matches) rather than by the engine:
    # the pattern is tried only where one of `needs` starts a word (or see after_word).
    word_start: bool = False
    # Words one of which every match starts with ("bomb" for "bomb(?:ed|ing)"), for word_start.
    # Empty: none could be read off the pattern, which searches the whole text.
    needs: tuple[str, ...] = ()
    # Whether `needs` are what follows the match's first word instead ("-month" for
    # "\w+-(?:month|week)"): the pattern is then tried where the word before one of them starts.
    after_word: bool = False
    # A cue that names no particular kind of event ("killed", "attacked"): it tells a detail of
    # an event told elsewhere as readily as an event of its own (see data.coreference).
    generic: bool = False
    # A cue that tells an event only when a place follows ("attacks in Paris", "lost Ramadi"):
    # otherwise it is talk of attacks or losses in general.
    place_after: bool = False
    # A cue that tells an offensive's launch ("began an offensive", "announced the start of
    # operations"): ACLED codes the launch and each capture of the offensive as events of their own.
    launch: bool = False


@dataclass
class Trigger:
    start: int
    end: int
    cue: Cue


@dataclass
class ArticleMentions:
    """Everything the earlier stages found in one article (offsets into the article text)."""

    sentences: list[Sentence]
    dates: list[DateMention]
    places: list[PlaceMention]
    actors: list[ActorMention]


@cache
def event_cues(path: Path = EVENT_CUES_CSV) -> tuple[Cue, ...]:
    """The cue table, compiled to run case-sensitively over lower-cased text (see fold_case):
    Python's regex engine scans many times faster without IGNORECASE."""
    cues = []
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            pattern = lower_pattern(row["pattern"])
            # A pattern opening with \b has no literal prefix for the engine's fast scan, which
            # makes it some 3-20 times slower; without it, find_cue_matches tries it only where
            # one of the words its matches start with starts a word, or one opening with a word of
            # any letters only where that word is followed by what follows it in the pattern. A
            # pattern whose first words cannot be read keeps its \b (without, the engine would try
            # it inside words too).
            word_start = pattern.startswith("\\b") and not has_top_level_bar(pattern)
            needs = leading_literals(pattern[2:]) if word_start else ()
            if not all(is_word_char(literal[0]) for literal in needs):
                needs = ()  # (find_cue_matches looks for the starts of words only)
            after_word = False
            if word_start and not needs:
                needs = literals_after_word(pattern[2:])
                after_word = bool(needs)
            word_start = bool(needs)
            cues.append(
                Cue(
                    re.compile(pattern[2:] if word_start else pattern),
                    row["event_type"],
                    row["sub_event_type"],
                    float(row["weight"]),
                    word_start,
                    needs,
                    after_word,
                    row.get("generic", "") == "yes",
                    row.get("place_after", "") == "yes",
                    row.get("launch", "") == "yes",
                )
            )
    return tuple(cues)


def find_cue_matches(text: str) -> list[tuple[int, int, Cue]]:
    """Every cue match in the text, as each cue's pattern's `finditer` gives them, in text order
    (cues in table order at the same start): one scan of the whole article (not per sentence)
    finds where the cues' words start words, and each cue is tried where one of its words does."""
    folded = fold_case(text)
    cues = event_cues()
    found = [
        (start, end, index)
        for index, cue in enumerate(cues)
        if not cue.word_start or cue.after_word
        for start, end in _scanned_cue_spans(cue, folded)
    ]
    cues_of = _cues_by_word()
    ends = [0] * len(cues)  # where each cue was last matched or tried: its matches do not overlap
    for at, word in literal_word_starts(folded, tuple(cues_of)):
        for index in cues_of[word]:
            if at >= ends[index]:
                match = cues[index].pattern.match(folded, at)
                if match:
                    found.append((at, match.end(), index))
                ends[index] = match.end() if match else at + 1
    found.sort(key=lambda item: (item[0], item[2]))
    return [(start, end, cues[index]) for start, end, index in found]


@cache
def _cues_by_word() -> dict[str, list[int]]:
    """Every word a cue's matches may start with (`Cue.needs`) -> the indexes of those cues."""
    cues_of: dict[str, list[int]] = {}
    for index, cue in enumerate(event_cues()):
        if cue.word_start and not cue.after_word:
            for literal in dict.fromkeys(cue.needs):
                cues_of.setdefault(literal, []).append(index)
    return cues_of


def _scanned_cue_spans(cue: Cue, folded: str) -> Iterator[tuple[int, int]]:
    """The spans `finditer` would give for the pattern as written (with its leading \\b) of a cue
    that find_cue_matches does not try at its words' starts."""
    if not cue.after_word:
        yield from (m.span() for m in cue.pattern.finditer(folded))
        return
    # Every match starts with the (non-empty) word before one of the literals: try it there.
    starts = sorted(
        {
            start
            for literal in cue.needs
            for at in find_all(folded, literal)
            if (start := start_of_word_before(folded, at)) < at
        }
    )
    yield from (m.span() for m in finditer_from(cue.pattern, folded, starts))


def find_triggers(text: str, start: int, end: int, matches: list[tuple[int, int, Cue]]) -> list[Trigger]:
    """Cues among `matches` (find_cue_matches) in text[start:end] that report something that
    happened (data.eventness); heaviest/longest wins among overlapping ones."""
    clauses = clauses_of(text, start, end) if matches else ()
    found = sorted(
        (Trigger(m_start, m_end, cue) for m_start, m_end, cue in matches if start <= m_start and m_end <= end),
        key=lambda t: (-t.cue.weight, -(t.end - t.start), t.start),
    )
    kept: list[Trigger] = []
    for trigger in found:
        # (a cue that a heavier kept one overlaps is never kept: the filter need not be asked)
        if (
            all(trigger.end <= k.start or trigger.start >= k.end for k in kept)
            and non_event_reason(
                text,
                sentence_start=start,
                sentence_end=end,
                cue_start=trigger.start,
                cue_end=trigger.end,
                clause_start=max((c[0] for c in clauses if c[0] <= trigger.start), default=start),
                clause_end=min((c[1] for c in clauses if c[1] > trigger.start), default=end),
                event_type=trigger.cue.event_type,
                sub_event_type=trigger.cue.sub_event_type,
            )
            is None
        ):
            kept.append(trigger)
    return sorted(kept, key=lambda t: t.start)


def non_event_drops(
    text: str, sentences: list[Sentence], matches: list[tuple[int, int, Cue]]
) -> dict[int, list[tuple[str, str]]]:
    """For `explain`: per sentence index, the cues find_triggers leaves out and why."""
    drops: dict[int, list[tuple[str, str]]] = {}
    for index, sentence in enumerate(sentences):
        inside = [m for m in matches if sentence.start <= m[0] and m[1] <= sentence.end]
        clauses = clauses_of(text, sentence.start, sentence.end) if inside else []
        for m_start, m_end, cue in inside:
            if sentence.text.rstrip().endswith("?"):
                reason = "question"
            else:
                reason = non_event_reason(
                    text,
                    sentence_start=sentence.start,
                    sentence_end=sentence.end,
                    cue_start=m_start,
                    cue_end=m_end,
                    clause_start=max((c[0] for c in clauses if c[0] <= m_start), default=sentence.start),
                    clause_end=min((c[1] for c in clauses if c[1] > m_start), default=sentence.end),
                    event_type=cue.event_type,
                    sub_event_type=cue.sub_event_type,
                )
            if reason is not None:
                drops.setdefault(index, []).append((text[m_start:m_end], f"{reason} ({REASONS.get(reason, '')})"))
    return drops


@lru_cache(maxsize=512)
def clauses_of(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    """Clause ranges of a sentence. (Cached: the non-event filter, the grouping of cues and each
    candidate ask for the same sentence's; a string's hash is computed once.)"""
    bounds = [start]
    for match in CLAUSE_BOUNDARY.finditer(text, start, end):
        bounds.append(match.start() + 1)
    bounds.append(end)
    return tuple((a, b) for a, b in zip(bounds, bounds[1:], strict=False) if b > a)


class _ByStart:
    """Mentions sorted by start, for the ones inside a stretch without scanning them all."""

    def __init__(self, items: list) -> None:
        self.items = sorted(items, key=lambda item: item.start)
        self.starts = [item.start for item in self.items]

    def inside(self, start: int, end: int) -> list:
        """Like _inside(items, start, end), in start order."""
        first = bisect.bisect_left(self.starts, start)
        last = bisect.bisect_left(self.starts, end)
        return [item for item in self.items[first:last] if item.end <= end]


def _inside(items, start: int, end: int) -> list:
    return [item for item in items if item.start >= start and item.end <= end]


def _distance(item, position: int) -> int:
    return 0 if item.start <= position < item.end else min(abs(item.start - position), abs(item.end - position))


def choose_date(text: str, dates: list[DateMention], published: date | None, anchor: int) -> DateMention | None:
    """The narrowest date mention not after publication, nearest to the cue on a tie; cut at
    publication ("this week" ends on the day the article appeared)."""
    # ("since 2003" opens a period: it does not date the event)
    usable = [
        d
        for d in dates
        if d.date_start is not None
        and (published is None or d.date_start <= published)
        and not SINCE_BEFORE.search(text, max(0, d.start - 8), d.start)
    ]
    if not usable:
        return None
    # "a day after the Jakarta attack" dates the attack, not this sentence's event: offsets from
    # another moment are used only when nothing else dates the clause. "an official said on
    # Thursday" dates the statement: the event it reports may be older ("killed 43 this week").
    chosen = (
        usable[0]
        if len(usable) == 1  # (nothing to weigh)
        else min(
            usable,
            key=lambda d: (
                is_statement_date(text, d),
                is_offset_reference(d),
                (d.date_end - d.date_start).days,
                _distance(d, anchor),
            ),
        )
    )
    if published is not None and chosen.date_end > published:
        chosen = replace(chosen, date_end=published)
    return chosen


# "two days after", "a day before", "a week after": an offset (its count and unit) from another moment.
OFFSET_PHRASE = re.compile(
    r"^(?P<count>a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+(?P<unit>days?|weeks?)\s+"
    r"(?P<way>after|before)$",
    re.IGNORECASE,
)
OFFSET_COUNTS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
# How far an offset phrase reaches to the cue it governs ("two days after a gunman … killed 49").
OFFSET_REACH = 120


def _offset_from_anchor(text: str, dates: list[DateMention], cue_start: int) -> DateMention | None:
    """The day of an event told inside an offset phrase, from the sentence's day it is counted
    from: "Obama said on June 14 -- two days after a gunman killed 49 people" dates the killing
    June 12; "police raided a house on Friday, a day after an attack" dates the attack Thursday.
    None when the cue is not governed by such a phrase or no day anchors it."""
    before = [d for d in dates if d.end <= cue_start and cue_start - d.end <= OFFSET_REACH]
    if not before:
        return None
    offset = before[-1]
    phrase = OFFSET_PHRASE.match(offset.text.strip())
    if phrase is None or re.search(r"[;.]|\s[—–]\s|\s--\s", text[offset.end : cue_start]):
        return None
    anchors = [
        d
        for d in dates
        if d is not offset and d.date_precision == "day" and d.date_start is not None and not is_offset_reference(d)
    ]
    if not anchors:
        return None
    anchor = min(anchors, key=lambda d: abs(d.start - offset.start))
    count = OFFSET_COUNTS.get(phrase.group("count").lower()) or int(phrase.group("count"))
    days = count * (7 if phrase.group("unit").lower().startswith("week") else 1)
    # the event is `days` before the anchor when the anchor is "after" it, and after it otherwise
    day = (
        anchor.date_start - timedelta(days=days)
        if phrase.group("way").lower() == "after"
        else (anchor.date_start + timedelta(days=days))
    )
    return replace(offset, date_start=day, date_end=day, date_precision="day", basis="relative")


def is_statement_date(text: str, mention: DateMention) -> bool:
    """Whether the date is when something was said ("said on Thursday", "told AFP on Monday")."""
    return bool(STATEMENT_DATE_BEFORE.search(text, max(0, mention.start - 40), mention.start))


def is_modifier(text: str, place: PlaceMention, actors: list[ActorMention]) -> bool:
    """A place name used as part of an actor or as an adjective ("Iraqi forces", "U.S.-led",
    "backed by the United States"): it says who, not where."""
    # A name that is also an actor ("Turkey") is a place when a locative governs it ("in Turkey").
    if any(a.start < place.end and place.start < a.end for a in actors) and not LOCATIVE_IN_BEFORE.search(
        text[max(0, place.start - 12) : place.start]
    ):
        return True
    if text.startswith("-", place.end):
        return True
    if (
        place.geo_precision == "country"
        and SUBJECT_VERB_AFTER.match(text, place.end)
        and not LOCATIVE_BEFORE_NAME.search(text, max(0, place.start - 12), place.start)
    ):
        return True  # "the United States believes it killed …": who, not where
    word = place.text.casefold()
    # Demonyms name countries and continents; "al-Shadadi" for Shaddadi is a spelling, not one.
    demonym = (
        place.geo_precision in ("country", "region")
        and word != place.place.casefold()
        and re.search(r"(?:i|ian|ish|ese|an|ic)$", word)
    )
    abbreviation = word.endswith(".") and re.match(r"\s+[A-Za-z]", text[place.end : place.end + 3])
    return bool(demonym or abbreviation)


# "Qayara, which is 40 miles south of Mosul", "Qayara, 65 km south of Mosul": the distance says
# where the place just named lies.
LOCATES_BEFORE = re.compile(
    r"^\s*,\s*(?:(?:which|that)\s+(?:is|lies|sits|was)\s+|located\s+|situated\s+)?(?:about\s+|some\s+|around\s+|"
    r"roughly\s+|nearly\s+|just\s+|only\s+)?$",
    re.IGNORECASE,
)


def _locates_place_before(text: str, place: PlaceMention, places: list[PlaceMention]) -> bool:
    """Whether `place` is the point of a distance phrase that locates a town named just before it
    (then the town is the place, not a point measured from another)."""
    if not place.place_id.startswith("offset:"):
        return False
    return any(
        other.end <= place.start
        and other.lat is not None
        and other.geo_precision in ("city", "site", "district")
        and not other.place_id.startswith("offset:")
        and LOCATES_BEFORE.match(text[other.end : place.start])
        for other in places
    )


def _choosable(place: PlaceMention) -> bool:
    """Whether a place can be an event's: resolved, and not a dateline or byline."""
    return place.lat is not None and place.role in ("event", "mentioned")


def choose_place(text: str, places: list[PlaceMention], anchor: int) -> PlaceMention | None:
    """An event place: resolved, not a dateline/byline; a city or site before a region before a
    country before a continent, then the lowest cost (see place_cost); the point a "near X" or
    "north of X" is measured from when nothing else is named (ACLED codes an event near a town to
    it). Never the goal of an advance ("advancing on Mosul": see Candidate.goal)."""
    usable = [p for p in places if _choosable(p) and not is_goal(text, p)]
    if not usable:
        usable = [p for p in places if p.role == "reference" and p.lat is not None]
    if not usable:
        return None
    if len(usable) == 1:
        return usable[0]  # (nothing to weigh)
    return min(usable, key=lambda p: (place_level(p), place_cost(text, p, anchor)))


def is_goal(text: str, place: PlaceMention) -> bool:
    """Whether the place is where forces are heading ("advancing on Mosul"), not where they are."""
    stretch = text[max(0, place.start - 70) : place.start].lower()
    # (the pattern is searched only where one of the words it needs is)
    return any(word in stretch for word in ("toward", " on ", "heading")) and GOAL_BEFORE.search(stretch) is not None


def place_level(place: PlaceMention) -> int:
    """0 for a city, district or site; then region, country, continent (see PLACE_LEVEL)."""
    if place.geo_precision == "region" and not place.country:
        return PLACE_LEVEL["continent"]
    return PLACE_LEVEL.get(place.geo_precision, 0)


def local_clause(text: str, start: int, end: int, anchor: int) -> tuple[int, int]:
    """The smallest clause around the cue, cut also at subordinators ("… comes after a cease-fire
    began in southwestern Syria": the cease-fire's clause starts at "after")."""
    left, right = start, end
    for match in LOCAL_BOUNDARY.finditer(text, start, end):
        if match.end() <= anchor:
            left = match.start() + 1
        elif match.start() > anchor:
            right = match.start()
            break
    return left, right


def place_cost(text: str, place: PlaceMention, anchor: int) -> int:
    """Characters of distance from the cue plus penalties: a place after the cue is usually its
    locative ("began in southwestern Syria"), one before it more often the subject's home; a place
    not governed by a locative preposition is more often background. (Cities beating regions and
    countries is PLACE_LEVEL's job in choose_place.)"""
    cost = _distance(place, anchor)
    if place.end <= anchor:
        cost += PLACE_COST["before_cue"]
    if place.role != "event":
        cost += PLACE_COST["not_locative"]
    if REFERENCE_POINT_BEFORE.search(text, max(0, place.start - 30), place.start):
        cost += PLACE_COST["reference_point"]
    return cost


def _count(word: str) -> int | None:
    """A counted number ("15", "1,200", "fifteen"); None for anything else or past a million."""
    word = word.lower().replace(",", "")
    count = int(word) if word.isdigit() else NUMBER_WORDS.get(word)
    return None if count is None or count > 1_000_000 else count


# Deaths told in two parts: "one officer died at the scene and a second in hospital", "Abu Wahib
# and three others were killed" (the count leaves out the one named).
ONE_MORE_AFTER = re.compile(r"[^,;.]{0,40}?\s(?:and|,)\s+(?:a\s+second|another(?:\s+one)?|one\s+more)\b", re.IGNORECASE)
NAMED_AND_OTHERS = re.compile(r"\band\s+$", re.IGNORECASE)
OTHERS_AFTER = re.compile(r"\s+others?\b", re.IGNORECASE)


def _also_counted(text: str, number_start: int, match_end: int, end: int) -> int:
    """Deaths a count leaves out: one more after it ("… and a second in hospital"), or the one
    named before "and N others"."""
    extra = 0
    if ONE_MORE_AFTER.match(text, match_end, end):
        extra += 1
    number_end = number_start + len(re.match(r"[\w,]+", text[number_start:]).group(0))
    if NAMED_AND_OTHERS.search(text, max(0, number_start - 5), number_start) and OTHERS_AFTER.match(text, number_end):
        extra += 1
    return extra


def read_fatalities(
    text: str, start: int, end: int
) -> tuple[int | None, int | None, int | None, tuple[int, int] | None]:
    """(fatalities, low, high, span) from deaths reported in text[start:end]; nulls when none."""
    clause = text[start:end].lower()
    if not DEATH_HINT.search(clause) or not NUMBER_HINT.search(clause):
        return None, None, None, None
    for pattern in FATALITY_PATTERNS:
        match = _search_folded(pattern, text, start, end)
        if not match:
            continue
        word = text[match.start("num") : match.end("num")].lower().replace(",", "")
        span = (match.start(), match.end())
        if DATE_BEFORE_NUMBER.search(text, max(0, match.start("num") - 12), match.start("num")):
            continue  # "on July 3 that killed": a day of the month, not a count
        if "num2" in pattern.groupindex:  # a range: its two figures are the bounds
            low, high = _count(word), _count(text[match.start("num2") : match.end("num2")])
            if low is not None and high is not None and low < high:
                return None, low, high, span
            continue
        qualifier = re.sub(r"\s+", " ", text[match.start("qual") : match.end("qual")].lower())
        if word in VAGUE_COUNTS:
            # ACLED's conservative reading: "dozens" is 12, "hundreds" 100, and more may have died
            return VAGUE_COUNTS[word], VAGUE_COUNTS[word], None, span
        count = _count(word)
        if count is None:
            continue
        count += _also_counted(text, match.start("num"), match.end(), end)
        if qualifier in ("up to", "as many as"):
            return None, None, count, span
        if qualifier in ("at least", "more than", "over"):
            return count, count, None, span
        return count, count, count, span
    return None, None, None, None


def _search_folded(pattern: re.Pattern, text: str, start: int, end: int) -> re.Match | None:
    """`pattern.search(text, start, end)` for a pattern of `_FOLDED`, run over the folded article:
    the same match spans, several times faster than IGNORECASE (see fold_for_prefilter). Its
    groups hold folded text: read them from `text` by their spans."""
    folded = fold_article(text)
    if len(folded) != len(text):  # (folding keeps the length; this is a guard)
        return pattern.search(text, start, end)
    return _FOLDED[pattern].search(folded, start, end)


@lru_cache(maxsize=64)
def _city_anaphor(text: str, start: int, end: int) -> re.Match | None:
    """`CITY_ANAPHORA` in text[start:end] (as `_search_folded` finds it): searched only when the
    stretch has one of the nouns every match has, as most sentences have none (the pattern is
    tried at every position, and at every letter of a word for its leading \\w+)."""
    folded = fold_article(text)
    if len(folded) == len(text) and not any(noun in folded[start:end] for noun in _CITY_ANAPHORA_NOUNS):
        return None
    return _search_folded(CITY_ANAPHORA, text, start, end)


def _event_id(article_id: str, start: int, end: int, index: int) -> str:
    digest = hashlib.sha1(f"{article_id}|{start}|{end}|{index}".encode()).hexdigest()
    return digest[:16]


def _publication_date(published: date, sentence: Sentence) -> DateMention:
    return DateMention(sentence.start, sentence.start, "", published, published, "day", "publication")


def is_quoted(text: str, start: int, position: int) -> bool:
    """Whether `position` lies inside a quotation opened earlier in the sentence."""
    before = text[start:position]
    straight = before.count('"') % 2 == 1
    curly = before.count("“") > before.count("”")
    return straight or curly


def _narrative_city(place: PlaceMention) -> bool:
    """A located city or site in narrative text: what `main_place` chooses among."""
    return _choosable(place) and place.geo_precision in ("city", "site", "district")


def main_place(places: list[PlaceMention]) -> PlaceMention | None:
    """The article's main place: the most mentioned city or site in narrative text, earliest on a tie."""
    narrative = [p for p in places if _narrative_city(p)]
    if not narrative:
        return None
    counts = Counter(p.place_id for p in narrative)
    best_id = max(counts, key=lambda pid: (counts[pid], -next(p.start for p in narrative if p.place_id == pid)))
    return next(p for p in narrative if p.place_id == best_id)


def _group_by_clause(
    text: str, sentence: Sentence, triggers: list[Trigger], dates: list[DateMention]
) -> list[tuple[tuple[int, int], list[Trigger]]]:
    """Triggers grouped into events: a later clause is its own event only if it has its own date."""
    groups: list[tuple[tuple[int, int], list[Trigger]]] = []
    for clause in clauses_of(text, sentence.start, sentence.end):
        inside = [t for t in triggers if clause[0] <= t.start < clause[1]]
        if not inside:
            continue
        own_date = any(clause[0] <= d.start and d.end <= clause[1] for d in dates)
        if groups and not own_date:
            previous_clause, previous = groups[-1]
            groups[-1] = ((previous_clause[0], clause[1]), previous + inside)
        else:
            groups.append((clause, inside))
    if len(groups) > 1:
        # The first group also owns the sentence text before its first clause with a trigger.
        first_clause, first = groups[0]
        groups[0] = ((sentence.start, first_clause[1]), first)
    else:
        groups = [((sentence.start, sentence.end), groups[0][1])] if groups else []
    return groups


@dataclass
class Candidate:
    """One cue-bearing clause read on its own — what it says itself — before the clauses that tell
    the same event are folded together (data.coreference) and what is still missing is taken
    from the narrative."""

    sentence_index: int
    sentence: Sentence
    clause: tuple[int, int]
    n: int  # which event of its sentence
    triggers: list[Trigger]
    trigger: Trigger
    date: DateMention | None  # the clause's own date (or its sentence's), or publication for "have taken"
    statement_date: DateMention | None  # when a report of it was made ("said Monday"), if nothing else
    place: PlaceMention | None  # the clause's own place (or its sentence's)
    place_text: str
    place_span: tuple[int, int] | None
    place_basis: str  # sentence (its own words) or anaphora ("the city": the last city named)
    goal: PlaceMention | None  # where its forces head ("advancing on Mosul"): a place of last resort
    sides: Sides
    fatalities: tuple[int | None, int | None, int | None, tuple[int, int] | None]
    quoted: bool
    present_perfect: bool
    city_anaphor: tuple[int, int] | None  # "the city": refers to the last city named
    names: frozenset[str]  # proper names the clause mentions besides places, actors and dates
    event_type: str  # the cue's, refined by who acted (see refine_kind)
    sub_event_type: str
    consequence: bool = False  # damage done "in the explosion": a detail of the event it names

    @property
    def generic(self) -> bool:
        """A cue that names no particular kind of event ("killed", "attacked"), or damage that an
        event named after it did ("two cars were destroyed in the explosion")."""
        return self.trigger.cue.generic or self.consequence

    @property
    def family(self) -> str:
        return (
            "launch"
            if self.trigger.cue.launch and self.event_type == "Battles"
            else family_of(self.event_type, self.sub_event_type)
        )

    # The acting side as the article names it: an unnamed armed group is the group the article
    # names most (see SideContext); other generic actors say nothing about who (set by extract_events).
    acting: list[str] = field(default_factory=list)


def related_actors(a: str, b: str) -> bool:
    """The same actor, or one a part of the other (CTS and the Iraqi Security Forces)."""
    return a == b or b in with_parents([a]) or a in with_parents([b])


def extract_events(article: Article, mentions: ArticleMentions) -> list[Event]:
    """Every event report of one article, in text order: one row per real event."""
    return read_events(article, mentions)[2]


def read_events(article: Article, mentions: ArticleMentions) -> tuple[list[Candidate], list[Fold], list[Event]]:
    """The clauses read as candidate events, their folds into real events, and the events
    (`python -m data explain` shows all three)."""
    candidates = find_candidates(article, mentions)
    context = SideContext.of(mentions.actors)
    for candidate in candidates:
        enemy = context.enemy()
        # (a crowd acts as itself: "demonstrations turned violent" … "protesters stormed"; so do a
        # country's police and soldiers: "police arrested two" … "two others were arrested by police")
        candidate.acting = list(
            dict.fromkeys(
                enemy if a.startswith("Unidentified Armed Group") and enemy else a
                for a in candidate.sides.actor1
                if not is_generic(a)
                or (a.startswith("Unidentified Armed Group") and enemy)
                or a.startswith(("Protesters", "Rioters", "Police Forces", "Military Forces"))
            )
        )
    folds = [
        found
        for block in range(0, len(candidates), FOLD_BLOCK)
        for found in fold(candidates[block : block + FOLD_BLOCK], article.text, related_actors)
    ]
    events = assemble(article, mentions, folds, context)
    assign_operations(events, article.text)
    return candidates, folds, events


def find_candidates(article: Article, mentions: ArticleMentions) -> list[Candidate]:
    """Every clause that reports an event, read on its own (fields from its own words only)."""
    text = article.text
    published = article.published
    candidates: list[Candidate] = []
    cue_matches = find_cue_matches(text)
    cue_starts = [m[0] for m in cue_matches]
    dates, places, actors = _ByStart(mentions.dates), _ByStart(mentions.places), _ByStart(mentions.actors)
    # the article's cities in order, for "the city" — its dateline's too ("FALLUJAH, Iraq — forces
    # rolled into this war-battered city") — (is_modifier, the costlier test, last)
    cities = [
        p
        for p in places.items
        if (_narrative_city(p) or (p.role == "dateline" and p.lat is not None and p.geo_precision in ("city", "site")))
        and not is_modifier(text, p, actors.inside(p.start - MAX_ACTOR_CHARS, p.end + MAX_ACTOR_CHARS))
    ]
    city_starts = [p.start for p in cities]
    main_city_id = Counter(p.place_id for p in cities).most_common(1)[0][0] if cities else None
    for index, sentence in enumerate(mentions.sentences):
        if sentence.text.rstrip().endswith("?"):
            continue
        first = bisect.bisect_left(cue_starts, sentence.start)
        last = min(bisect.bisect_left(cue_starts, sentence.end), first + MAX_CUES_PER_SENTENCE)
        triggers = find_triggers(text, sentence.start, sentence.end, cue_matches[first:last])
        if any(t.cue.place_after for t in triggers):
            named = places.inside(sentence.start, sentence.end)
            triggers = [
                t
                for t in triggers
                if not t.cue.place_after or any(0 <= p.start - t.end <= PLACE_AFTER_CHARS for p in named)
            ]
        if not triggers:
            continue
        s_actors = actors.inside(sentence.start, sentence.end)
        s_dates = dates.inside(sentence.start, sentence.end)
        # (reference points too: choose_place takes one when nothing else is named)
        s_places = [
            p
            for p in places.inside(sentence.start, sentence.end)
            if (_choosable(p) or (p.role == "reference" and p.lat is not None)) and not is_modifier(text, p, s_actors)
        ]
        s_places = [p for p in s_places if not _locates_place_before(text, p, s_places)]
        n = 0
        anaphor_at = _city_anaphor(text, sentence.start, sentence.end)
        at = bisect.bisect_left(city_starts, anaphor_at.start() if anaphor_at else sentence.start)
        # "the city": the article's own city when it has been named, else the last city named
        # before "the city" (in this sentence too)
        named = cities[:at]
        previous_city = next((c for c in reversed(named) if c.place_id == main_city_id), None) or (
            named[-1] if named else None
        )
        for clause, clause_triggers in _group_by_clause(text, sentence, triggers, s_dates):
            kinds = split_by_kind(text, clause, clause_triggers)
            for (kind, kind_triggers), window in zip(kinds, kind_windows(text, clause, kinds), strict=False):
                candidate = _read_candidate(
                    text,
                    published,
                    sentence,
                    index,
                    n,
                    clause,
                    kind_triggers,
                    s_dates,
                    s_places,
                    s_actors,
                    kind,
                    window,
                    previous_city,
                )
                if candidate is not None:
                    candidates.append(candidate)
                    n += 1
    return candidates


# Kinds of event that one clause can report side by side as separate events: an operation's
# launch, its artillery fire and its air strikes. (A suicide bomber who "stormed" a checkpoint
# reports one bombing; an evacuation "under a deal" one agreement. Police who "killed one
# militant and arrested two more" fought and arrested: two events.)
SEPARATE_KINDS = ("launch", "battle", "air", "shelling", "arrest")
# Cues listed together name the means of one attack ("with snipers, roadside bombs and mortars").
LISTED = re.compile(r"^[\s,]*(?:and|or|as\s+well\s+as)?\s*(?:[\w\-]+\s+){0,2}$", re.IGNORECASE)


def _comma_phrase(text: str, clause: tuple[int, int], anchor: int) -> tuple[int, int]:
    """The stretch of the clause between the commas around the cue."""
    left = text.rfind(",", clause[0], anchor)
    right = text.find(",", anchor, clause[1])
    return (left + 1 if left >= 0 else clause[0]), (right if right >= 0 else clause[1])


def _since_when(text: str, mention: DateMention, published: date | None) -> DateMention:
    """ "since December, when it lost Ramadi": the date a "since" period opens with dates the event
    the following "when" tells; other mentions are returned as they are."""
    if not mention.text.lower().startswith("since ") or not SINCE_WHEN.match(text, mention.end):
        return mention
    anchors = find_dates(mention.text[len("since ") :], published=published)
    if not anchors or anchors[0].date_start is None:
        return mention
    anchor = anchors[0]
    return replace(
        mention, date_start=anchor.date_start, date_end=anchor.date_end, date_precision=anchor.date_precision
    )


def _kind_of(trigger: Trigger, text: str, clause: tuple[int, int]) -> str:
    """The kind of event a cue tells, for splitting a clause: its family as the clause's words refine
    it (data.coreference.FAMILY; "warplanes bombing" is an air strike), fighting and captures as one
    "battle", an offensive's launch apart."""
    if trigger.cue.launch:
        return "launch"
    family = family_of(*refine_kind(text, clause, trigger))
    return "battle" if family in ("clash", "territory") else family


def split_by_kind(
    text: str, clause: tuple[int, int], triggers: list[Trigger]
) -> list[tuple[str | None, list[Trigger]]]:
    """A clause's cues, one list per kind of event it reports, with that kind: ACLED codes an
    operation's launch, the artillery fire and the air strikes of one morning as three events.
    A cue listed right after another ("artillery shelling", "bombs and mortars") goes with it;
    generic cues ("killed"), cues naming support ("backed by air strikes") and cues of other
    kinds go with the first kind. (None: the clause reports one event.)"""
    kinds: dict[str, list[Trigger]] = {}
    rest: list[Trigger] = []
    previous: tuple[Trigger, str | None] | None = None
    for trigger in triggers:
        family = _kind_of(trigger, text, clause)
        if previous is not None and LISTED.match(text[previous[0].end : trigger.start]) and previous[1] is not None:
            kinds[previous[1]].append(trigger)
            previous = (trigger, previous[1])
            continue
        if family in SEPARATE_KINDS and not trigger.cue.generic and not _is_support(text, clause[0], trigger.start):
            kinds.setdefault(family, []).append(trigger)
            previous = (trigger, family)
        else:
            rest.append(trigger)
            previous = (trigger, None)
    if len(kinds) <= 1 or any(_kind_of(t, text, clause) == "bomb" for t in triggers):
        return [(None, triggers)]
    groups = [(family, members) for family, members in kinds.items()]
    first_family, first = groups[0]
    groups[0] = (first_family, sorted(first + rest, key=lambda t: t.start))
    return groups


def kind_windows(
    text: str, clause: tuple[int, int], kinds: list[tuple[str | None, list[Trigger]]]
) -> list[tuple[int, int]]:
    """Each kind's stretch of the clause: from where the previous kind's cues end (the clause's
    start for the first) to where the next kind's stretch starts."""
    if len(kinds) == 1:
        return [clause]
    firsts = [
        min(t.start for t in triggers if kind is None or _kind_of(t, text, clause) == kind) for kind, triggers in kinds
    ]
    order = sorted(range(len(kinds)), key=lambda i: firsts[i])
    windows: dict[int, tuple[int, int]] = {}
    for rank, i in enumerate(order):
        kind, triggers = kinds[i]
        own = [t for t in triggers if kind is None or _kind_of(t, text, clause) == kind]
        start = clause[0] if rank == 0 else windows[order[rank - 1]][1]
        end = clause[1] if rank == len(order) - 1 else firsts[order[rank + 1]]
        windows[i] = (start, max(end, max(t.end for t in own)))
    # (a kind's stretch starts where the previous one's cues end, so a modifier before a cue stays its own)
    for rank in range(1, len(order)):
        previous, current = order[rank - 1], order[rank]
        previous_end = max(
            t.end
            for t in kinds[previous][1]
            if kinds[previous][0] is None or _kind_of(t, text, clause) == kinds[previous][0]
        )
        windows[previous] = (windows[previous][0], min(windows[previous][1], firsts[current]))
        windows[current] = (min(previous_end, firsts[current]), windows[current][1])
    return [windows[i] for i in range(len(kinds))]


def _read_candidate(
    text: str,
    published: date | None,
    sentence: Sentence,
    index: int,
    n: int,
    clause: tuple[int, int],
    triggers: list[Trigger],
    s_dates: list[DateMention],
    s_places: list[PlaceMention],
    s_actors: list[ActorMention],
    kind: str | None = None,
    window: tuple[int, int] | None = None,
    previous_city: PlaceMention | None = None,
) -> Candidate | None:
    # The clause's main cue: the heaviest, longest one that is not support given to another
    # ("the operation began when SDF fighters, supported by coalition air strikes, moved in").
    # (of the kind it was split off for, when the clause reports several)
    # (a cue in a temporal phrase — "the fighting was over after a four-month assault" — tells
    # the background, not the clause's event)
    # (most clauses have one cue: it needs no weighing)
    trigger = (
        triggers[0]
        if len(triggers) == 1
        else max(
            triggers,
            key=lambda t: (
                kind is None or _kind_of(t, text, clause) == kind,
                not _is_support(text, clause[0], t.start),
                not TEMPORAL_PHRASE_BEFORE.search(text, max(clause[0], t.start - 40), t.start),
                t.cue.weight,
                t.end - t.start,
            ),
        )
    )
    anchor = trigger.start
    whole_sentence = clause == (sentence.start, sentence.end)

    # Date: the cue's own clause's ("…began an offensive Monday to recapture Mosul, which was
    # overrun in 2014": "overrun" is not dated Monday), else its group's, else the sentence's.
    own_clause = next(((a, b) for a, b in clauses_of(text, clause[0], clause[1]) if a <= anchor < b), clause)
    c_dates = (
        _inside(s_dates, *own_clause) or _inside(s_dates, *clause) or (s_dates if whole_sentence or n == 0 else [])
    )
    c_dates = [d for d in c_dates if not in_temporal_adjunct(text, clause, anchor, d.start)]
    # (a date in the cue's own phrase first: "Qayara, a town retaken from ISIS months ago, where
    # forces on Thursday were still …" was retaken months ago, not on Thursday)
    phrase = _comma_phrase(text, clause, anchor)
    c_dates = [d for d in c_dates if phrase[0] <= d.start and d.end <= phrase[1]] or c_dates
    c_dates = [_since_when(text, d, published) for d in c_dates]
    if any(published and d.date_start and d.date_start > published for d in c_dates) and not any(
        published and d.date_start and d.date_start <= published for d in c_dates
    ):
        return None  # only a future date: a forecast, not a report
    offset_date = _offset_from_anchor(text, s_dates, anchor)
    chosen_date = offset_date or choose_date(text, c_dates, published, anchor)
    statement_date = None
    if chosen_date is not None and offset_date is None and is_statement_date(text, chosen_date):
        # "killed 43 this week, an official said on Thursday": the event may be older than the
        # statement; used only when nothing else dates it (see assemble)
        statement_date, chosen_date = chosen_date, None
    said_on = (
        [d for d in s_dates if d.date_end is not None and is_statement_date(text, d)] if chosen_date is not None else []
    )
    if chosen_date is not None and said_on and chosen_date.date_end > said_on[0].date_end >= chosen_date.date_start:
        # what was reported on Friday happened by Friday ("killed this week, Carter said on Friday")
        chosen_date = replace(chosen_date, date_end=said_on[0].date_end)
    present_perfect = _search_folded(PRESENT_PERFECT, text, clause[0], clause[1]) is not None
    if chosen_date is None and published and present_perfect:
        chosen_date = _publication_date(published, sentence)  # news as of publication ("have taken")
        if _search_folded(RECENT_NEWS, text, clause[0], clause[1]) is None:
            # "the battle under way", "fighting continues": going on now, begun at some time before
            chosen_date = replace(chosen_date, text=ONGOING)

    # Place: the cue's local clause, the clause, the sentence; a place the forces head for or a
    # distance is measured from only when "the town" does not say where instead.
    anaphor = _city_anaphor(text, sentence.start, sentence.end)  # (cached per sentence)
    located = s_places
    if anaphor and previous_city is not None:
        located = [p for p in s_places if not REFERENCE_POINT_BEFORE.search(text, max(0, p.start - 60), p.start)]
    place = (
        choose_place(text, _inside(located, *local_clause(text, clause[0], clause[1], anchor)), anchor)
        or choose_place(text, _inside(located, *clause), anchor)
        or choose_place(text, located, anchor)
    )
    if anaphor is not None and previous_city is not None and -1 <= anaphor.start() - trigger.end <= OBJECT_GAP:
        place = None  # "took over the city": the cue's own object says where, whatever else is named
    if place is not None and anaphor and place.geo_precision in ("country", "region"):
        place = None  # "Iraq's second-largest city" names a city of Iraq, not Iraq
    place_basis, place_text, place_span = (
        "sentence",
        place.text if place else "",
        (place.start, place.end) if place else None,
    )
    if place is None and anaphor and previous_city is not None:
        # "the city", "Iraq's second-largest city": the last city the article named
        place, place_basis, place_text, place_span = previous_city, "anaphora", anaphor.group(0), anaphor.span()
    quoted = is_quoted(text, sentence.start, trigger.start)
    # (a clause that reports several kinds of event gives each kind the actors of its own stretch)
    sides = read_sides(
        text, window or clause, (sentence.start, sentence.end), (trigger.start, trigger.end), s_actors, quoted=quoted
    )
    if window is not None and window != clause and not sides.actor1 and not sides.actor2:
        # "Operation X began, with Turkish artillery … and coalition warplanes …": the launch's
        # sides are those of the kinds that tell how it began
        sides = read_sides(
            text, clause, (sentence.start, sentence.end), (trigger.start, trigger.end), s_actors, quoted=quoted
        )
    event_type, sub_event_type = refine_kind(text, clause, trigger)
    # (a kind split off a clause reads the deaths of its own stretch: "killed one militant …, while
    # two others were arrested" — the arrests killed no one)
    fatalities = read_fatalities(text, *(window or clause))
    if fatalities[3] is None and n == 0 and not whole_sentence and window is None:
        fatalities = read_fatalities(text, sentence.start, sentence.end)
    consequence = family_of(event_type, sub_event_type) == "destruction" and bool(
        CAUSED_BY_AFTER.match(text, trigger.end)
    )
    return Candidate(
        sentence_index=index,
        sentence=sentence,
        clause=clause,
        n=n,
        triggers=triggers,
        trigger=trigger,
        consequence=consequence,
        date=chosen_date,
        statement_date=statement_date,
        place=place,
        place_text=place_text,
        place_span=place_span,
        place_basis=place_basis,
        sides=sides,
        fatalities=fatalities,
        goal=next((p for p in s_places if _choosable(p) and is_goal(text, p)), None),
        quoted=quoted,
        present_perfect=present_perfect,
        city_anaphor=anaphor.span() if anaphor else None,
        names=proper_names(text, clause, sentence.start, [*s_dates, *s_places, *s_actors]),
        event_type=event_type,
        sub_event_type=sub_event_type,
    )


# Damage done by an event the words after it name ("destroyed in the explosion", "damaged by
# the strike"): ACLED codes the event, not the damage apart.
CAUSED_BY_AFTER = re.compile(
    r"\s+(?:in|by|during)\s+(?:the|this|that|an?|its|their)\s+(?:[\w\-]+\s+){0,2}?(?:explosions?|blasts?|attacks?|"
    r"bombings?|bombs?|strikes?|airstrikes?|air\s+strikes?|raids?|shelling|fighting|clashes|assault)\b",
    re.IGNORECASE,
)


# Crowds: when they act, the event is a protest or, with violence, a riot (ACLED).
CROWD = re.compile(
    r"\b(?:protesters|protestors|demonstrators|rioters|mobs?|crowds?|protests?|demonstrations?)\b", re.IGNORECASE
)
CROWD_VIOLENCE = re.compile(
    r"\b(?:storm(?:ed|ing)?|breach(?:ed|ing)?|torch(?:ed|ing)|burn(?:ed|t|ing)|"
    r"clash(?:ed|es)?|violent|violence|threw|stones|rocks|attack(?:ed|ing)?|riot(?:s|ed|ing)?|"
    r"ransack(?:ed|ing)?|set\s+fire)\b",
    re.IGNORECASE,
)


def refine_kind(text: str, clause: tuple[int, int], trigger: Trigger) -> tuple[str, str]:
    """The cue's event type and sub-type, refined by the clause's words:
    - a crowd that acts: protesters who storm a building riot, otherwise they protest;
    - a bombing is an air strike when aircraft are about ("jets' bombing"), else a bomb; "raids
      on" or "strikes on" with no aircraft about are an attack on the ground;
    - people driven out of their homes ("forced 200 families out of Samali", "families were
      forced out") are not territory taken: violence against civilians;
    - deaths with no other kind of event told, of people rather than fighters, are an attack
      on civilians ("a gunman killed 49 people")."""
    cue = trigger.cue
    # (the clause's patterns run case-sensitively over the folded stretch: the same matches, faster)
    stretch = fold_for_prefilter(text[clause[0] : clause[1]])
    if cue.event_type in ("Protests", "Riots", "Battles"):
        before = fold_for_prefilter(text[clause[0] : trigger.end])
        if _FOLDED[CROWD].search(before):
            if _FOLDED[CROWD_VIOLENCE].search(stretch):
                return "Riots", "Violent demonstration"
            return "Protests", "Peaceful protest"
    if cue.sub_event_type == "Remote explosive/landmine/IED" and _FOLDED[AIRCRAFT].search(stretch):
        return "Explosions/Remote violence", "Air/drone strike"
    if (
        cue.weight < 1.0
        and cue.sub_event_type == "Air/drone strike"
        and not _FOLDED[AIRCRAFT].search(stretch)
        and RAIDS_ON.match(text, trigger.start)
    ):
        # "strikes on police", "raids on safe houses": with no aircraft about, an attack on the ground
        return "Battles", "Armed clash"
    if cue.sub_event_type == "Overtakes territory" and (
        PEOPLE_DRIVEN_OUT.search(text, trigger.start, trigger.end)
        or PEOPLE_PASSIVE_BEFORE.search(text, max(clause[0], trigger.start - 60), trigger.start)
    ):
        return "Violence against civilians", "Attack"
    if (
        cue.generic
        and cue.event_type == "Battles"
        and _FOLDED[VICTIMS].search(stretch)
        and not _FOLDED[FIGHTERS].search(stretch)
    ):
        return "Violence against civilians", "Attack"
    return cue.event_type, cue.sub_event_type


AIRCRAFT = re.compile(
    r"\b(?:air|aerial|aircraft|warplanes?|war\s+planes?|jets?|planes?|helicopters?|drones?|"
    r"sorties?|bombers?\s+(?:flew|struck))\b",
    re.IGNORECASE,
)
RAIDS_ON = re.compile(r"(?:raids?|strikes?)\s+(?:on|against)\b", re.IGNORECASE)
PEOPLE_DRIVEN_OUT = re.compile(
    r"\b(?:families|residents|civilians|people|villagers|inhabitants|thousands|hundreds)\b", re.IGNORECASE
)
# "families were forced out of villages": the people driven out are the passive's subject.
PEOPLE_PASSIVE_BEFORE = re.compile(
    r"\b(?:families|residents|civilians|people|villagers|inhabitants|thousands|hundreds)\b(?:\s+[\w\-]+){0,3}?\s+"
    r"(?:were|was|have\s+been|had\s+been|are\s+being|being)\s+$",
    re.IGNORECASE,
)
VICTIMS = re.compile(
    r"\b(?:people|civilians|worshippers|children|women|residents|villagers|shoppers|tourists|"
    r"passers-?by|guests|revellers|pilgrims|mourners|students|patients|journalists|aid\s+workers)\b",
    re.IGNORECASE,
)
FIGHTERS = re.compile(
    r"\b(?:soldiers?|troops|fighters|militants|jihadists|insurgents|rebels|police(?:men)?|officers|"
    r"gunmen|attackers|bombers?|forces|militiamen|guards)\b\s+(?:were|was|had\s+been|have\s+been)\s+"
    r"(?:\w+\s+)?(?:killed|dead|slain)",
    re.IGNORECASE,
)


# Capitalised words that are not names of a particular person or thing.
NOT_NAMES = frozenset(
    """
the a an and but or in on at of for to by with from as this that these those it its he she they we
his her their our there here when while after before since during however meanwhile earlier later
mr mrs ms dr gen lt col maj capt sgt brig adm president prime minister ministry general lieutenant
colonel major captain sergeant spokesman spokeswoman commander chief secretary officials official
army forces force police military government state news agency reuters associated press afp
monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december islamic muslim muslims christian shiite shi'ite sunni kurdish
arab arabs kurds western eastern northern southern central city town province district
""".split()
)
# (No word character before the capital: written after it, so that the engine can skip from capital
# to capital; a pattern that opens with \b is tried at every position.)
NAME_WORD = re.compile(r"[A-Z](?<!\w.)[a-z]+(?:[\-'’][A-Za-z]+)*\b")


def proper_names(text: str, clause: tuple[int, int], sentence_start: int, mentions: list) -> frozenset[str]:
    """Capitalised words of the clause that name someone or something particular ("Wahib",
    "Sarinah"): not the sentence's first word, not inside a date, place or actor mention, not a
    title or a common capitalised word. Two clauses that share one tell of the same thing."""
    names = set()
    for match in NAME_WORD.finditer(text, clause[0], clause[1]):
        word = match.group(0)
        if match.start() == sentence_start or len(word) < 4 or word.lower() in NOT_NAMES:
            continue
        if any(m.start <= match.start() < m.end for m in mentions):
            continue
        names.add(word)
    return frozenset(names)


# Sub-event types a more specific clause may give an event told first in general words, by
# family: a bombing told as "the blast" and then as "a suicide car bomb" is a suicide bombing.
SPECIFICITY = {
    "Suicide bomb": 3,
    "Remote explosive/landmine/IED": 2,
    "Government regains territory": 3,
    "Non-state actor overtakes territory": 3,
    "Overtakes territory": 3,
    "Armed clash": 1,
}


TEMPORAL_PHRASE_BEFORE = re.compile(
    r"\b(?:after|following|since|during|before|ending|ended)\s+(?:an?\s+|the\s+)?"
    r"(?:[\w\-]+\s+){0,2}$",
    re.IGNORECASE,
)
# A cue naming the support given to the side that acts, not the act ("supported by air strikes").
SUPPORT_BEFORE = re.compile(
    r"\b(?:supported|backed|aided|assisted|covered|helped)\s+by\s+(?:[\w\-.'’]+\s+){0,4}$|"
    r"\bwith\s+(?:the\s+)?(?:\w+\s+)?(?:help|support|backing|cover)\s+(?:of|from)\s+(?:[\w\-.'’]+\s+){0,4}$|"
    r"\bunder\s+(?:the\s+)?cover\s+of\s+(?:[\w\-.'’]+\s+){0,4}$",
    re.IGNORECASE,
)


def _is_support(text: str, clause_start: int, cue_start: int) -> bool:
    return bool(SUPPORT_BEFORE.search(text, max(clause_start, cue_start - 60), cue_start))


def _head(members: list[Candidate]) -> Candidate:
    """The clause that tells the event most fully: the outlet's words rather than a quotation, a
    specific cue, a date or a place of its own, its sides; the earliest on a tie."""

    def fullness(c: Candidate) -> tuple:
        return (
            not c.quoted,
            not c.generic,
            (c.date is not None) + (c.place is not None),
            bool(c.sides.actor1) + bool(c.sides.actor2),
            -c.sentence_index,
        )

    return max(members, key=fullness)


def assemble(article: Article, mentions: ArticleMentions, folds: list[Fold], context: SideContext) -> list[Event]:
    """One Event per fold: fields from its clauses, what they lack from the narrative."""
    text = article.text
    published = article.published
    near = _ByStart(mentions.actors)
    article_place = main_place(
        [
            p
            for p in mentions.places
            if _narrative_city(p)
            and not is_modifier(text, p, near.inside(p.start - MAX_ACTOR_CHARS, p.end + MAX_ACTOR_CHARS))
        ]
    )
    events: list[Event] = []
    # (sentence index, place) of every clause whose event has one, for the narrative context
    placed: list[tuple[int, PlaceMention]] = sorted(
        ((m.sentence_index, m.place) for f in folds for m in f.members if m.place is not None), key=lambda p: p[0]
    )
    for fold_ in sorted(folds, key=lambda f: (f.members[0].sentence_index, f.members[0].clause[0])):
        members = fold_.members
        head = _head(members)
        first = members[0]
        index = first.sentence_index

        # Date: the head's own, another clause's own, then the narrative's.
        # Date: words that date it (the head's, else the narrowest of the other clauses'), then
        # the publication day its tense implies ("have taken"), then the day it was reported.
        told = [m.date for m in members if m.date is not None and m.date.basis != "publication"]
        implied = [m.date for m in members if m.date is not None and m.date.basis == "publication"]
        statement_dates = [m.statement_date for m in members if m.statement_date is not None]
        head_told = head.date if head.date is not None and head.date.basis != "publication" else None
        # (a narrower date another clause gives inside the head's refines it: "this week" …
        # "Tuesday's attack")
        inside = [
            d
            for d in told
            if head_told is None or (head_told.date_start <= d.date_start and d.date_end <= head_told.date_end)
        ]
        chosen_date = (
            (min(inside, key=lambda d: (d.date_end - d.date_start).days) if inside else None)
            or head_told
            or (implied[0] if implied else None)
            or head.statement_date
            or (statement_dates[0] if statement_dates else None)
        )
        date_basis = chosen_date.basis if chosen_date else "none"
        defaulted = chosen_date is None
        if chosen_date is None and published:
            # A report with no date of its own and none nearby happened by publication: ACLED codes
            # the report's date then; date_basis says it was defaulted.
            chosen_date, date_basis = _publication_date(published, first.sentence), "publication"

        # Place: the head's own — or a town another telling names inside the head's region ("in
        # Anbar" … "in Rutba") —, another telling's, then the narrative's.
        own_places = [m for m in members if m.place is not None]
        source = (
            head
            if head.place is not None
            else (min(own_places, key=lambda m: place_level(m.place)) if own_places else None)
        )
        if source is not None and source.place.geo_precision in ("region", "country"):
            within = [
                m
                for m in own_places
                if place_level(m.place) < place_level(source.place) and _lies_in(m.place, source.place)
            ]
            source = min(within, key=lambda m: place_level(m.place)) if within else source
        place, place_basis, place_text, place_span = None, "none", "", None
        goal = next((m.goal for m in members if m.goal is not None), None)
        if source is not None:
            place, place_basis, place_text, place_span = (
                source.place,
                source.place_basis,
                source.place_text,
                source.place_span,
            )
        elif goal is not None:
            place, place_basis, place_text, place_span = goal, "sentence", goal.text, (goal.start, goal.end)
        else:
            if (previous := _last_before(placed, index)) is not None and index - previous[0] <= CONTEXT_SENTENCES:
                place, place_basis = previous[1], "context"
                if (
                    place.geo_precision in ("region", "country")
                    and article_place is not None
                    and _lies_in(article_place, place)
                ):
                    place, place_basis = article_place, "article"  # the article's town in that region
            elif article_place is not None:
                place, place_basis = article_place, "article"
        if place is not None:
            bisect.insort(placed, (index, place), key=lambda p: p[0])

        # Sides: the head's, completed from the other clauses.
        actor1 = list(head.sides.actor1) or next((list(m.sides.actor1) for m in members if m.sides.actor1), [])
        actor2 = list(head.sides.actor2) or next((list(m.sides.actor2) for m in members if m.sides.actor2), [])
        actor2 = [a for a in actor2 if a not in actor1]
        typed = head if not head.generic else next((m for m in members if not m.generic), head)
        event_type = typed.event_type
        sub_event_type = max(
            (m.sub_event_type for m in members if m.event_type == event_type and m.family == typed.family),
            key=lambda s: SPECIFICITY.get(s, 0),
            default=typed.sub_event_type,
        )
        country = place.country if place else ""
        terror = any(_search_folded(TERROR, text, *m.clause) for m in members)
        sources = list(dict.fromkeys(a for m in ([head] + members) for a in m.sides.sources()))
        named = {a for m in members for a in m.sides.actor1 + m.sides.actor2} | {
            mention.actor for m in members for mention, _ in m.sides.left_out
        }
        actor1, actor2 = complete_sides(
            actor1, actor2, event_type, sub_event_type, country, context, terror=terror, sources=sources, named=named
        )
        sub_event_type = territory_sub_type(sub_event_type, actor1, actor2, country)

        fatalities = _merged_fatalities([m.fatalities for m in members])

        read_actors = {a for m in members for a in m.sides.actor1 + m.sides.actor2}
        row_features = features(
            cue_weight=typed.trigger.cue.weight,
            generic_cue=typed.generic,
            date_basis=date_basis,
            statement_date=chosen_date is not None
            and chosen_date is (head.statement_date or (statement_dates[0] if statement_dates else None)),
            date_defaulted=defaulted,
            date_days=(chosen_date.date_end - chosen_date.date_start).days if chosen_date else None,
            days_before=(published - chosen_date.date_end).days if chosen_date and published else None,
            place_basis=place_basis,
            geo_precision=place.geo_precision if place else "",
            actor1=bool(actor1),
            actor2=bool(actor2),
            told=len({m.sentence_index for m in members}),
            inferred_actors=sum(
                1 for a in actor1 + actor2 if a not in read_actors and specialise(a, None) not in read_actors
            ),
            quoted=head.quoted,
            position=first.sentence_index / max(1, len(mentions.sentences)),
            deaths=fatalities[2] is not None or fatalities[1] is not None,
        )

        spans: list[dict] = []
        for m in members:
            spans.extend({"kind": "trigger", "start": t.start, "end": t.end} for t in m.triggers)
            spans.extend({"kind": "actor", "start": a.start, "end": a.end} for a in m.sides.used)
            if m.fatalities[3] is not None:
                spans.append({"kind": "fatalities", "start": m.fatalities[3][0], "end": m.fatalities[3][1]})
        if chosen_date is not None and date_basis in ("explicit", "relative") and chosen_date.end > chosen_date.start:
            spans.append({"kind": "date", "start": chosen_date.start, "end": chosen_date.end})
        if place_span is not None:
            spans.append({"kind": "place", "start": place_span[0], "end": place_span[1]})
        spans = sorted(
            {(s["kind"], s["start"], s["end"]): s for s in spans}.values(),
            key=lambda s: (s["start"], s["end"], s["kind"]),
        )
        sentences = sorted({(m.sentence.start, m.sentence.end) for m in members})

        events.append(
            Event(
                event_id=_event_id(article.article_id, head.sentence.start, head.sentence.end, head.n),
                article_id=article.article_id,
                excerpt=head.sentence.text,
                excerpt_start=head.sentence.start,
                excerpt_end=head.sentence.end,
                title=article.title,
                outlet=article.outlet,
                url=article.url,
                published=published,
                date_start=chosen_date.date_start if chosen_date else None,
                date_end=chosen_date.date_end if chosen_date else None,
                date_precision=chosen_date.date_precision if chosen_date else "unknown",
                date_text=chosen_date.text if chosen_date and date_basis != "publication" else "",
                date_basis=date_basis,
                place=place.place if place else "",
                place_text=place_text,
                place_id=place.place_id if place else "",
                country=country,
                admin1=place.admin1 if place else "",
                lat=place.lat if place else None,
                lon=place.lon if place else None,
                geo_precision=place.geo_precision if place else "",
                actors=list(dict.fromkeys(actor1 + actor2)),
                actor1=actor1[0] if actor1 else "",
                actor2=actor2[0] if actor2 else "",
                event_type=event_type,
                sub_event_type=sub_event_type,
                fatalities=fatalities[0],
                fatalities_low=fatalities[1],
                fatalities_high=fatalities[2],
                spans=spans,
                mentions=[{"start": s, "end": e} for s, e in sentences],
                confidence=confidence(row_features),
                features=row_features,
            )
        )
    return events


def _lies_in(town: PlaceMention, area: PlaceMention) -> bool:
    """Whether a town lies in a region or country: the same country, and for a region the same
    first-level division (or, for a region without one, "northern Syria", within 250 km)."""
    if not town.country or town.country != area.country:
        return False
    if area.geo_precision == "country":
        return True
    if area.admin1 and town.admin1:
        return same_place(town, area) or town.admin1 == area.admin1
    return town.lat is not None and area.lat is not None and distance_km(town, area) <= REGION_KM


def _last_before(items: list[tuple[int, object]], index: int) -> tuple[int, object] | None:
    """The last (sentence index, value) before sentence `index`, or None."""
    at = bisect.bisect_left(items, index, key=lambda item: item[0])
    return items[at - 1] if at else None


def _merged_fatalities(figures: list[tuple]) -> tuple[int | None, int | None, int | None]:
    """One event's deaths from all the clauses that give a figure: the same figure, or when sources
    differ the lower as best, the smallest as low and the largest as high (ACLED's conservative
    reading)."""
    read = [f[:3] for f in figures if f[3] is not None]
    if not read:
        return None, None, None
    if len(set(read)) == 1:
        return read[0]
    bests = [f[0] for f in read if f[0] is not None]
    lows = [f[1] for f in read if f[1] is not None]
    highs = [f[2] for f in read if f[2] is not None]
    best = min(bests) if bests else None
    low = min(lows) if lows else None
    high = max(highs) if highs and len(highs) == len(read) else None
    return best, low, high


@dataclass(frozen=True)
class SideContext:
    """What the whole article says about who fights whom, for the sides a clause leaves out."""

    designated: str  # the designated group it names most ("the militants" are them)
    armed: str  # the non-state armed group it names most
    counts: tuple[tuple[str, int], ...]  # named actors, most mentioned first

    @classmethod
    def of(cls, mentions: list[ActorMention]) -> SideContext:
        counts = Counter(m.actor for m in mentions if not is_generic(m.actor))
        return cls(designated_group(mentions), main_armed_group(mentions), tuple(counts.most_common()))

    def enemy(self) -> str:
        """The side the article's forces fight: its designated group, else its armed group."""
        return self.designated or self.armed

    def main_force(self, country: str, besides: str) -> str:
        """The article's most mentioned force (not `besides`, not a government, not civilians)
        of the event's country or foreign forces there, for a taker the text leaves unnamed."""
        for actor, _ in self.counts:
            kind = actor_type(actor)
            if actor == besides or is_designated(actor) or actor.startswith("Government of"):
                continue
            if kind in (STATE_FORCES, *NON_STATE_ARMED) and (not country or actor_country(actor) in ("", country)):
                return actor
        return ""


# Words that call an attack terrorism: its unnamed perpetrator is a designated group.
TERROR = re.compile(r"\b(?:terror(?:ist|ism)?|jihadist|suicide\s+(?:bomb|attack))", re.IGNORECASE)
# Event types whose sides are two forces: one missing is the article's other side.
FIGHTS = {
    ("Battles", "Armed clash"),
    ("Battles", "Overtakes territory"),
    ("Battles", "Government regains territory"),
    ("Battles", "Non-state actor overtakes territory"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
}
BOMBINGS = {"Suicide bomb", "Remote explosive/landmine/IED"}


def complete_sides(
    actor1: list[str],
    actor2: list[str],
    event_type: str,
    sub_event_type: str,
    country: str,
    context: SideContext,
    *,
    terror: bool = False,
    sources: list[str] = (),
    named: set[str] = frozenset(),
) -> tuple[list[str], list[str]]:
    """Sides the clause leaves to its article, then generic names made the country's:
    - an unnamed armed group ("the militants", "gunmen", "the group") is the designated group
      the article names most, else its main armed group;
    - a government that fights ("Abadi launched the offensive") fights with its forces;
    - a fight with one side named has the article's other side as its other: the designated
      group against the article's forces, or the force it names most in that country against
      the designated group;
    - a bombing or a "terrorist attack" with no perpetrator named is the designated group's when
      the article names one; so is violence against civilians whose clauses (`named`: every
      actor they mention) do not name that group in another role ("executed over suspected ties
      to ISIS");
    - a fight told with no acting side by a government ("Erdogan said an offensive was launched")
      is that government's forces';
    - civilians are the second side of violence against them, and no side of a battle; arrests
      are made by police."""
    enemy = context.enemy()
    unnamed = specialise(UNIDENTIFIED_ARMED_GROUP, country)

    def resolve(actor: str) -> str:
        if enemy and actor.startswith("Unidentified Armed Group"):
            return enemy
        if actor.startswith("Government of") and (event_type, sub_event_type) in FIGHTS:
            return specialise("Military Forces of {country}", actor_country(actor)) or actor
        return specialise(actor, country)

    actor1 = list(dict.fromkeys(resolve(a) for a in actor1))
    actor2 = [a for a in dict.fromkeys(resolve(a) for a in actor2) if a not in actor1]
    fight = (event_type, sub_event_type) in FIGHTS
    if fight and not actor1:
        government = next((a for a in sources if a.startswith("Government of")), None)
        if government is not None:
            actor1 = [resolve(government)]
    civilians = [a for a in actor1 + actor2 if actor_type(a) == "Civilians"]
    if event_type == "Battles" and civilians:
        actor1 = [a for a in actor1 if a not in civilians]
        actor2 = [a for a in actor2 if a not in civilians]
    if event_type == "Violence against civilians" and civilians:
        actor1 = [a for a in actor1 if a not in civilians]
        actor2 = actor2 + [a for a in civilians if a not in actor2]
    if fight and enemy:
        if actor1 and not actor2 and enemy not in actor1 and not any(is_designated(a) for a in actor1):
            actor2 = [enemy]
        elif not actor1 and enemy in actor2:
            force = context.main_force(country, enemy)
            actor1 = [force] if force else []
    if (
        not actor1
        and context.designated
        and (
            sub_event_type in BOMBINGS
            or terror
            or (event_type == "Violence against civilians" and context.designated not in named)
        )
    ):
        actor1 = [context.designated]
    if event_type == "Violence against civilians" and not any(actor_type(a) == "Civilians" for a in actor2):
        actor2 = actor2 + [specialise("Civilians ({country})", country)]
    if sub_event_type == "Arrests" and not actor1:
        actor1 = [specialise("Police Forces of {country}", country)]
    actor1 = [unnamed if a == UNIDENTIFIED_ARMED_GROUP else a for a in actor1]
    return actor1, [a for a in actor2 if a not in actor1]


def territory_sub_type(sub_event_type: str, actor1: list[str], actor2: list[str], country: str) -> str:
    """A change of control: "Government regains territory" when the side that took it is the
    state's forces (or the side that lost it is a non-state group and no taker is named);
    otherwise "Non-state actor overtakes territory"."""
    if sub_event_type != "Overtakes territory":
        return sub_event_type
    taker = actor1[0] if actor1 else ""
    if taker:
        return (
            "Government regains territory"
            if actor_type(taker, country) in STATE_ACTOR_TYPES
            else "Non-state actor overtakes territory"
        )
    loser = actor2[0] if actor2 else ""
    if loser and actor_type(loser) in NON_STATE_ARMED:
        return "Government regains territory"
    return "Non-state actor overtakes territory"


# The case-insensitive patterns searched often, as case-sensitive patterns for folded text (the
# folded article, or a folded stretch of it: see fold_for_prefilter).
_FOLDED = {
    pattern: folded_pattern(pattern)
    for pattern in (
        *FATALITY_PATTERNS,
        CITY_ANAPHORA,
        PRESENT_PERFECT,
        RECENT_NEWS,
        CROWD,
        CROWD_VIOLENCE,
        AIRCRAFT,
        VICTIMS,
        FIGHTERS,
        TERROR,
    )
}
