"""Stage 6: decide which sentences report conflict events and build one Event per report.

For each narrative sentence:
  1. find event cues (reference/event_cues.csv: regex -> ACLED event_type / sub_event_type);
     drop cues in forecasts, questions, negations and purpose clauses ("to retake");
  2. cut the sentence into clauses at relative/contrast boundaries (", which", "; ", ", while");
     a clause with its own cue and its own date is a second event ("… the end of a nine-month
     offensive to retake the city, which ISIS stormed in 2014");
  3. give each event the date, place and actors of its clause (else of its sentence), then of its
     narrative context: a dateless report in the present perfect is dated by publication; otherwise
     it inherits the last dated event within CONTEXT_SENTENCES; a placeless one inherits the last
     placed event's place (or the article's main place);
  4. read fatalities (deaths only: "up to 300 militants were holding out" is not a death count);
  5. fill actor1/actor2, highlight spans, a confidence and a stable event_id.
"""

from __future__ import annotations

import bisect
import csv
import hashlib
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from pathlib import Path

from data.actors import actor_type, with_parents
from data.dates import (find_all, finditer_from, fold_article, folded_pattern, is_offset_reference, is_word_char,
                        prefix_tree)
from data.eventness import non_event_reason
from data.schema import ActorMention, Article, DateMention, Event, PlaceMention, Sentence

EVENT_CUES_CSV = Path(__file__).parent / "reference" / "event_cues.csv"

# How far back (in sentences) a dateless or placeless report may borrow from the narrative.
# Three covers "Earlier on Tuesday, … . Reuters reported … . 22 were killed …" without reaching
# into a different episode of a long article.
CONTEXT_SENTENCES = 3
# Sentences at the top of an article that make up its lead (after title lines and bylines).
LEAD_SENTENCES = 2
# Clause boundaries inside a sentence (kept short: over-splitting scatters one event's details).
CLAUSE_BOUNDARY = re.compile(r";\s|,\s+(?:which|who|while|whereas|where)\s|\s[—–]\s|,\s+but\s")
# A local clause (see local_clause) is also cut before a subordinator, with or without a comma:
# ",?" + SUBORDINATOR, written as two alternatives (the same matches), which the engine tries
# faster than a leading optional comma at every position.
SUBORDINATOR = r"\s(?:after|before|when|as|since|because|although|until|whereas)\s"
LOCAL_BOUNDARY = re.compile(CLAUSE_BOUNDARY.pattern + "|," + SUBORDINATOR + "|" + SUBORDINATOR)
# Perfect or present tense in the clause: the report is news as of publication.
PRESENT_PERFECT = re.compile(
    r"\b(?:has|have|'ve|had)\s+(?:now\s+|also\s+|officially\s+|finally\s+|reportedly\s+|already\s+|just\s+)?"
    r"(?:been\s+)?\w+(?:ed|en|wn|ght|ne|id|ft|un|ung|ost|ept|lt|ld|nt|ot|ut)\b|"
    r"\b(?:is|are)\s+(?:now\s+)?(?:under\s+way|underway|over|finished|\w+ing)\b|"
    r"\b(?:begins|starts|continues|ends|says|said\s+(?:on\s+)?(?:today|Monday|Tuesday|Wednesday|Thursday|"
    r"Friday|Saturday|Sunday))\b",
    re.IGNORECASE,
)
# "the city", "Iraq's second-largest city": a city named earlier in the article.
CITY_ANAPHORA = re.compile(
    r"\b(?:the\s+(?:city|town|village)(?:'s)?|(?:\w+'s\s+)?(?:second|third)?-?(?:largest|biggest)\s+city|"
    r"the\s+(?:provincial|regional)\s+capital)\b",
    re.IGNORECASE,
)
# Every match of CITY_ANAPHORA has one of these nouns (in lower case).
_CITY_ANAPHORA_NOUNS = ("city", "town", "village", "capital")
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "a dozen": 12, "a hundred": 100, "one hundred": 100,
}
# Vague counts give a lower bound only: the plural means at least two of the unit.
VAGUE_COUNTS = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000, "several": 3}
# A counted number: digits (with thousands commas) or a number word.
_COUNTED = r"\d{1,3}(?:,\d{3})+|\d+|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
NUMBER = r"(?P<num>" + _COUNTED + "|" + "|".join(VAGUE_COUNTS) + r")"
# The upper figure of a range ("between 10 and 15"): counted numbers only, no vague word.
EXACT_NUMBER = r"(?P<num2>" + _COUNTED + r")"
QUALIFIER = r"(?P<qual>at\s+least|up\s+to|more\s+than|over|nearly|almost|about|around|some|as\s+many\s+as|an\s+estimated|roughly)?\s*"
DEATH = r"(?:killed|dead|died|slain|executed|massacred|beheaded|murdered|lost\s+their\s+lives|perished)"
# Every fatality pattern needs one of these words: a cheap test before the costly patterns.
# (Both tests are written as trees of the words' letters, which the engine tries faster than a
# list of alternatives at every position.)
DEATH_HINT = re.compile(prefix_tree(
    "kill dead died death slain execut massacr behead murder lives perish toll bodies fatalit".split()))
# Every fatality pattern needs a count too: a digit or a number word (NUMBER), tested cheaply.
NUMBER_HINT = re.compile(r"\d|" + prefix_tree([*NUMBER_WORDS, *VAGUE_COUNTS]))
# After a count: up to three words, then a death word ("people were reportedly killed").
COUNT_THEN_DEATH = (r"(?:\s+(?!and\b|or\b|wounded\b|injured\b)[\w\-]+){0,3}?\s+(?:(?:were|was|have\s+been|had\s+been|are|been)\s+)?"
                    r"(?:(?:reportedly|reported|confirmed|believed|also|all|later)\s+)?" + DEATH + r"\b")
# Two figures as a range: "between 10 and 15", "10 to 15", "10-15".
RANGE = (r"(?P<between>between\s+)?" + NUMBER + r"\s*(?(between)(?:and|to)|(?:to|-|\u2013))\s*"
         + EXACT_NUMBER)
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
    re.compile(r"\b(?:death\s+toll|toll)\b(?:\s+\w+){0,4}?\s+(?:to|of|at|reached|is|was)\s+" + QUALIFIER + NUMBER + r"\b", re.IGNORECASE),
    # "40 deaths"
    re.compile(QUALIFIER + NUMBER + r"\s+(?:deaths|fatalities|bodies)\b", re.IGNORECASE),
]
PRECISION_RANK = {"day": 0, "week": 1, "part": 2, "month": 3, "quarter": 4, "season": 4, "half": 5,
                  "year": 6, "range": 7, "unknown": 9}
STATE_ACTOR_TYPES = {"State forces"}
# Prepositions that make an actor an adjunct rather than the subject of the cue.
ADJUNCT_BEFORE = re.compile(r"\b(?:by|with|against|from|on|for|to)\s+(?:the\s+)?$", re.IGNORECASE)
# Confidence lost by a report that is a quotation of someone's words.
QUOTED_PENALTY = 0.15
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
    r"near|outside|close\s+to|(?:km|kilometres|kilometers|miles)\s+(?:from|of))\s+(?:the\s+)?$",
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


@dataclass
class _Context:
    """What the narrative has established so far: the last event's date and place."""

    date: DateMention | None = None
    date_sentence: int = -99
    place: PlaceMention | None = None
    place_sentence: int = -99
    cities: list[PlaceMention] = field(default_factory=list)


@cache
def event_cues(path: Path = EVENT_CUES_CSV) -> tuple[Cue, ...]:
    """The cue table, compiled to run case-sensitively over lower-cased text (see fold_case):
    Python's regex engine scans many times faster without IGNORECASE."""
    cues = []
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            pattern = _lower_pattern(row["pattern"])
            # A pattern opening with \b has no literal prefix for the engine's fast scan, which
            # makes it some 3-20 times slower; without it, find_cue_matches tries it only where
            # one of the words its matches start with starts a word, or one opening with a word of
            # any letters only where that word is followed by what follows it in the pattern. A
            # pattern whose first words cannot be read keeps its \b (without, the engine would try
            # it inside words too).
            word_start = pattern.startswith("\\b") and not _has_top_level_bar(pattern)
            needs = _leading_literals(pattern[2:]) if word_start else ()
            if not all(is_word_char(literal[0]) for literal in needs):
                needs = ()  # (find_cue_matches looks for the starts of words only)
            after_word = False
            if word_start and not needs:
                needs = _literals_after_word(pattern[2:])
                after_word = bool(needs)
            word_start = bool(needs)
            cues.append(Cue(re.compile(pattern[2:] if word_start else pattern), row["event_type"],
                            row["sub_event_type"], float(row["weight"]), word_start, needs, after_word))
    return tuple(cues)


def _leading_literals(pattern: str) -> tuple[str, ...]:
    """The literal text each top-level alternative of a leading group (or the whole pattern) starts
    with, looking into a group an alternative opens with: "(?:seized|took\\s+over|clash(?:es)?)\\b"
    -> ("seized", "took", "clash"), "(?:(?:drove|pushed)\\s+|ran\\s+)out" -> ("drove", "pushed", "ran");
    () when an alternative starts with anything but two letters or such a group, or a group is
    optional (no literal is then required)."""
    if pattern.startswith("(?:"):
        alternatives, end = _alternatives(pattern, 3)
        if pattern[end + 1:end + 2] in ("?", "*", "{"):
            return ()
    else:
        alternatives = [pattern]  # one alternative: the pattern has no top-level "|"
    literals: list[str] = []
    for alternative in alternatives:
        if alternative.startswith("(?:"):
            inner = _leading_literals(alternative)
            if not inner:
                return ()
            literals.extend(inner)
            continue
        literal = re.match(r"[a-z' -]*", alternative).group(0)
        if alternative[len(literal):len(literal) + 1] in ("?", "*", "{"):
            literal = literal[:-1]  # the last letter is optional
        if len(literal) < 2:
            return ()
        literals.append(literal)
    return tuple(literals)


def _literals_after_word(pattern: str) -> tuple[str, ...]:
    """For a pattern (or a group it is) whose matches open with a word of any letters, the literal
    text that follows that word: "(?:\\w+-(?:month|week)\\s+offensive)" -> ("-month", "-week");
    () when the pattern opens otherwise."""
    if pattern.startswith("(?:"):
        alternatives, end = _alternatives(pattern, 3)
        if len(alternatives) > 1 or pattern[end + 1:end + 2] in ("?", "*", "{"):
            return ()
        pattern = alternatives[0]
    if not pattern.startswith("\\w+"):
        return ()
    rest = pattern[3:].removeprefix("+")  # (possessive: the word is all the same)
    head = re.match(r"[a-z' -]*", rest).group(0)
    if rest[len(head):len(head) + 1] in ("?", "*", "{"):
        head = head[:-1]  # the last letter is optional
    tails = _leading_literals(rest[len(head):]) if rest[len(head):].startswith("(?:") else ()
    return tuple(head + tail for tail in tails) or ((head,) if head else ())


def _has_top_level_bar(pattern: str) -> bool:
    """Whether the regex is an alternation at its top level ("\\ba|b": the \\b binds only "a")."""
    return len(_alternatives(pattern)[0]) > 1


def _alternatives(pattern: str, start: int = 0) -> tuple[list[str], int]:
    """The alternatives ("|" outside groups and classes) of pattern[start:] up to the ")" that
    closes the group `start` is in, or to the end; and the index where they stop."""
    alternatives, current = [], start
    depth, i, in_class = 0, start, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                break
            depth -= 1
        elif char == "|" and depth == 0:
            alternatives.append(pattern[current:i])
            current = i + 1
        i += 1
    alternatives.append(pattern[current:i])
    return alternatives, i


def _lower_pattern(pattern: str) -> str:
    """A regex's literal letters in lower case; escapes (\\W, \\S, \\B …) kept as written."""
    out, i = [], 0
    while i < len(pattern):
        if pattern[i] == "\\" and i + 1 < len(pattern):
            out.append(pattern[i:i + 2])
            i += 2
        else:
            out.append(pattern[i].lower())
            i += 1
    return "".join(out)


def fold_case(text: str) -> str:
    """Lower-cased text of the same length (offsets still index the original)."""
    folded = fold_article(text)
    if len(folded) == len(text):
        return folded
    # A character whose lower case is longer than one code point stays as it is.
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in text)


def find_cue_matches(text: str) -> list[tuple[int, int, Cue]]:
    """Every cue match in the text, as each cue's pattern's `finditer` gives them, in text order
    (cues in table order at the same start): one scan of the whole article (not per sentence)
    finds where the cues' words start words, and each cue is tried where one of its words does."""
    folded = fold_case(text)
    cues = event_cues()
    found = [(start, end, index) for index, cue in enumerate(cues) if not cue.word_start or cue.after_word
             for start, end in _scanned_cue_spans(cue, folded)]
    cues_of = _cues_by_word()
    ends = [0] * len(cues)  # where each cue was last matched or tried: its matches do not overlap
    for at, word in _literal_word_starts(folded, tuple(cues_of)):
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


def _literal_word_starts(folded: str, literals: tuple[str, ...]) -> Iterator[tuple[int, str]]:
    """(where, literal) wherever one of the literals (of two or more characters, the first a word
    character) starts a word, i.e. where a leading \\b holds, in text order."""
    finder, by_head = _literal_finder(literals)
    # One scan for all the literals, then the few of them that share the first two characters of
    # each place found.
    for match in finder.finditer(folded):
        at = match.start()
        for literal in by_head[folded[at:at + 2]]:
            if folded.startswith(literal, at):
                yield at, literal


@lru_cache(maxsize=16)
def _literal_finder(literals: tuple[str, ...]) -> tuple[re.Pattern, dict[str, list[str]]]:
    """For `_literal_word_starts`: a regex finding where one of the literals starts a word (then
    \\b before it means no word character before it), and the literals by their first two
    characters. (The regex matches the empty string there, so that one scan finds every such
    place, a literal starting inside another's too.)"""
    if not all(len(literal) >= 2 and is_word_char(literal[0]) for literal in literals):
        raise ValueError(f"not all of two or more characters starting with a word character: {literals}")
    by_head: dict[str, list[str]] = {}
    for literal in literals:
        by_head.setdefault(literal[:2], []).append(literal)
    return re.compile(r"\b(?=" + prefix_tree(literals) + ")" if literals else "(?!)"), by_head


def _scanned_cue_spans(cue: Cue, folded: str) -> Iterator[tuple[int, int]]:
    """The spans `finditer` would give for the pattern as written (with its leading \\b) of a cue
    that find_cue_matches does not try at its words' starts."""
    if not cue.after_word:
        yield from (m.span() for m in cue.pattern.finditer(folded))
        return
    # Every match starts with the (non-empty) word before one of the literals: try it there.
    starts = sorted({start for literal in cue.needs for at in find_all(folded, literal)
                     if (start := _start_of_word_before(folded, at)) < at})
    yield from (m.span() for m in finditer_from(cue.pattern, folded, starts))


def _start_of_word_before(text: str, at: int) -> int:
    """Where the run of word characters (regex \\w) that ends at `at` starts; `at` if there is none."""
    start = at
    while start and is_word_char(text[start - 1]):
        start -= 1
    return start


def find_triggers(text: str, start: int, end: int, matches: list[tuple[int, int, Cue]]) -> list[Trigger]:
    """Cues among `matches` (find_cue_matches) in text[start:end] that report something that
    happened (data.eventness); heaviest/longest wins."""
    clauses = clauses_of(text, start, end) if matches else []
    found = [Trigger(m_start, m_end, cue) for m_start, m_end, cue in matches
             if start <= m_start and m_end <= end and non_event_reason(
                 text, sentence_start=start, sentence_end=end, cue_start=m_start, cue_end=m_end,
                 clause_start=max((c[0] for c in clauses if c[0] <= m_start), default=start),
                 clause_end=min((c[1] for c in clauses if c[1] > m_start), default=end),
                 event_type=cue.event_type, sub_event_type=cue.sub_event_type) is None]
    found.sort(key=lambda t: (-t.cue.weight, -(t.end - t.start), t.start))
    kept: list[Trigger] = []
    for trigger in found:
        if all(trigger.end <= k.start or trigger.start >= k.end for k in kept):
            kept.append(trigger)
    return sorted(kept, key=lambda t: t.start)


def clauses_of(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clause ranges of a sentence."""
    bounds = [start]
    for match in CLAUSE_BOUNDARY.finditer(text, start, end):
        bounds.append(match.start() + 1)
    bounds.append(end)
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]


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


def choose_date(dates: list[DateMention], published: date | None, anchor: int) -> DateMention | None:
    """The most precise date mention not after publication; nearest to the cue on a tie."""
    usable = [d for d in dates if d.date_start is not None and (published is None or d.date_start <= published)]
    if not usable:
        return None
    # "a day after the Jakarta attack" dates the attack, not this sentence's event: offsets from
    # another moment are used only when nothing else dates the clause.
    return min(usable, key=lambda d: (is_offset_reference(d), PRECISION_RANK.get(d.date_precision, 8), _distance(d, anchor)))


def is_modifier(text: str, place: PlaceMention, actors: list[ActorMention]) -> bool:
    """A place name used as part of an actor or as an adjective ("Iraqi forces", "U.S.-led",
    "backed by the United States"): it says who, not where."""
    # A name that is also an actor ("Turkey") is a place when a locative governs it ("in Turkey").
    if any(a.start < place.end and place.start < a.end for a in actors) and not LOCATIVE_IN_BEFORE.search(
            text[max(0, place.start - 12):place.start]):
        return True
    if text.startswith("-", place.end):
        return True
    word = place.text.casefold()
    # Demonyms name countries and continents; "al-Shadadi" for Shaddadi is a spelling, not one.
    demonym = place.geo_precision in ("country", "region") and word != place.place.casefold() and re.search(r"(?:i|ian|ish|ese|an|ic)$", word)
    abbreviation = word.endswith(".") and re.match(r"\s+[A-Za-z]", text[place.end:place.end + 3])
    return bool(demonym or abbreviation)


def _choosable(place: PlaceMention) -> bool:
    """Whether a place can be an event's: resolved, and not a dateline or byline."""
    return place.lat is not None and place.role in ("event", "mentioned")


def choose_place(text: str, places: list[PlaceMention], anchor: int) -> PlaceMention | None:
    """An event place: resolved, not a dateline/byline; a city or site before a region before a
    country before a continent, then the lowest cost (see place_cost)."""
    usable = [p for p in places if _choosable(p)]
    if not usable:
        return None
    return min(usable, key=lambda p: (place_level(p), place_cost(text, p, anchor)))


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


def read_fatalities(text: str, start: int, end: int) -> tuple[int | None, int | None, int | None, tuple[int, int] | None]:
    """(fatalities, low, high, span) from deaths reported in text[start:end]; nulls when none."""
    clause = text[start:end].lower()
    if not DEATH_HINT.search(clause) or not NUMBER_HINT.search(clause):
        return None, None, None, None
    for pattern in FATALITY_PATTERNS:
        match = _search_folded(pattern, text, start, end)
        if not match:
            continue
        word = text[match.start("num"):match.end("num")].lower().replace(",", "")
        span = (match.start(), match.end())
        if "num2" in pattern.groupindex:  # a range: its two figures are the bounds
            low, high = _count(word), _count(text[match.start("num2"):match.end("num2")])
            if low is not None and high is not None and low < high:
                return None, low, high, span
            continue
        qualifier = re.sub(r"\s+", " ", text[match.start("qual"):match.end("qual")].lower())
        if word in VAGUE_COUNTS:
            return None, VAGUE_COUNTS[word], None, span
        count = _count(word)
        if count is None:
            continue
        if qualifier in ("up to", "as many as"):
            return None, None, count, span
        if qualifier in ("at least", "more than", "over"):
            return count, count, None, span
        return count, count, count, span
    return None, None, None, None


# The case-insensitive patterns searched often, as case-sensitive patterns for folded text (the
# folded article, or a folded stretch of it: see fold_for_prefilter).
_FOLDED = {pattern: folded_pattern(pattern) for pattern in (*FATALITY_PATTERNS, CITY_ANAPHORA)}


def _search_folded(pattern: re.Pattern, text: str, start: int, end: int) -> re.Match | None:
    """`pattern.search(text, start, end)` for a pattern of `_FOLDED`, run over the folded article:
    the same match spans, several times faster than IGNORECASE (see fold_for_prefilter). Its
    groups hold folded text: read them from `text` by their spans."""
    folded = fold_article(text)
    if len(folded) != len(text):  # (folding keeps the length; this is a guard)
        return pattern.search(text, start, end)
    return _FOLDED[pattern].search(folded, start, end)


def _city_anaphor(text: str, start: int, end: int) -> re.Match | None:
    """`CITY_ANAPHORA` in text[start:end] (as `_search_folded` finds it): searched only when the
    stretch has one of the nouns every match has, as most sentences have none (the pattern is
    tried at every position, and at every letter of a word for its leading \\w+)."""
    folded = fold_article(text)
    if len(folded) == len(text) and not any(noun in folded[start:end] for noun in _CITY_ANAPHORA_NOUNS):
        return None
    return _search_folded(CITY_ANAPHORA, text, start, end)


def _sub_event_type(cue: Cue, actor1: str) -> str:
    if cue.sub_event_type != "Overtakes territory":
        return cue.sub_event_type
    if actor_type(actor1) in STATE_ACTOR_TYPES:
        return "Government regains territory"
    return "Non-state actor overtakes territory"


def _sides(actors: list[ActorMention], trigger: Trigger, text: str) -> tuple[str, str]:
    """actor1 = who acted (before the cue, or after "by"), actor2 = the other side after the cue."""
    if not actors:
        return "", ""
    # A passive's agent follows the cue ("Raqqa was seized by the IS"); "backed by X" before it is not.
    agent = next((a for a in actors if a.start >= trigger.end
                  and re.search(r"\bby\s+(?:the\s+)?$", text[max(0, a.start - 8):a.start])), None)
    # The subject is the first actor before the cue that is not itself an adjunct ("backed by X").
    before = [a for a in actors if a.start < trigger.start and not ADJUNCT_BEFORE.search(text[max(0, a.start - 24):a.start])]
    after = [a for a in actors if a.start >= trigger.start]
    subject = agent or (before[0] if before else after[0] if after else None)
    actor1 = subject.actor if subject else ""
    others = [a.actor for a in (after + before[::-1]) if a.actor != actor1]
    return actor1, (others[0] if others else "")


def _event_id(article_id: str, start: int, end: int, index: int) -> str:
    digest = hashlib.sha1(f"{article_id}|{start}|{end}|{index}".encode()).hexdigest()
    return digest[:16]


def _publication_date(published: date, sentence: Sentence) -> DateMention:
    return DateMention(sentence.start, sentence.start, "", published, published, "day", "publication")


def _confidence(trigger: Trigger, date_basis: str, place_basis: str, has_actor: bool, quoted: bool) -> float:
    """A 0..1 score from how directly each part was read. The weights are judgement, not yet
    calibrated: explicit dates and in-sentence places are the parts most often right on the seeds'
    gold, and a claim inside a quotation is someone's statement, not the outlet's report."""
    date_score = {"explicit": 1.0, "relative": 0.95, "context": 0.75, "publication": 0.8, "none": 0.3}[date_basis]
    place_score = {"sentence": 1.0, "anaphora": 0.85, "context": 0.7, "article": 0.55, "none": 0.3}[place_basis]
    score = 0.35 * trigger.cue.weight + 0.3 * date_score + 0.25 * place_score + 0.1 * (1.0 if has_actor else 0.4)
    if quoted:
        score -= QUOTED_PENALTY
    return round(min(1.0, max(0.0, score)), 2)


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


def extract_events(article: Article, mentions: ArticleMentions) -> list[Event]:
    """Every event report of one article, in text order."""
    text = article.text
    events: list[Event] = []
    context = _Context()
    cue_matches = find_cue_matches(text)
    cue_starts = [m[0] for m in cue_matches]
    dates, places, actors = _ByStart(mentions.dates), _ByStart(mentions.places), _ByStart(mentions.actors)
    # (is_modifier, the costlier test, only for the places main_place may choose)
    article_place = main_place([p for p in mentions.places if _narrative_city(p)
                                and not is_modifier(text, p, actors.inside(p.start - MAX_ACTOR_CHARS, p.end + MAX_ACTOR_CHARS))])
    for index, sentence in enumerate(mentions.sentences):
        if sentence.text.rstrip().endswith("?"):
            continue
        s_actors = actors.inside(sentence.start, sentence.end)
        first = bisect.bisect_left(cue_starts, sentence.start)
        last = bisect.bisect_left(cue_starts, sentence.end)
        triggers = find_triggers(text, sentence.start, sentence.end, cue_matches[first:last])
        # (only located narrative places are ever chosen, and only narrative cities remembered from
        # a sentence without events: is_modifier, the costlier test, is asked of those only)
        if not triggers:
            _remember_places(context, [p for p in places.inside(sentence.start, sentence.end)
                                       if _narrative_city(p) and not is_modifier(text, p, s_actors)])
            continue
        s_dates = dates.inside(sentence.start, sentence.end)
        s_places = [p for p in places.inside(sentence.start, sentence.end)
                    if _choosable(p) and not is_modifier(text, p, s_actors)]
        groups = _group_by_clause(text, sentence, triggers, s_dates)
        for n, (clause, clause_triggers) in enumerate(groups):
            event = _build_event(article, sentence, index, n, clause, clause_triggers, s_dates, s_places,
                                 s_actors, context, article_place, is_first_event=not events)
            if event is not None:
                events.append(event)
        _remember_places(context, s_places)
    return events


def _remember_places(context: _Context, places: list[PlaceMention]) -> None:
    for place in places:
        if _narrative_city(place):
            context.cities.append(place)


def _group_by_clause(text: str, sentence: Sentence, triggers: list[Trigger],
                     dates: list[DateMention]) -> list[tuple[tuple[int, int], list[Trigger]]]:
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


def _build_event(article: Article, sentence: Sentence, index: int, n: int, clause: tuple[int, int],
                 triggers: list[Trigger], s_dates: list[DateMention], s_places: list[PlaceMention],
                 s_actors: list[ActorMention], context: _Context,
                 article_place: PlaceMention | None, *, is_first_event: bool) -> Event | None:
    text = article.text
    published = article.published
    trigger = max(triggers, key=lambda t: (t.cue.weight, t.end - t.start))
    anchor = trigger.start
    clause_text = text[clause[0]:clause[1]]

    # Date: the clause's own, else the sentence's, else the narrative's, else publication.
    c_dates = _inside(s_dates, *clause) or s_dates
    if any(published and d.date_start and d.date_start > published for d in c_dates) and not any(
        published and d.date_start and d.date_start <= published for d in c_dates
    ):
        return None  # only a future date: a forecast, not a report
    chosen_date = choose_date(c_dates, published, anchor)
    date_basis = chosen_date.basis if chosen_date else "none"
    if chosen_date is None and published and PRESENT_PERFECT.search(clause_text):
        chosen_date, date_basis = _publication_date(published, sentence), "publication"
    if chosen_date is None and context.date is not None and index - context.date_sentence <= CONTEXT_SENTENCES:
        chosen_date, date_basis = context.date, "context"
    if chosen_date is None and published and (index <= LEAD_SENTENCES or is_first_event):
        # The lead of a news article reports the news itself.
        chosen_date, date_basis = _publication_date(published, sentence), "publication"
    if chosen_date is not None:
        context.date, context.date_sentence = chosen_date, index

    # Place: the clause's, the sentence's, a city referred back to, the narrative's, the article's.
    place = (choose_place(text, _inside(s_places, *local_clause(text, clause[0], clause[1], anchor)), anchor)
             or choose_place(text, _inside(s_places, *clause), anchor) or choose_place(text, s_places, anchor))
    place_basis, place_text, place_span = "sentence", "", None
    anaphor = _city_anaphor(text, sentence.start, sentence.end)
    if place is not None and anaphor and context.cities and place.geo_precision in ("country", "region") \
            and context.cities[-1].country == place.country:
        place = None  # "Iraq's second-largest city" names a city of Iraq, not Iraq
    if place is not None:
        place_text, place_span = place.text, (place.start, place.end)
    else:
        if anaphor and context.cities:
            place, place_basis = context.cities[-1], "anaphora"
            place_text, place_span = text[anaphor.start():anaphor.end()], anaphor.span()
        elif context.place is not None and index - context.place_sentence <= CONTEXT_SENTENCES:
            place, place_basis = context.place, "context"
        elif article_place is not None:
            place, place_basis = article_place, "article"
        else:
            place_basis = "none"
    if place is not None:
        context.place, context.place_sentence = place, index

    # Actors: the clause's, else the sentence's.
    # A sentence read as several events keeps each clause's actors to itself.
    whole_sentence = clause == (sentence.start, sentence.end)
    c_actors = _inside(s_actors, *clause) or (s_actors if whole_sentence else [])
    actors = with_parents(list(dict.fromkeys(a.actor for a in c_actors)))
    actor1, actor2 = _sides(c_actors, trigger, text)

    fatalities, low, high, fatality_span = read_fatalities(text, clause[0], clause[1])
    if fatality_span is None and n == 0 and not whole_sentence:  # (else the same text was read)
        fatalities, low, high, fatality_span = read_fatalities(text, sentence.start, sentence.end)

    spans = [{"kind": "trigger", "start": t.start, "end": t.end} for t in triggers]
    if chosen_date is not None and date_basis in ("explicit", "relative") and chosen_date.end > chosen_date.start:
        spans.append({"kind": "date", "start": chosen_date.start, "end": chosen_date.end})
    if place_span is not None:
        spans.append({"kind": "place", "start": place_span[0], "end": place_span[1]})
    spans.extend({"kind": "actor", "start": a.start, "end": a.end} for a in c_actors)
    if fatality_span is not None:
        spans.append({"kind": "fatalities", "start": fatality_span[0], "end": fatality_span[1]})
    spans.sort(key=lambda s: (s["start"], s["end"]))

    return Event(
        event_id=_event_id(article.article_id, sentence.start, sentence.end, n),
        article_id=article.article_id,
        excerpt=sentence.text,
        excerpt_start=sentence.start,
        excerpt_end=sentence.end,
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
        country=place.country if place else "",
        admin1=place.admin1 if place else "",
        lat=place.lat if place else None,
        lon=place.lon if place else None,
        geo_precision=place.geo_precision if place else "",
        actors=actors,
        actor1=actor1,
        actor2=actor2,
        event_type=trigger.cue.event_type,
        sub_event_type=_sub_event_type(trigger.cue, actor1),
        fatalities=fatalities,
        fatalities_low=low,
        fatalities_high=high,
        spans=spans,
        confidence=_confidence(trigger, date_basis, place_basis, bool(actors),
                               is_quoted(text, sentence.start, trigger.start)),
    )

