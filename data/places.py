"""Stage 4: place mentions in an article's text, resolved against the offline gazetteer.

`find_places(text)` works in five steps:
  1. roles      dateline and byline stretches: the cleaner's marks, or a built-in rule when none
  2. spans      reference landmarks/regions ("the Old City of Mosul", "northern Syria"), then runs
                of capitalised words matched longest-first against the gazetteer, demonyms, and
                "City, State" / "the Syrian town of" qualifiers; common words, person names, street
                names, news outlets, weapon names and photo credits are dropped. Names the index
                does not know are tried last by consonant skeleton ("Shirqat" -> Ash Sharqat) in
                the countries the article names, after a locative word only
  3. resolve    each mention's candidates are scored by prior (population, kind) plus coherence with
                the rest of the text (shared country and first-level division, distance to the other
                places), twice, so that one confident mention can settle an ambiguous one
  4. context    places without a point of their own (US counties, generic landmarks such as "the
                municipal stadium") take it from the nearest place named before them; a part of a
                city ("the Riyadh district of Kirkuk") lies in that city; a small namesake abroad,
                far from the article's other places, is not taken (the local reading, else none)
  5. roles      reference (the point of "40 miles south of Mosul", with a derived mention of the
                point the distance and direction give), venue ("told reporters in Washington"),
                event (governed by a locative preposition or an event verb) or mentioned
"""

from __future__ import annotations

import bisect
import csv
import functools
import itertools
import logging
import math
import operator
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from data.gazetteer import (
    ALTERNATE_PENALTY,
    EARTH_RADIUS_KM,
    REFERENCE_DIR,
    Gazetteer,
    Place,
    get_gazetteer,
    great_circle_km,
    normalize,
    strip_articles,
)
from data.schema import Marked, PlaceMention
from data.textmatch import (
    CARDINALS,
    find_all,
    finditer_from,
    fold_article,
    fold_for_prefilter,
    folded_pattern,
    is_word_char,
)

__all__ = ["find_places", "get_gazetteer", "Gazetteer", "main_country"]

log = logging.getLogger(__name__)

# Longest run of words tried as one name ("Sharm el-Sheikh", "Democratic Republic of the Congo").
MAX_NAME_WORDS = 6
# Lower-case words allowed inside a capitalised name ("Bay of Islands", "Deir ez-Zor", "Ras al Ain").
CONNECTORS = frozenset(
    "of de del della la le du des da do dos di upon on am im al el ez es ad ar as ash az an at "
    "bin ibn bani beni the y".split()
)
# Capitalised words that are places somewhere but in running English are far more often something
# else: function words, months and days (which also open sentences: "A DeKalb man" is no name of
# two words), then common nouns, titles and the names of the theatre's groups. They are never a
# place on their own.
FUNCTION_WORDS = frozenset(
    """
a about after again all also although an and another any april are as at august back be because
been before being best big both but by can could day december did do does done down during each
early east either even ever every february few first for friday from further had has have he her
here him his how however i if in into is it its january july june just last late later least less
like little long made make many march may me might monday more most much must my never new next
no north nor not november now october of off often old on once one only or other our out over own
per perhaps rather same saturday says september several she should since so some south still such
sunday than that the their them then there these they thursday this those though three through
thus to today tomorrow too tuesday two under until up upon us very was we wednesday well were west
what when where whether which while who whom whose why will with within without would yes yet you
your
""".split()
)
STOPWORDS = FUNCTION_WORDS | frozenset(
    """
police mayor sheriff governor president court city county state states university college school
church hospital center centre department office officer officers army navy union national federal
district park lake river valley mountain beach island bay street road avenue highway bridge airport
station market mall hall square tower home house fire water power energy health security justice
liberty independence freedom victory hope faith grace unity progress providence commerce industry
enterprise alliance reform republic democrat democratic republican congress senate council board
committee police court judge jury prison jail man woman men women people family friends
god christ jesus christian muslim islam islamic jewish bible
news press times post herald journal tribune gazette star sun daily weekly media online internet
internet web email phone radio television tv video photo
gold silver iron steel oil gas coal cotton corn wheat rice sugar salt stone rock sand
mobile reading split nice bath born orange
king young white black green gray grey blue red
mission garden gardens village town towns cities villages region province provinces
zoo christmas easter ramadan eid give hill none part far re drain driver
heaven hell paradise eden truth honor glory harmony welcome friendship plain plains

summit forum conference festival fair world earth
kurdish arab arabs sunni shia shiite kurds christians
isis isil daesh sdf ypg pkk
dam camp base zone front line
jan feb mar apr jun jul aug sep sept oct nov dec
gen brig lt col maj sgt capt cmdr adm cpl pvt
four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred thousand
along see roman
""".split()
)
# The last four lines: month abbreviations ("Nov. 1") and military ranks ("Brig. Gen. Omer") stand
# before a dot that is not a sentence end; number words and "Along", "See" open sentences; "Roman"
# is the adjective ("Roman-era relics"), not the Romanian town.

# News agencies, channels and papers whose names are also place names somewhere (Rudaw, Tass,
# Xinhua, Al-Manar, Anadolu Agency, Daily Sabah): a source is cited, not a place. Normalised keys,
# articles (al-, el-) dropped.
MEDIA_OUTLETS = frozenset(
    "rudaw;xinhua;tass;ria;ria novosti;novosti;interfax;sputnik;anadolu;anadolu agency;reuters;afp;"
    "bernama;yonhap;kyodo;irna;isna;fars news;tasnim;mehr news;amaq;aamaq;hawar;anha;manar;mayadeen;"
    "jazeera;arabiya;alsumaria;sumaria;shafaq;asharq;hurriyet;daily sabah;yeni safak;dogan;basnews;"
    "kurdistan24;kurdistan 24;aranews;ara news;enab baladi;orient news;the hill;politico".split(";")
)
# Lower-case nouns after which a capitalised word names a model, not a place: "Apache helicopters",
# "Hellfire missiles", "Tomahawk cruise missiles" (one of EQUIPMENT_KINDS may come between).
EQUIPMENT_WORDS = frozenset(
    """
helicopter helicopters gunship gunships missile missiles rocket rockets jet jets warplane warplanes
bomber bombers drone drones aircraft tank tanks launcher launchers howitzer howitzers rifle rifles
""".split()
)
EQUIPMENT_KINDS = frozenset("attack cruise fighter combat guided ballistic transport".split())
# Capitalised phrases that are names of something other than a place.
NON_PLACE_PHRASES = frozenset(
    "white house;oval office;city hall;city park;state park;santa claus;new year;christmas eve;"
    "wall street;main street;capitol hill;big apple;good friday;easter sunday;middle ages".split(";")
)
# Titles before a capitalised word: what follows is a person ("Gov. Perry", "Sen. Webb").
TITLES = frozenset(
    """
mr mrs ms miss dr sen senator rep representative gov governor president pres judge justice sgt
sergeant lt lieutenant capt captain col colonel gen general maj major cmdr commander officer
deputy chief sheriff mayor coach rev reverend father sister brother prince princess king queen
lord lady sir dame pope saint st prof professor detective trooper agent minister secretary
spokesman spokeswoman spokesperson councilman councilwoman commissioner attorney sens reps
""".split()
)


def _read_given_names() -> frozenset[str]:
    """The lower-case given names of `data/reference/given_names.csv` (US Census 1990 lists)."""
    path = REFERENCE_DIR / "given_names.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        return frozenset(row["name"].strip().lower() for row in csv.DictReader(handle) if row["name"].strip())


# Given names (the commoner of the US Census 1990 first names): a run of capitalised words that
# starts with one is a person's name ("Jackson" in "Michael Jackson", "Lindsay Smith").
GIVEN_NAMES = _read_given_names() - STOPWORDS - TITLES  # (not "May", "Major", "King")
# A name whose reading as a place is at least this large (log10 population) stays a place when it
# opens a run as a given name would ("Austin Police", "Charlotte Observer").
GIVEN_NAME_PLACE_PRIOR = 4.7
# Words after a place that make it the modifier of an organisation, office or area ("Gainesville
# Police", "Hall County Sheriff's Office", "Ohio State University"): the place is still a place.
ORG_WORDS = frozenset(
    """
police sheriff sheriffs city county department dept state mayor fire high middle elementary school
schools community public district national board council town president attorney superior
regional senior volunteer circuit international army road jail court foreign coroner chamber
medical detention democratic republican area electric arts central university college hospital
center centre church airport times post herald journal tribune news daily gazette press star
observer chronicle museum library zoo club association society company corp corporation inc
health government ministry minister parliament assembly commission authority office bureau agency
service services committee party forces military air navy guard festival fair mall hall square
metropolitan metro township borough village parish province governorate region valley river lake
mountains mountain basin islands island peninsula desert coast bay delta port harbor harbour
municipal federal courthouse capitol legislature house senate general prison penitentiary
correctional convention airlines railway railroad transit bank stadium arena team bar
""".split()
)
# After a place these make it part of a street name or address, not a place ("Dublin Road").
STREET_WORDS = frozenset(
    """
street st road rd avenue ave drive dr lane ln boulevard blvd highway hwy pike parkway pkwy way
court ct circle cir place pl terrace trail trl route rte turnpike freeway expressway
""".split()
)
# Capitalised words before a place that still leave it the head of the name ("Greater London").
PLACE_PREFIXES = frozenset(
    """
the greater downtown central upper lower old new north south east west northern southern eastern
western northeast northwest southeast southwest northeastern northwestern southeastern
southwestern midtown uptown metro metropolitan rural suburban in at near from outside inside
across around to into of for and but
""".split()
)
DIRECTION_WORDS = frozenset(
    """
north south east west northern southern eastern western central northeast northwest southeast
southwest northeastern northwestern southeastern southwestern north-east north-west south-east
south-west north-eastern north-western south-eastern south-western
""".split()
)
# Kinds of entry that are settlements or parts of them (GeoNames cities, localities.csv's towns,
# villages and quarters of cities), as opposed to countries, regions and landmarks.
SETTLEMENT_KINDS = frozenset({"city", "capital", "town", "village", "quarter"})
# Of those, the ones a place may lie in or near ("the Zuhur neighbourhood" of a city named before).
TOWN_KINDS = frozenset({"city", "capital", "town"})
# Kinds of entry whose names come from curated tables (countries, states, regions): their short
# all-capital aliases ("US", "UK", "DRC", "NSW") are trusted, city alternate names are not.
CURATED_KINDS = frozenset({"country", "admin1", "region", "continent"})
# Abbreviations whose trailing dot is part of the word ("St. Louis", "Springfield, Ill.").
DOTTED_ABBREVIATIONS = frozenset(
    "st mt ft pt"
    " ala ariz ark calif cal colo conn del fla ga ill ind kan kans ky la"
    " md mass mich minn miss mo mont neb nebr nev okla ore oreg pa penn"
    " tenn tex vt va wash wis wisc wyo alta man ont que sask".split()
)
# Context weights, in the units of the prior (log10 population): the share of the text's other
# places that lie in a candidate's country / first-level division, and nearness to them.
COUNTRY_WEIGHT = 3.0
ADMIN1_WEIGHT = 2.0
NEAR_KM = 150.0
NEAR_WEIGHT = 1.2
# Kilometres per degree of latitude on the sphere `_distance_km` uses: no two places are nearer
# than their difference in latitude times this.
KM_PER_DEGREE_LAT = EARTH_RADIUS_KM * math.pi / 180
# Half the band of latitudes a place's nearness is looked for in: a little more than what
# `_within_near_km` rules out by latitude, so that the formula still decides every pair in it.
NEAR_LAT_REACH = (NEAR_KM + 2.0) / KM_PER_DEGREE_LAT
# A "City, State" or "City, Country" qualifier pins the candidates to it.
QUALIFIER_WEIGHT = 6.0
# Mentions of small places need this prior (log10 population) unless context supports them.
MIN_PRIOR_ALONE = 3.0
# The transliteration fallback (`_skeleton_spans`) reads names of at least this many letters ...
MIN_SKELETON_LETTERS = 5
# ... and ranks what it finds this much below a match through an alternate name: a looser reading.
SKELETON_PENALTY = 0.5
# A place counts as named by the article (so the fallback may look in its country) when it is a
# country, region or landmark, or the likeliest reading of a city of at least this prior.
NAMED_CITY_PRIOR = 4.0
# ... and the fallback looks only in the countries named at least this share as often as the most
# named one: a Syrian town is not read as a namesake in a country mentioned once in passing.
MAIN_COUNTRY_SHARE = 0.5
# Words before a place that make it where something happened.
_LOCATIVE = re.compile(
    r"(?:\b(?:in|at|near|into|outside|across|around|from|toward|towards|through|inside|within|"
    r"throughout|on|onto|over|to|reached|entered|attacked|captured|seized|shelled|bombed|"
    r"liberated|besieged|stormed|recaptured|retook|struck|hit|targeted|raided|overran|retaking|"
    r"recapturing|capturing|seizing|liberating|entering|storming|besieging|shelling|attacking|"
    r"surrounded|encircled|freed|took|control of|battle (?:for|of)|fight for|offensive (?:on|against)|"
    r"assault on|siege of|liberation of|fall of|capture of|recapture of|attacks? on|strikes? on|"
    r"outskirts of|edge of|(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)? (?:part |edge )?of|"
    r"(?:miles|km|kilometers|kilometres) (?:\w+ )?of)"
    r"(?:\s+the)?(?:\s+(?:city|town|village|province|district|region|neighbou?rhood|suburbs?|"
    r"centre|center|outskirts|countryside|streets?)\s+of)?(?:\s+(?:northern|southern|eastern|"
    r"western|central|north|south|east|west|rebel-held|government-held|IS-held|ISIS-held|besieged))?"
    r"\s*$)",
    re.IGNORECASE,
)
# "the town of", "villages of": what follows names a place even without a locative word.
_PLACE_NOUN_OF = re.compile(
    r"\b(?:city|town|village|district|neighbou?rhood|suburb|area|region|province)s?"
    r"\s+of\s+$",
    re.IGNORECASE,
)
# "the Syrian town of", "the Iraqi border city": the demonym gives the country of the name after it.
_DEMONYM_PLACE_NOUN = re.compile(
    r"\b([A-Z][a-z]+(?: [A-Z][a-z]+)?)\s+(?:border\s+)?(?:town|city|village|capital|port|province|region|"
    r"district|stronghold)\s+(?:of\s+)?$"
)


_LOCATIVE_FOLDED = folded_pattern(_LOCATIVE)
_PLACE_NOUN_OF_FOLDED = folded_pattern(_PLACE_NOUN_OF)
# `_LOCATIVE`, `_PLACE_NOUN_OF` and `_DEMONYM_PLACE_NOUN` must match at the end of the text before
# a name, which the regex engine finds only by trying every position: a match's last word is one
# of the words spelt in the pattern (these sets hold every run of letters of its source, a few
# more), so a quick test of the last word saves most of those tries.
_LOCATIVE_WORDS = frozenset(w.lower() for w in re.findall(r"[A-Za-z]+", _LOCATIVE.pattern + _PLACE_NOUN_OF.pattern))
_DEMONYM_PLACE_NOUN_WORDS = frozenset(re.findall(r"[A-Za-z]+", _DEMONYM_PLACE_NOUN.pattern))
_TRAILING_LETTERS = re.compile(r"[^\W\d_]+$")
_LETTERS = re.compile(r"[^\W\d_]+")
# (Possessive quantifiers: what follows each never needs them to give back, so they only spare the
# engine its bookkeeping for backtracking, a fifth of the scan.)
_WORD = re.compile(r"[^\W\d_]\w*+(?:(?:['’ʿ\-]|\.(?=[^\W\d_]\.))[^\W_]\w*+)*+\.?")
# The same as one group: `re.split` by it gives the gaps and the words in turn (see `_words`).
_WORD_SPLIT = re.compile(f"({_WORD.pattern})")
# (The test that no capital comes before the stop, as in "U.S.", is written after the stop, and
# the two kinds of end open with one character class, so that the regex engine can skip from
# stop to stop: a pattern that opens with an alternation is tried at every position.)
_SENTENCE_END = re.compile(r"[.!?\n](?:(?<=[.!?])(?<![A-Z].)[\"”’)]*\s+(?=[\"“(]?[A-Z0-9])|(?<=\n)\s*)")
_DATELINE = re.compile(
    r"^[ \t]*(?P<place>[A-Z][A-Z.'’\-]+(?:[ ][A-Z][A-Z.'’\-]+)*)"
    r"(?:,[ ]+(?P<qual>[A-Z][A-Za-z.]+(?:[ ][A-Z][A-Za-z.]+)*))?"
    r"(?:[ ]+\([A-Za-z .&]+\))?[ ]*(?:—|–|--?)[ ]",
    re.MULTILINE,
)
# A photo credit in parentheses, "(Erik Smith/Reuters)", "(Xinhua/Jane Doe)": names of people and
# agencies, never places.
_CREDIT = re.compile(r"\([^()\n/]{2,60}[^\W\d]/[^\W\d][^()\n/]{1,60}\)")
# Patterns used many times per article, compiled once: "Nineveh province" (a division after a
# name), the two words after a name ("Apache attack helicopters"), a word in lower case, the
# comma after a name, a headline's longer words, the word before a name ("Gov. Perry"), what
# follows a person's name ("Jordan, 34,", "Perry said"), a "City, State" qualifier, a direction
# word before a name ("northern Syria") and an all-capital dateline place.
_DIVISION_WORDS = ("province", "governorate", "region", "district", "county", "parish", "state")
_DIVISION_AFTER = re.compile(r"\s(" + "|".join(_DIVISION_WORDS) + r")\b")
# The letters the words start with: most names are followed by none of them (a quick test first).
_DIVISION_INITIALS = frozenset(word[0] for word in _DIVISION_WORDS)
_TWO_WORDS_AFTER = re.compile(r"[ \t]+([a-z]+)\b(?:[ \t]+([a-z]+)\b)?")
_LOWER_WORD = re.compile(r"[a-z]{2,}")
_COMMA = re.compile(r",\s*")
_TITLE_CASE_WORD = re.compile(r"(?:([A-Z])|[a-z])[A-Za-z'\-]{3,}")  # the capital, if any, as group 1
_LAST_WORD = re.compile(r"[A-Za-z]+\.?$")
# What follows a person's name, not a place's: an age ("Jordan, 34,"), a word of the person's life
# ("the Obama administration", "Henry's arrest", "Smith's wife") or a verb of speech or thought,
# perhaps after an adverb ("Perry said", "Anderson again urged").
_PERSON_AFTER = re.compile(
    r"(?:,\s*\d{1,3},"
    r"|\s+(?:administration|presidency)\b"
    r"|['’]s?\s+(?:administration|presidency|wife|husband|son|daughter|mother|father|brother|sister|"
    r"girlfriend|boyfriend|lawyer|arrest|funeral)\b"
    r"|(?:\s+(?:also|again|later|then|previously|earlier|recently|[a-z]+ly))?\s+(?:said|says|told|tells|"
    r"added|asked|explained|stated|wrote|writes|recalled|replied|insisted|argued|admitted|pleaded|"
    r"testified|urged|smiled|laughed|thinks|believes)\b)"
)
# What goes before a person's name, not a place's: a verb done to people ("stabbed Welch",
# "arrested Jones", "told Hoover").
_PERSON_BEFORE = re.compile(
    r"\b(?:stabbed|stabbing|shot|shooting|killed|killing|murdered|murdering|arrested|arresting|charged|"
    r"charging|sentenced|sentencing|interviewed|married|marrying|hired|hiring|thanked|sued|suing|"
    r"told|telling|asked|asking)\s+$"
)
# "Ronnie M. Campbell", "Boyd J. Jones": a capitalised word and a middle initial before a name.
_INITIAL_BEFORE = re.compile(r"(?<![\w.])[A-Z][a-z]+\s+(?:[A-Z]\.\s*){1,2}$")
# What still makes a name a place where the text has used it as a person's ("in Henry", "the town
# of Henry"): a preposition of place, not the looser words of `_LOCATIVE` ("to Henry", "hit Henry").
_PERSON_SAFE_LOCATIVE = re.compile(
    r"(?:\b(?:in|at|near|outside|inside|across|around|throughout|within|into|towards?|through)"
    r"|\b(?:city|town|village|district|county|neighbou?rhood|suburb|province)s?\s+of)(?:\s+the)?\s*$",
    re.IGNORECASE,
)
# "according to X" cites a source: `_LOCATIVE`'s "to" does not make X a place.
_ACCORDING_TO = re.compile(r"\baccording\s+to\s*$", re.IGNORECASE)
_QUALIFIER = re.compile(r",\s*([A-Z][A-Za-z.]*(?:\s[A-Z][A-Za-z.]*)?)")
_WORD_BEFORE = re.compile(r"(?:^|(?<=\s))((?:the\s+)?([A-Za-z]+(?:-[A-Za-z]+)?))\s+$")
# A word and its run of letters (group 1), to test the words opening a name one by one.
_FIRST_WORD = re.compile(r"([A-Za-z]+)[\w'’]*(?:-[\w'’]+)*")
_NEXT_LOWER_WORD = re.compile(r"\s+([a-z]+)\b")
# What follows a place's name and says it is one: "Qayyarah, 40 miles south of Mosul", "Naimiya, a
# rural district of", "Tal Rafaat, north of Aleppo".
_PLACE_APPOSITIVE = re.compile(
    r",\s+(?:(?:about|some|around|roughly|nearly|almost|just|only|less\s+than|more\s+than)\s+)?"
    r"(?:(?:\d[\d.,]*|[a-z]+)(?:\s*(?:-|–|to)\s*\d[\d.,]*)?[\s-]*(?:km|kms|kilomet(?:er|re)s?|miles?)\b"
    r"|(?:north|south|east|west)\w*\s+of\b"
    r"|(?:an?|the)\s+(?:[\w-]+\s+){0,3}?(?:town|village|city|district|suburb|neighbou?rhood|quarter)\b)"
)
_LIST_BEFORE = re.compile(r"\s*(?:,|,?\s+(?:and|or))\s+")
_AND_OR_SEMICOLON = re.compile(r"\band\b|;")
_CAPS_NAME = re.compile(r"[ \t]*([A-Z][A-Z.'’\- ]*[A-Z.])")
_BYLINE = re.compile(
    r"\b(?:reported from|reporting from|contributed reporting from|contributed reporting in|"
    r"contributed to this report from|contributed from|wrote from|writing from)\b"
    r"|\bReporting by\b[^\n]*?\bin\b",
)


@dataclass
class _Span:
    """A candidate place mention before it is resolved."""

    start: int
    end: int
    text: str
    candidates: list[tuple[Place, bool]]
    source: str  # name, demonym, region, landmark, generic, dateline
    qualifier: tuple[str, str] | None = None  # ("country"|"admin1", value) from ", State" after it
    direction: bool = False  # "northern Syria": the place widened to a part of it
    choice: Place | None = None
    penalty: float = 0.0  # subtracted from every candidate's score (a loose skeleton match)
    landmark: dict | None = None
    within: _Within | None = None  # "the Riyadh district of Kirkuk": the phrase placing it in a city


# ---------------------------------------------------------------------------------- helpers


# Share of a line's longer words that are capitalised in a Title Case headline.
TITLE_CASE_SHARE = 0.8


def _sentence_starts(text: str) -> list[int]:
    """Offsets where sentences begin (a rough split: enough for 'same sentence' and capitalisation)."""
    return [0] + [m.end() for m in _SENTENCE_END.finditer(text)]


def _sentence_start(sentence_starts: list[int], pos: int) -> int:
    """Where the sentence containing pos begins (sentence_starts ascending from 0, as above)."""
    return sentence_starts[bisect.bisect_right(sentence_starts, pos) - 1]


class _LowerWords:
    """The words a text writes in lower case (whole words of two or more ASCII letters), as a set
    to test names against: a few dozen per article, so each is looked for when asked, not every
    word of the text listed."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.known: dict[str, bool] = {}

    def __contains__(self, key: str) -> bool:
        found = self.known.get(key)
        if found is None:
            found = self.known[key] = bool(_LOWER_WORD.fullmatch(key)) and self._written(key)
        return found

    def _written(self, word: str) -> bool:
        """Whether the text has `word` with no word character (\\w) just before or after it."""
        text = self.text
        for at in find_all(text, word):
            end = at + len(word)
            if (at == 0 or not is_word_char(text[at - 1])) and (end == len(text) or not is_word_char(text[end])):
                return True
        return False


def _is_sentence_initial(text: str, start: int) -> bool:
    """Whether the word at start opens a sentence, a line or a quotation."""
    before = text[max(0, start - 4) : start].rstrip(" \t\"“'‘(")
    return not before or before[-1] in ".!?\n:;—-"


def _paragraph_bounds(text: str, pos: int) -> tuple[int, int]:
    """The line/paragraph containing pos."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, (len(text) if end < 0 else end)


def _capitalised(word: str) -> bool:
    """A word written with a capital (after an article prefix such as 'al-' or 'ar-')."""
    head = word.split("-", 1)
    if len(head) == 2 and head[0].lower() in CONNECTORS and head[1][:1].isupper():
        return True
    return word[:1].isupper()


def _distance_km(a: Place, b: Place) -> float:
    """Great-circle distance between two located places."""
    return great_circle_km(a.lat, a.lon, b.lat, b.lon)  # type: ignore[arg-type]


def _within_near_km(a: Place, b: Place) -> bool:
    """Whether two located places are less than NEAR_KM apart."""
    # No two points are nearer than their difference in latitude: that settles most pairs (other
    # countries) without trigonometry; the 1 km margin leaves every close call to the formula.
    if abs(a.lat - b.lat) * KM_PER_DEGREE_LAT > NEAR_KM + 1.0:  # type: ignore[operator]
        return False
    return _distance_km(a, b) < NEAR_KM


# ---------------------------------------------------------------------------------- roles


def _role_regions(text: str, marked: Sequence[Marked] | None) -> list[tuple[int, int, str]]:
    """(start, end, role) stretches: datelines and bylines, from the marks or the built-in rule."""
    if marked is not None:
        roles = {"dateline": "dateline", "byline": "byline"}
        return [(m.start, m.end, roles.get(m.kind, "mentioned")) for m in marked]
    regions = []
    for match in _DATELINE.finditer(text):
        place = match.group("place")
        if len(place) >= 3 and place.upper() == place:
            regions.append((match.start("place"), match.end(), "dateline"))
    for match in _BYLINE.finditer(text):
        line_start, line_end = _paragraph_bounds(text, match.start())
        regions.append((max(line_start, match.start() - 80), line_end, "byline"))
    return regions


def _role_at(regions: list[tuple[int, int, str]], start: int) -> str | None:
    """The role a stretch gives to a mention starting at start, if any."""
    for region_start, region_end, role in regions:
        if region_start <= start < region_end:
            return role
    return None


# ---------------------------------------------------------------------------------- spans


def _words(text: str) -> tuple[list[tuple[int, int, str]], list[bool], set[str]]:
    """(start, end, word) for every word, a trailing dot kept only on abbreviations ('U.S.', 'Ill.');
    whether each is capitalised; and the text's runs of letters (what `_LETTERS` finds in it, for
    `_reference_spans`): a word all letters is one, the others are split as found, before a dot,
    possessive or suffix is cut off (every run is in one word)."""
    # An article has hundreds of words, nearly all plain runs of letters: they are listed without a
    # Python step per word (a split keeps the words between the gaps; the running sum of the parts'
    # lengths gives their offsets; map and zip build the lists), and only the others are looked at.
    parts = _WORD_SPLIT.split(text)  # gap, word, gap, word, ..., gap
    bounds = list(itertools.accumulate(map(len, parts)))
    found = parts[1::2]
    words = list(zip(bounds[0:-1:2], bounds[1::2], found, strict=False))
    # (a word starts with a letter, so its first character says whether it is capitalised)
    capitalised = list(map(str.isupper, map(operator.itemgetter(0), found)))
    alpha = list(map(str.isalpha, found))
    runs = set(itertools.compress(found, alpha))
    unusual = list(itertools.compress(range(len(found)), map(operator.not_, alpha)))
    for i in unusual:
        start, end, word = words[i]
        if word.endswith(".") and not ("." in word[:-1] or word[:-1].lower() in DOTTED_ABBREVIATIONS):
            end -= 1
            word = word[:-1]
        if word[-2:] in ("'s", "’s") or word[-1:] in ("'", "’"):
            # possessive: "China's", "Kenya's", "Texas'"
            cut = 2 if word[-1] == "s" and word[-2] in "'’" else 1
            end -= cut
            word = word[:-cut]
        head, dash, tail = word.rpartition("-")
        if dash and tail.islower() and head[:1].isupper() and head.lower() not in CONNECTORS:
            # "US-backed", "Kurdish-led", "Raqqa-based": the name is the part before the suffix
            end -= len(tail) + 1
            word = head
        words[i] = (start, end, word)
        # asked of each word several times (runs of names, their ends, every sub-run tried,
        # demonyms): worked out once ("al-Bab" is capitalised, see `_capitalised`)
        capitalised[i] = capitalised[i] or ("-" in word and _capitalised(word))
    runs.update(_LETTERS.findall(" ".join(map(found.__getitem__, unusual))))
    return words, capitalised, runs


@functools.lru_cache(maxsize=4096)
def _alias_pattern(alias: str, ignore_case: bool) -> re.Pattern:
    """A landmark alias as a phrase pattern: whole words, any run of spaces between them."""
    pattern = r"(?<![\w-])" + re.escape(alias).replace(r"\ ", r"\s+") + r"(?![\w-])"
    return re.compile(pattern, re.IGNORECASE if ignore_case else 0)


def _phrase_pattern(alias: str) -> re.Pattern:
    """An alias's words with any run of spaces between them (`_alias_pattern` without its checks
    of what comes before and after), case-sensitive."""
    return re.compile(re.escape(alias).replace(r"\ ", r"\s+"))


@dataclass(frozen=True)
class _Alias:
    """A landmark alias ready to be matched."""

    landmark: dict
    pattern: re.Pattern  # `_alias_pattern`
    ignore_case: bool
    # Prefilters, cheapest first: the runs of letters a match cannot lack (each is a whole run of
    # letters of the text), then the phrase without its checks of what comes before and after,
    # which (unlike the pattern) the regex engine finds by its first letters. Both are
    # case-sensitive: for an alias matched in any case, in lower case and tried on the folded text
    # (not ASCII: folding vouches for nothing, so there is no prefilter and the pattern is run).
    runs: frozenset[str]
    phrase: re.Pattern | None


@functools.lru_cache(maxsize=4)
def _landmark_aliases(gazetteer: Gazetteer) -> tuple[_Alias, ...]:
    """The gazetteer's landmark aliases in table order, prepared once rather than for every article."""
    aliases = []
    for landmark in gazetteer.landmarks:
        for alias in landmark["aliases"]:
            # Generic landmarks are written in lower case; proper ones match any case but must
            # start with the capital they are written with when they name a proper noun.
            ignore_case = not (alias[:1].isupper() and not landmark["generic"])
            if not ignore_case:
                runs, phrase = frozenset(_LETTERS.findall(alias)), _phrase_pattern(alias)
            elif alias.isascii():
                runs, phrase = frozenset(_LETTERS.findall(alias.lower())), _phrase_pattern(alias.lower())
            else:
                runs, phrase = frozenset(), None
            aliases.append(_Alias(landmark, _alias_pattern(alias, ignore_case), ignore_case, runs, phrase))
    return tuple(aliases)


@functools.lru_cache(maxsize=4)
def _aliases_by_run(gazetteer: Gazetteer) -> tuple[dict[str, list[int]], dict[str, list[int]], list[int]]:
    """Where each of `_landmark_aliases` stands in it, filed under one of its runs of letters (the
    longest: the rarest), which an article must have for the alias to be worth a closer look: those
    matched as written, those matched in any case (under a folded run), and those with no run."""
    by_run: defaultdict[str, list[int]] = defaultdict(list)
    by_folded_run: defaultdict[str, list[int]] = defaultdict(list)
    unfiled: list[int] = []
    for position, alias in enumerate(_landmark_aliases(gazetteer)):
        if not alias.runs:
            unfiled.append(position)
            continue
        run = max(sorted(alias.runs), key=len)
        (by_folded_run if alias.ignore_case else by_run)[run].append(position)
    return dict(by_run), dict(by_folded_run), unfiled


def _reference_spans(text: str, gazetteer: Gazetteer, runs: set[str] | None = None) -> list[_Span]:
    """Landmarks (specific and generic) from landmarks.csv, matched as phrases. `runs`: the text's
    runs of letters, if known (`_words`)."""
    spans = []
    # Scanning the text once per alias costs more than the rest of this module: an alias is only
    # tried when its runs of letters are runs of letters of the text (as written, or folded when
    # matched in any case), and then its phrase is. Only the few aliases filed under one of the
    # text's runs can pass the first test: the others are not looked at.
    if runs is None:
        runs = set(_LETTERS.findall(text))
    folded_runs = set(fold_for_prefilter(" ".join(runs)).split())
    aliases = _landmark_aliases(gazetteer)
    by_run, by_folded_run, unfiled = _aliases_by_run(gazetteer)
    positions = list(unfiled)
    for run in runs.intersection(by_run):
        positions += by_run[run]
    for run in folded_runs.intersection(by_folded_run):
        positions += by_folded_run[run]
    folded = None
    # (in table order: of overlapping spans of one length, the first found is kept)
    for alias in map(aliases.__getitem__, sorted(positions)):
        if not alias.runs <= (folded_runs if alias.ignore_case else runs):
            continue
        if alias.phrase is not None:
            if alias.ignore_case and folded is None:
                folded = fold_article(text)
            if not alias.phrase.search(folded if alias.ignore_case else text):
                continue
        for match in alias.pattern.finditer(text):
            spans.append(_Span(match.start(), match.end(), match.group(), [], "landmark", landmark=alias.landmark))
    return spans


def _name_spans(
    text: str,
    words: list[tuple[int, int, str]],
    capitalised: list[bool],
    gazetteer: Gazetteer,
    persons: dict[str, bool],
    misses: list[tuple[list[int], int]],
) -> list[_Span]:
    """Gazetteer names in runs of capitalised words, longest first, with the false-positive filters.

    Capitalised words no name covers are appended to `misses` as (run, position in the run), for
    the transliteration fallback (`_skeleton_spans`)."""
    spans: list[_Span] = []
    for run in _capitalised_runs(text, words, capitalised):
        i = 0
        while i < len(run):
            if not capitalised[run[i]]:  # a connector: no name starts with it
                i += 1
                continue
            matched = False
            for n in range(min(MAX_NAME_WORDS, len(run) - i), 0, -1):
                if not capitalised[run[i + n - 1]]:
                    continue
                first, last = words[run[i]], words[run[i + n - 1]]
                surface = text[first[0] : last[1]]
                key, verdict, candidates = _name_candidates(gazetteer, surface, n == 1)
                if verdict == "outlet":
                    i += n  # "Rudaw", "Al-Manar", "Daily Sabah": none of its words is a place
                    matched = True
                    break
                if verdict == "dotted" and "." not in text[last[1] : last[1] + 1] + surface:
                    continue  # "I'll" is not "Ill.", "Wash" not "Wash."
                follow = (
                    _DIVISION_AFTER.match(text[last[1] : last[1] + 14])
                    if text[last[1] + 1 : last[1] + 2] in _DIVISION_INITIALS
                    else None
                )
                if follow:
                    # "Nineveh province", "Raqqa governorate": a division named in lower case (also
                    # where the name alone is none: "Far North region", "Blue Nile state")
                    wider = gazetteer.lookup_key(f"{key} {follow.group(1)}", variants=False)
                    if wider:
                        end = last[1] + follow.end()
                        spans.append(_Span(first[0], end, text[first[0] : end], wider, "name"))
                        i += n
                        matched = True
                        break
                if not candidates:
                    continue
                span = _Span(first[0], last[1], surface, list(candidates), "name")
                if _names_equipment(text, span):
                    pass  # "Apache helicopters": the words are used up, no place
                elif _keep_in_run(text, words, run, i, i + n, span, gazetteer, persons):
                    spans.append(span)
                i += n
                matched = True
                break
            if not matched:
                misses.append((run, i))
                i += 1
    return spans


def _capitalised_runs(text: str, words: list[tuple[int, int, str]], capitalised: list[bool]) -> list[list[int]]:
    """The runs of capitalised words, as lists of word indices: words one space or hyphen apart,
    perhaps joined by lower-case connectors ("Bay of Islands", "Deir ez-Zor"), which never end one."""
    runs: list[list[int]] = []
    current: list[int] = []
    # Only the capitalised words and the lower-case words between two of them are looked at: most
    # words of a text are neither.
    for i in itertools.compress(range(len(words)), capitalised):
        if current:
            joined = True
            for k in range(current[-1] + 1, i):  # lower-case words since the run's last word
                if words[k][2].lower() in CONNECTORS and text[words[current[-1]][1] : words[k][0]] in (" ", "-"):
                    current.append(k)
                else:
                    joined = False
                    break
            if not joined or text[words[current[-1]][1] : words[i][0]] not in (" ", "-"):
                runs.append(current)
                current = []
        current.append(i)
    if current:
        runs.append(current)
    # (connectors before a word that ends the run are dropped with the run's end)
    for index, run in enumerate(runs):
        while not capitalised[run[-1]]:
            run = run[:-1]
        runs[index] = run
    return runs


@functools.lru_cache(maxsize=1 << 15)
def _name_candidates(
    gazetteer: Gazetteer, surface: str, single: bool
) -> tuple[str, str, tuple[tuple[Place, bool], ...]]:
    """What capitalised words (`single`: one word) name wherever they are written: their key, a
    verdict and the candidates. The verdict is "outlet" (a news outlet: none of its words is a
    place), "dotted" (the candidates only when a dot follows, as in "Ill.") or "". Cached: news
    repeats its names, across articles too."""
    key = normalize(surface)
    if single and len(key) < 2:
        return key, "", ()
    if single and (key in STOPWORDS or key in TITLES) and not (surface.isupper() and len(surface) > 1):
        return key, "", ()  # (a title on its own, "Sens." or "Gov.", is no place either)
    if key in NON_PLACE_PHRASES:
        return key, "", ()
    if key in MEDIA_OUTLETS or (" " in key and strip_articles(key) in MEDIA_OUTLETS):
        return key, "outlet", ()  # (a single word is its own key without articles)
    if key in gazetteer.caps_only and not surface.replace(".", "").isupper():
        return key, "", ()  # "Act" is not the ACT, "Car" not the CAR
    verdict = "dotted" if key in gazetteer.dot_only else ""
    if single and surface.lower() in DIRECTION_WORDS:
        return key, verdict, ()
    candidates = gazetteer.lookup_key(key)
    if surface.replace(".", "").isupper() and len(key.replace(" ", "")) <= 4:
        # "IE", "AP", "CNN": short capitals name a place only through a curated alias
        candidates = [c for c in candidates if c[0].kind in CURATED_KINDS and c[1]]
    return key, verdict, tuple(candidates)


def _names_equipment(text: str, span: _Span) -> bool:
    """Whether a city name is the model name of a weapon or aircraft ("Apache helicopters")."""
    if any(p.kind in {"country", "admin1", "continent", "region"} for p, _ in span.candidates):
        return False  # "Syria jets" would still be Syria
    match = _TWO_WORDS_AFTER.match(text[span.end : span.end + 40])
    if not match:
        return False
    first, second = match.groups()
    return first in EQUIPMENT_WORDS or (first in EQUIPMENT_KINDS and second in EQUIPMENT_WORDS)


def _last_word(before: str) -> str:
    """The last run of characters other than white space ("" if none)."""
    words = before.rsplit(None, 1)
    return words[-1] if words else ""


def _ends_locative(before: str, *, place_noun: bool = True) -> bool:
    """Whether the words before a name make it a place: `_LOCATIVE` ("in", "near") or, unless
    place_noun=False, `_PLACE_NOUN_OF` ("the town of") matches at the end of `before`."""
    # quick test first: one of the patterns' words ends the text, then white space only (the
    # letters ending the last word; no word of the patterns is near 24 letters long)
    last = _TRAILING_LETTERS.search(_last_word(before)[-24:])
    if last is None or fold_for_prefilter(last.group()) not in _LOCATIVE_WORDS:
        return False
    if last.group() == "to" and _ACCORDING_TO.search(before):
        return False
    folded = fold_for_prefilter(before)
    return bool(_LOCATIVE_FOLDED.search(folded) or (place_noun and _PLACE_NOUN_OF_FOLDED.search(folded)))


def _locative_before(text: str, start: int, sentence_starts: list[int]) -> bool:
    """Whether the words before start make what follows a place ("in", "near", "the town of")."""
    before = text[max(_sentence_start(sentence_starts, start), start - 60) : start]
    return _ends_locative(before)


def _named_countries(spans: list[_Span]) -> set[str]:
    """The countries an article is about: named (as a country, region, demonym or landmark, or as
    the likeliest reading of a better-known city: "Mosul" names Iraq) at least MAIN_COUNTRY_SHARE
    as often as the most named one."""
    counts: Counter[str] = Counter()
    for span in spans:
        if span.landmark is not None:
            counts[span.landmark["country"]] += 1
        elif span.candidates:
            place, primary = max(span.candidates, key=_candidate_score)
            if place.kind not in SETTLEMENT_KINDS or _base_score(place, primary) >= NAMED_CITY_PRIOR:
                counts[place.country] += 1
    counts.pop("", None)
    top = max(counts.values(), default=0)
    return {cc for cc, n in counts.items() if n >= MAIN_COUNTRY_SHARE * top}


def _may_be_transliterated(key: str) -> bool:
    """Whether the transliteration fallback (`_skeleton_spans`) may read a name's key: long enough,
    and no stopword, news outlet or given name. Tested before the skeleton lookup, which costs more
    (the first time a key is seen)."""
    if len(key.replace(" ", "")) < MIN_SKELETON_LETTERS:
        return False
    first = key.split()[0]
    return not (key in STOPWORDS or first in STOPWORDS or key in MEDIA_OUTLETS or first in GIVEN_NAMES)


def _skeleton_spans(
    text: str,
    words: list[tuple[int, int, str]],
    capitalised: list[bool],
    misses: list[tuple[list[int], int]],
    spans: list[_Span],
    gazetteer: Gazetteer,
    persons: dict[str, bool],
    sentence_starts: list[int],
    lower_words: _LowerWords,
) -> list[_Span]:
    """The transliteration fallback: capitalised words no name matched, looked up by consonant
    skeleton among the cities of the countries the article names ("Shirqat" -> Ash Sharqat).

    Only names of MIN_SKELETON_LETTERS or more letters that are not common words (a stopword, a
    word the text also writes in lower case, or one seen only at the start of a sentence). A name
    whose every reading is a small place (or one reached through an alternate name) in a country the
    article does not name ("Karama": Karama, Australia; Calama, Chile) is read again the same way.
    What this finds ranks below exact matches."""
    countries = _named_countries(spans)
    if not countries:
        return []
    starts_of: defaultdict[str, list[int]] | None = None  # where the text writes each capitalised word

    def readable(key: str, first_start: int) -> bool:
        """Whether a key that `_may_be_transliterated` reads as a name here: not written in lower
        case in the text, and seen inside a sentence if it opens this one."""
        nonlocal starts_of
        first = key.split()[0]
        if key in lower_words:
            return False
        if not _is_sentence_initial(text, first_start):
            return True
        if starts_of is None:  # needed for few articles: built on first use
            starts_of = defaultdict(list)
            for start, _end, word in itertools.compress(words, capitalised):
                if word[:1].isupper():
                    starts_of[normalize(word)].append(start)
        # (where a sentence starts is only worked out for the words asked about)
        return any(not _is_sentence_initial(text, start) for start in starts_of.get(first, ()))

    by_start = {span.start: span for span in spans}

    def countries_for(start: int, end: int) -> set[str]:
        """The country named with a name ("Qatif, Saudi Arabia", "the Syrian town of"), else the
        article's."""
        comma = _COMMA.match(text[end : end + 4])
        follower = by_start.get(end + comma.end()) if comma else None
        named = {p.country for p, _ in follower.candidates if p.kind == "country"} if follower else set()
        return named or ({_demonym_country(text, start, gazetteer)} - {""}) or countries

    missed = {run[i] for run, i in misses}
    found: list[_Span] = []
    taken = -1  # words up to this index are used by a span found here
    for run, i in misses:
        if run[i] <= taken:
            continue
        for n in range(min(3, len(run) - i), 0, -1):
            if not missed.issuperset(run[i : i + n]):
                continue
            first, last = words[run[i]], words[run[i + n - 1]]
            surface = text[first[0] : last[1]]
            key = normalize(surface)
            if not _may_be_transliterated(key) or not gazetteer.has_skeleton(key) or not readable(key, first[0]):
                continue
            places = gazetteer.lookup_skeleton(key, countries_for(first[0], last[1]))
            if not places or not _locative_before(text, first[0], sentence_starts):
                continue
            span = _Span(first[0], last[1], surface, [(p, False) for p in places], "name", penalty=SKELETON_PENALTY)
            if _keep_in_run(text, words, run, i, i + n, span, gazetteer, persons):
                found.append(span)
            taken = run[i + n - 1]
            break
    for span in spans:
        if span.source != "name":
            continue
        if not span.candidates or any(_candidate_score(c) >= NAMED_CITY_PRIOR for c in span.candidates):
            continue
        key = normalize(span.text)
        if not _may_be_transliterated(key) or not gazetteer.has_skeleton(key):
            continue
        wanted = countries_for(span.start, span.end)
        if any(place.country in wanted for place, _ in span.candidates):
            continue
        if readable(key, span.start) and _locative_before(text, span.start, sentence_starts):
            places = gazetteer.lookup_skeleton(key, wanted)
            if places:
                span.candidates = [(p, False) for p in places]
                span.penalty = SKELETON_PENALTY
    return found


def _in_title_case_line(text: str, pos: int) -> bool:
    """Whether the line around `pos` is written in Title Case (a headline, not prose)."""
    return _title_case_line(text, text.rfind("\n", 0, pos) + 1)


@functools.lru_cache(maxsize=256)
def _title_case_line(text: str, start: int) -> bool:
    """Whether the line starting at `start` is written in Title Case. Cached: asked again for every
    name in the line (a text's hash is computed once, so the key is cheap)."""
    end = text.find("\n", start)
    capitals = _TITLE_CASE_WORD.findall(text, start, len(text) if end == -1 else end)  # "" when none
    return len(capitals) >= 3 and len(capitals) - capitals.count("") >= TITLE_CASE_SHARE * len(capitals)


def _person(text: str, span: _Span, persons: dict[str, bool], name: str, *, strong: bool = False) -> bool:
    """Learn that `name` is a person's here (so it is no place elsewhere in the text either);
    False, for `_keep_in_run` to return. `strong`: the evidence names a person for certain (a
    title, a middle initial, a given name, a verb of speech), not only a longer name ("Living
    Norfolk"): then only a preposition of place makes the name a place again elsewhere.

    Not learnt in a headline, where every word is capitalised: "Operation to Free Mosul" says
    nothing about a person called Mosul; nor in a shouted caption ("ONWARD TO FALLUJAH.")."""
    if not (span.text.isupper() or _in_title_case_line(text, span.start)):
        persons[name] = persons.get(name, False) or strong
    return False


def _keep_in_run(
    text: str,
    words: list[tuple[int, int, str]],
    run: list[int],
    i: int,
    j: int,
    span: _Span,
    gazetteer: Gazetteer,
    persons: dict[str, bool],
) -> bool:
    """Whether a name found at run[i:j] is a place rather than part of a person's or other name
    (names found to be people's are added to `persons`, see `_person`)."""
    # The run's words before the name and the word after it, up to a connector, which ends the
    # other name: "Sachs of Alexandria", "Alexandria and Arlington". (Walked from the name: a
    # headline's run can be long.)
    first = i
    while first > 0 and words[run[first - 1]][2].lower() not in CONNECTORS:
        first -= 1
    before = [words[k][2] for k in run[first:i]]
    after = words[run[j]][2] if j < len(run) else ""
    if after.lower() in CONNECTORS:
        after = ""
    strong = any(p.kind in {"country", "admin1", "continent", "region"} for p, _ in span.candidates)
    first_word = words[run[i]][2]
    # A title just before: "Gov. Perry", "President Jackson".
    previous = text[max(0, span.start - 20) : span.start].rstrip()
    prev_word = _LAST_WORD.findall(_last_word(previous))  # (in the last word: the same, sooner)
    if prev_word and prev_word[0][:1].isupper() and prev_word[0].rstrip(".").lower() in TITLES and not strong:
        return _person(text, span, persons, normalize(span.text), strong=True)
    if not strong and not before and _INITIAL_BEFORE.search(previous):
        return _person(text, span, persons, normalize(span.text), strong=True)  # "Charles H. Wilson"
    # ("Damascus said", "Ankara insisted", "Radio Pyongyang": a capital speaks for its government)
    capital = any(p.kind == "capital" for p, _ in span.candidates)
    if not strong and not capital and not before and _PERSON_BEFORE.search(text, max(0, span.start - 16), span.start):
        return _person(text, span, persons, normalize(span.text), strong=True)  # "stabbed Welch"
    if after:
        head = after.rstrip(".").rstrip("’'s").lower()
        if head in STREET_WORDS or after.lower().rstrip(".") in STREET_WORDS:
            return False
        if head not in ORG_WORDS:
            # "Jordan Smith", "Paris Hilton": a place-name followed by an unknown capitalised word
            # is most often a person or an organisation named after something else.
            return _person(text, span, persons, normalize(after))
    tail = text[span.end : span.end + 24]
    if not strong and not capital and _PERSON_AFTER.match(tail) and not _ends_locative(previous[-40:] + " "):
        # (not "residents of central Falluja said": a locative word makes it the place they are in)
        return _person(text, span, persons, normalize(span.text), strong=True)
    if before:
        lead = [w.lower().rstrip(".") for w in before]
        # (a function word that opens the sentence, "A DeKalb man", "When Gainesville", is no name)
        if not all(w in PLACE_PREFIXES or w in CONNECTORS or w in FUNCTION_WORDS for w in lead):
            # "Andrew Jackson", "Homeland Security": the place word ends a longer other name
            # (not a national capital: "Radio Pyongyang", "Greater Cairo").
            if not strong and not capital:
                return _person(text, span, persons, normalize(span.text))
        if lead[-1] in GIVEN_NAMES:
            return _person(text, span, persons, normalize(span.text), strong=True)
    if (
        first_word.lower() in GIVEN_NAMES
        and not strong
        and after
        and max(map(_candidate_score, span.candidates)) < GIVEN_NAME_PLACE_PRIOR
    ):
        return False
    return True


def _normalises_to_nothing(word: str) -> bool:
    """Whether a word (starting with a letter) has no Latin letter or digit: written in another script."""
    return not word.isascii() and not normalize(word)


@functools.lru_cache(maxsize=4)
def _demonym_openers(gazetteer: Gazetteer) -> frozenset[str]:
    """The first words of the gazetteer's demonyms of two or more words ("south" of "south korean")."""
    return frozenset(key.split(" ", 1)[0] for key in gazetteer.demonyms if " " in key)


def _demonym_spans(
    words: list[tuple[int, int, str]], capitalised: list[bool], text: str, gazetteer: Gazetteer
) -> list[_Span]:
    """'Syrian', 'Iraqis', 'South Korean': the country (or continent) they belong to."""
    spans = []
    openers = _demonym_openers(gazetteer)
    for i in itertools.compress(range(len(words)), capitalised):
        start, end, word = words[i]
        if not word[:1].isupper():
            continue
        key = normalize(word)
        # Two words are looked up together only where they can name a demonym of two words: the
        # first opens one ("South Korean"), or one of them normalises to nothing (then the pair
        # is looked up as the other word alone).
        if (
            i + 1 < len(words)
            and text[end : words[i + 1][0]] == " "
            and (key.split(" ", 1)[0] in openers or not key or _normalises_to_nothing(words[i + 1][2]))
        ):
            pair = gazetteer.demonym(f"{word} {words[i + 1][2]}")
            if pair:
                spans.append(_Span(start, words[i + 1][1], text[start : words[i + 1][1]], [(pair, True)], "demonym"))
                continue
        place = gazetteer.demonym_of_key(key)  # (the key at hand: not normalised again)
        if place:
            spans.append(_Span(start, end, word, [(place, True)], "demonym"))
    return spans


_PRIORITY = {"landmark": 0, "dateline": 0, "demonym": 1, "name": 2}  # of overlapping spans as long as each other


def _remove_overlaps(spans: list[_Span]) -> list[_Span]:
    """Keep the longest of overlapping spans (a landmark over the city inside it)."""
    # Spans are taken longest first (then by `_PRIORITY`, then leftmost), each unless it overlaps
    # one taken before. Which are taken among spans that overlap one another (a cluster: spans in
    # text order, each starting before the ones before it end) does not depend on the spans of
    # other clusters, which overlap none of them; most clusters are one span, taken as it is.
    kept: list[_Span] = []
    cluster: list[_Span] = []
    cluster_end = -1
    for span in sorted(spans, key=operator.attrgetter("start")):
        if span.start > cluster_end and cluster:
            kept += cluster if len(cluster) == 1 else _longest_first(cluster)
            cluster = []
        cluster.append(span)
        cluster_end = max(cluster_end, span.end)
    kept += cluster if len(cluster) == 1 else _longest_first(cluster)
    return kept


def _longest_first(spans: list[_Span]) -> list[_Span]:
    """`_remove_overlaps` of a cluster of spans, in text order."""
    ordered = sorted(spans, key=lambda s: (-(s.end - s.start), _PRIORITY.get(s.source, 3), s.start))
    kept: list[_Span] = []
    # The kept spans do not overlap, so sorted by start they are sorted by end too: the only one
    # that can overlap a new span is the last one starting before the new span ends.
    taken: list[tuple[int, int]] = []
    for span in ordered:
        before = bisect.bisect_left(taken, (span.end,)) - 1
        if before >= 0 and taken[before][1] > span.start:
            continue
        kept.append(span)
        bisect.insort(taken, (span.start, span.end))
    return sorted(kept, key=operator.attrgetter("start"))


def _demonym_country(text: str, start: int, gazetteer: Gazetteer) -> str:
    """The country of "the Syrian town of" / "the Turkish border city" just before start, or ""."""
    before = text[max(0, start - 50) : start]
    # quick test first: the pattern ends with "of" or a place noun, then white space
    if not before[-1:].isspace() or _last_word(before) not in _DEMONYM_PLACE_NOUN_WORDS:
        return ""
    match = _DEMONYM_PLACE_NOUN.search(before)
    place = gazetteer.demonym(match.group(1)) if match else None
    return place.country if place is not None and place.kind == "country" else ""


def _attach_qualifiers(text: str, spans: list[_Span], gazetteer: Gazetteer) -> list[_Span]:
    """'Springfield, Ill.' / 'Amman, Jordan' / 'the Syrian town of Madaya': pin the name to the state
    or country named with it."""
    extra = []
    by_start = {s.start: s for s in spans}
    for span in spans:
        if span.source == "name" and span.qualifier is None:
            country = _demonym_country(text, span.start, gazetteer)
            if country:
                span.qualifier = ("country", country)
        match = _QUALIFIER.match(text[span.end : span.end + 40])
        if not match:
            continue
        qual_start = span.end + match.start(1)
        qual_text = match.group(1)
        follower = by_start.get(qual_start)
        if follower is not None:
            kinds = {p.kind for p, _ in follower.candidates}
            countries = [p for p, _ in follower.candidates if p.kind == "country"]
            admin1s = [p for p, _ in follower.candidates if p.kind == "admin1"]
            if countries and "country" in kinds and not admin1s:
                span.qualifier = ("country", countries[0].country)
            elif admin1s:
                span.qualifier = ("admin1", admin1s[0].admin1)
            continue
        # A state abbreviation or postal code not found as a name ("Ill.", "Ga.", "TX")
        for size in (2, 1):
            parts = qual_text.split()[:size]
            candidate = " ".join(parts)
            state = gazetteer.state_abbrevs.get(normalize(candidate))
            if state and (candidate.endswith(".") or candidate.isupper() or len(candidate) > 4):
                span.qualifier = ("admin1", state)
                place = gazetteer.admin1_place("US", state)
                if place is not None:
                    end = qual_start + len(candidate)
                    extra.append(_Span(qual_start, end, text[qual_start:end], [(place, True)], "name"))
                break
    # One name, one place in an article: what qualifies one mention of a name qualifies the others
    # ("the Syrian town of Madaya ... Madaya's residents").
    qualified: dict[str, tuple[str, str]] = {}
    for span in spans:
        if span.source == "name" and span.qualifier is not None:
            qualified.setdefault(normalize(span.text), span.qualifier)
    for span in spans:
        if span.source == "name" and span.qualifier is None:
            span.qualifier = qualified.get(normalize(span.text))
    return spans + extra


def _widen_directions(text: str, spans: list[_Span], gazetteer: Gazetteer) -> None:
    """'northern Syria', 'eastern Aleppo': use the regions table, else widen the span to a region."""
    for span in spans:
        if span.source not in {"name"}:
            continue
        before = text[max(0, span.start - 30) : span.start]
        # quick test first: the direction word is the last word, then white space
        if not before[-1:].isspace() or _last_word(before).lower() not in DIRECTION_WORDS:
            continue
        match = _WORD_BEFORE.search(before)
        if not match or match.group(2).lower() not in DIRECTION_WORDS:
            continue
        word_start = span.start - (len(before) - match.start(2))
        phrase = text[word_start : span.end]
        regional = [
            c for c in gazetteer.lookup_key(normalize(phrase), variants=False) if c[0].kind in {"region", "admin1"}
        ]
        span.start, span.text = word_start, phrase
        if regional:
            span.candidates = regional
        else:
            span.direction = True


# ---------------------------------------------------------------------------------- resolution


def _base_score(place: Place, primary: bool) -> float:
    """A candidate's score before context."""
    return place.prior - (0 if primary else ALTERNATE_PENALTY)


def _candidate_score(candidate: tuple[Place, bool]) -> float:
    """`_base_score` of a (place, primary) candidate: a key for max()."""
    place, primary = candidate
    return place.prior - (0 if primary else ALTERNATE_PENALTY)


def _softmax(scores: list[float]) -> list[float]:
    """Each candidate's share of a reading's belief: softmax over its current scores."""
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


def _score(spans: list[_Span]) -> None:
    """Choose each span's place: prior + coherence with what the other spans may be, three rounds.

    Evidence is soft: every span lends its candidates' countries, first-level divisions and points
    in proportion to how likely each candidate is, so "Gainesville" (Florida or Georgia) and
    "Georgia" (the country or the state) settle each other.
    """
    for span in spans:
        if not span.candidates:
            span.choice = None
    active = [s for s in spans if s.candidates]
    # The mentions of a name read the same way (same candidates, qualifier and penalty) get the
    # same scores, so what is worked out per span below is worked out once per reading: its first
    # span stands for the others. (Candidates are (place, primary) pairs the gazetteer hands out
    # again for a name it is asked again, so the same pairs are the same objects.)
    readings: list[_Span] = []
    reading_of: list[int] = []  # per active span, its reading's index
    index: dict[tuple, int] = {}
    for span in active:
        key = (span.text, tuple(map(id, span.candidates)), span.penalty, span.qualifier)
        if key not in index:
            index[key] = len(readings)
            readings.append(span)
            span.choice = max(span.candidates, key=_candidate_score)[0]
        reading_of.append(index[key])
    # Only a reading of two or more candidates has a choice to make: a lone candidate's share of
    # the belief is 1.0 whatever its score (a softmax over one value), so scoring it changes nothing.
    choosing = [r for r, reading in enumerate(readings) if len(reading.candidates) >= 2]
    if choosing:
        _Rounds(readings, reading_of, choosing, max(1, len(active) - 1)).choose()
    for span, r in zip(active, reading_of, strict=False):
        span.choice = readings[r].choice


class _Near(NamedTuple):
    """What a candidate's nearness is worked out from in each round (see `_Rounds`)."""

    name: str  # the name the candidate is read from
    place: Place  # the candidate
    fixed: list[int]  # positions (in text order) of the spans of other names whose lone candidate is near it
    known: dict[int, bool]  # slot of a candidate of a choosing reading -> whether it is near (tested so far)


def _near_term(near: float) -> float:
    """What nearness adds to a candidate's score."""
    return NEAR_WEIGHT * min(near, 2.0) / 2


class _Rounds:
    """The rounds of `_score` over the readings that choose. Each round scores their candidates
    from the beliefs the round before left (the first from the priors alone).

    Every candidate of every reading has a slot in `shares`: its share of its reading's belief
    (a lone candidate's stays 1.0). What the rounds read of the other spans is worked out once:
    which shares add up to each country's and first-level division's sum, and which spans of a
    lone candidate are near each candidate with a point."""

    def __init__(self, readings: list[_Span], reading_of: list[int], choosing: list[int], others: int) -> None:
        self.readings, self.choosing, self.others = readings, choosing, others
        self.first_slot = list(itertools.accumulate((len(s.candidates) for s in readings), initial=0))
        self.shares = [1.0] * self.first_slot[-1]
        # per candidate: its country, its first-level division (as (country, admin1)) or None, and
        # whether it has a point that can be near others
        self.traits = [
            [
                (
                    p.country,
                    (p.country, p.admin1) if p.admin1 else None,
                    p.lat is not None and p.kind not in {"country", "continent"},
                )
                for p, _ in s.candidates
            ]
            for s in readings
        ]
        # The sums are read only for the choosing candidates' countries and divisions. Per such
        # key, the slots whose shares add up to it, span by span in text order: floats summed in
        # another order could differ in the last digit.
        wanted = {key for r in choosing for country, admin1, _ in self.traits[r] for key in (country, admin1)}
        wanted.discard(None)
        keyed = [
            [
                (key, slot)
                for slot, (country, admin1, _) in enumerate(traits, first)
                for key in (country, admin1)
                if key in wanted
            ]
            for traits, first in zip(self.traits, self.first_slot, strict=False)
        ]
        self.slots_by_key: defaultdict[str | tuple[str, str], list[int]] = defaultdict(list)
        self.spans_of: defaultdict[int, list[int]] = defaultdict(list)  # reading -> positions of its spans
        for position, r in enumerate(reading_of):
            self.spans_of[r].append(position)
            for key, slot in keyed[r]:
                self.slots_by_key[key].append(slot)
        # the candidates with a point of the readings that choose, (slot, place) per reading
        self.pointed = {
            r: [
                (slot, p)
                for slot, ((p, _), (_, _, pointed)) in enumerate(
                    zip(readings[r].candidates, self.traits[r], strict=False), self.first_slot[r]
                )
                if pointed
            ]
            for r in choosing
        }
        self.near = self._near()
        # Nearness depends only on the candidate and the name it is read from (the other mentions
        # of that name do not count), so the readings of a name share it: per candidate of a
        # reading that chooses, the key of its `_Near`, None for one without a point.
        self.near_keys = {
            r: [
                (readings[r].text, id(p)) if pointed else None
                for (p, _), (_, _, pointed) in zip(readings[r].candidates, self.traits[r], strict=False)
            ]
            for r in choosing
        }
        # With two lone candidates near it a candidate is lent 2.0, the most that counts, whatever
        # the others lend; else those alone lend it 0.0, or 0.0 + 1.0, unless a candidate of a
        # choosing reading lends too (see `_near_terms`).
        self.fixed_near_terms = {
            key: _near_term(2.0 if len(near.fixed) >= 2 else float(len(near.fixed))) for key, near in self.near.items()
        }
        # the keys of the others by latitude, to find those a lending candidate may be near
        self.near_by_lat = sorted(
            (near.place.lat, key)
            for key, near in self.near.items()  # type: ignore[misc]
            if len(near.fixed) < 2
        )
        self.near_lats = [lat for lat, _ in self.near_by_lat]

    def _near(self) -> dict[tuple[str, int], _Near]:
        """Per (name, id of a candidate with a point of a reading that chooses): its `_Near`, with
        the spans of a lone candidate, whose share is always 1.0, found once."""
        readings, choosing = self.readings, set(self.choosing)
        # the lone candidates with a point, by latitude: a place is compared only with those in its
        # band of latitudes (most are farther)
        points = sorted(
            (reading.candidates[0][0].lat, r)
            for r, reading in enumerate(readings)
            if r not in choosing and self.traits[r][0][2]
        )
        lats = [lat for lat, _ in points]
        near: dict[tuple[str, int], _Near] = {}
        for r in self.choosing:
            name = readings[r].text
            for _slot, place in self.pointed[r]:
                if (name, id(place)) in near:
                    continue
                low = bisect.bisect_left(lats, place.lat - NEAR_LAT_REACH)  # type: ignore[operator]
                high = bisect.bisect_right(lats, place.lat + NEAR_LAT_REACH)  # type: ignore[operator]
                lenders = [
                    lender
                    for _, lender in points[low:high]
                    if readings[lender].text != name and _within_near_km(place, readings[lender].candidates[0][0])
                ]
                fixed = sorted(position for lender in lenders for position in self.spans_of[lender])
                near[(name, id(place))] = _Near(name, place, fixed, {})
        return near

    def _near_terms(self) -> dict[tuple[str, int], float]:
        """Per key of `near`: what nearness adds to the candidate's score this round."""
        terms = dict(self.fixed_near_terms)
        # The candidates of choosing readings that lend this round (likely enough: > 0.2) are far
        # fewer than the keys: the keys each may be near are found from them.
        lent: defaultdict[tuple[str, int], list[tuple[int, int, Place]]] = defaultdict(list)
        shares, near_by_lat, near_lats = self.shares, self.near_by_lat, self.near_lats
        for r in self.choosing:
            for slot, place in self.pointed[r]:
                if shares[slot] > 0.2:
                    low = bisect.bisect_left(near_lats, place.lat - NEAR_LAT_REACH)  # type: ignore[operator]
                    high = bisect.bisect_right(near_lats, place.lat + NEAR_LAT_REACH)  # type: ignore[operator]
                    for _lat, key in near_by_lat[low:high]:
                        lent[key].append((slot, r, place))
        for key, offered in lent.items():
            near = self.near[key]
            first_near: dict[int, int] = {}  # reading -> slot of its first near candidate that lends
            for slot, r, candidate in offered:
                if self.readings[r].text == near.name or (r in first_near and first_near[r] < slot):
                    continue
                close = near.known.get(slot)
                if close is None:
                    close = near.known[slot] = _within_near_km(near.place, candidate)
                if close:
                    first_near[r] = slot
            if first_near:
                terms[key] = _near_term(self._nearness(near, first_near))
        return terms

    def _nearness(self, near: _Near, first_near: dict[int, int]) -> float:
        """How much the spans of other names lend a candidate: for each, the share of its first
        candidate near it that lends, summed in text order, but only until it reaches 2.0, the
        most that counts (shares are positive: the sum can only grow from there)."""
        lending = sorted(
            [(position, 1.0) for position in near.fixed]
            + [(position, self.shares[slot]) for r, slot in first_near.items() for position in self.spans_of[r]]
        )
        total = 0.0
        for _position, share in lending:
            total += share
            if total >= 2.0:
                break
        return total

    def choose(self) -> None:
        """Each choosing reading's choice: its candidate of the highest score."""
        for r, scores in self.scores().items():
            best = max(range(len(scores)), key=scores.__getitem__)  # the first of the highest
            self.readings[r].choice = self.readings[r].candidates[best][0]

    def scores(self) -> dict[int, list[float]]:
        """The scores of each choosing reading's candidates after three rounds."""
        readings, traits, shares, first_slot, others = (
            self.readings,
            self.traits,
            self.shares,
            self.first_slot,
            self.others,
        )
        base = {
            r: [_base_score(p, primary) - readings[r].penalty for p, primary in readings[r].candidates]
            for r in self.choosing
        }
        qualified = {
            r: [_qualifies(p, readings[r].qualifier) for p, _ in readings[r].candidates]
            if readings[r].qualifier is not None
            else itertools.repeat(False)
            for r in self.choosing
        }
        scores = dict(base)
        for _round in range(3):
            for r in self.choosing:
                shares[first_slot[r] : first_slot[r + 1]] = _softmax(scores[r])
            # (added one by one, left to right, as a loop would: sum() of floats may add otherwise)
            sums = {
                key: functools.reduce(operator.add, map(shares.__getitem__, slots), 0.0)
                for key, slots in self.slots_by_key.items()
            }
            near_terms = self._near_terms()
            for r in self.choosing:
                own: defaultdict[str | tuple[str, str], float] = defaultdict(float)
                for share, (country, admin1, _) in zip(
                    shares[first_slot[r] : first_slot[r + 1]], traits[r], strict=False
                ):
                    own[country] += share
                    if admin1:
                        own[admin1] += share
                new_scores = []
                for score, (country, admin1, _), near_key, qualifies in zip(
                    base[r], traits[r], self.near_keys[r], qualified[r], strict=False
                ):
                    score += COUNTRY_WEIGHT * (sums[country] - own[country]) / others
                    if admin1:
                        score += ADMIN1_WEIGHT * (sums[admin1] - own[admin1]) / others
                    if near_key:
                        score += near_terms[near_key]
                    if qualifies:
                        score += QUALIFIER_WEIGHT
                    new_scores.append(score)
                scores[r] = new_scores
        return scores


def _qualifies(place: Place, qualifier: tuple[str, str] | None) -> bool:
    """Whether a place is in the state or country a "City, State" qualifier names."""
    return qualifier is not None and (
        (qualifier[0] == "country" and place.country == qualifier[1])
        or (qualifier[0] == "admin1" and place.admin1 == qualifier[1])
    )


def _resolve_context(
    text: str, spans: list[_Span], gazetteer: Gazetteer, sentence_starts: list[int]
) -> list[tuple[_Span, Place | None]]:
    """Give a point to places that have none (US counties, generic landmarks) from their context."""
    results: list[tuple[_Span, Place | None]] = []
    cities = [s for s in spans if s.choice is not None and s.choice.kind in SETTLEMENT_KINDS]
    for span in spans:
        place = span.choice
        if span.landmark is not None:
            place = _landmark_place(text, span, spans, sentence_starts, gazetteer)
        elif place is not None and place.lat is None:
            # A county: the mean of the cities named in the same state, else the state's point.
            same = [s.choice for s in cities if s.choice.admin1 == place.admin1 and s.choice.country == place.country]
            anchor = gazetteer.admin1_place(place.country, place.admin1)
            if same:
                lat = sum(p.lat for p in same) / len(same)
                lon = sum(p.lon for p in same) / len(same)
                place = replace(place, lat=lat, lon=lon)
            elif anchor is not None:
                place = replace(place, lat=anchor.lat, lon=anchor.lon)
        elif place is not None and span.direction:
            precision = "district" if place.kind in SETTLEMENT_KINDS else "region"
            place = replace(
                place,
                geo_precision=precision,
                name=f"{span.text.split()[0].lower()} {place.name}"
                if not span.text.lower().startswith("the ")
                else place.name,
            )
        results.append((span, place))
    return results


def _landmark_place(
    text: str, span: _Span, spans: list[_Span], sentence_starts: list[int], gazetteer: Gazetteer
) -> Place | None:
    """A landmark's place: its own point, or (generic) the city named nearest before it."""
    landmark = span.landmark or {}
    pid = f"ref:{landmark['id']}"
    if not landmark.get("generic"):
        return Place(
            pid,
            landmark["name"],
            landmark["lat"],
            landmark["lon"],
            landmark["country"],
            landmark["admin1"],
            "landmark",
            landmark["geo_precision"],
            0,
        )
    para_start, _ = _paragraph_bounds(text, span.start)
    sentence_start = _sentence_start(sentence_starts, span.start)
    before = [
        s
        for s in spans
        if s.end <= span.start
        and s.choice is not None
        and s.landmark is None
        and s.choice.kind in TOWN_KINDS
        and s.choice.lat is not None
    ]
    anchor = next((s for s in reversed(before) if s.start >= sentence_start), None)
    if anchor is None:
        anchor = next((s for s in reversed(before) if s.start >= para_start), None)
    if anchor is None:
        return None
    city = anchor.choice
    return Place(
        f"{pid}@{city.place_id}",
        f"{landmark['name']}, {city.name}",
        city.lat,
        city.lon,
        city.country,
        city.admin1,
        "landmark",
        landmark["geo_precision"],
        0,
    )


def _role(text: str, span: _Span, regions: list[tuple[int, int, str]], sentence_starts: list[int]) -> str:
    """dateline/byline from the stretches; reference for the point a distance or direction is
    measured from ("40 miles south of Mosul"); venue for where something was said ("told reporters
    in Washington"); event after a locative or event word; else mentioned."""
    marked = _role_at(regions, span.start)
    if marked is not None:
        return marked
    if span.source == "demonym":
        return "mentioned"
    sentence_start = _sentence_start(sentence_starts, span.start)
    before = text[max(sentence_start, span.start - 100) : span.start]
    last = _last_word(before).lower()
    # (quick tests first: the patterns need a direction or a unit, a word of speech or a meeting)
    if (
        last in _REFERENCE_LAST_WORDS
        and any(word in before[-70:].lower() for word in _REFERENCE_HINTS)
        and _REFERENCE_BEFORE.search(before)
    ):
        return "reference"
    if (
        last in _VENUE_LAST_WORDS
        and not _VENUE_WORDS.isdisjoint(_LOWER_WORD.findall(before[-90:]))
        and _VENUE_BEFORE.search(before)
    ):
        return "venue"
    return "event" if _ends_locative(before[-60:], place_noun=False) else "mentioned"


# The words of a phrase that makes the place after it the point a direction or distance is measured
# from: "(40 miles) south of", "north-west of the city of", "30 km from" (not "the north of Iraq",
# which is inside it). The phrase ends with one of _REFERENCE_LAST_WORDS (a quick test first).
_DIRECTION = r"(?:(?:north|south)(?:-?(?:east|west))?|east|west)"
_DISTANCE_UNIT = r"(?:km|kms|kilomet(?:er|re)s?|miles?|mi)"
_CITY_OF = r"(?:the\s+(?:city|town|village|capital)\s+of\s+)?"
_REFERENCE_BEFORE = re.compile(
    rf"(?:(?:(?<!\bthe\s)(?<!\bfar\s)\b|\bto\s+the\s+){_DIRECTION}(?:wards?)?\s+of\s+{_CITY_OF}"
    rf"|\b{_DISTANCE_UNIT}\b\.?(?:\s*\([^()]{{1,30}}\))?\s+(?:away\s+)?from\s+{_CITY_OF})$",
    re.IGNORECASE,
)
_REFERENCE_LAST_WORDS = frozenset({"of", "from"})
_REFERENCE_HINTS = ("north", "south", "east", "west", "km", "kilomet", "mile")
# A distance and a direction from a place: "65 kilometres south of", "about 40 miles (65 km) to the
# north-west of", "20-30 km east of". The place the phrase points at is derived from them.
_NUMBER_WORDS = {**CARDINALS, "hundred": 100}
_NUMBER = r"\d+(?:[.,]\d+)?|" + "|".join(_NUMBER_WORDS)
_DISTANCE_DIRECTION = re.compile(
    rf"\b(?P<num>{_NUMBER})(?:\s*(?:-|–|to)\s*(?P<num2>{_NUMBER}))?[\s-]*(?P<unit>{_DISTANCE_UNIT})\b\.?"
    rf"(?:\s*\([^()]{{1,30}}\))?\s+(?:to\s+the\s+)?(?P<dir>{_DIRECTION})\s+of\s+{_CITY_OF}$",
    re.IGNORECASE,
)
_BEARINGS = {
    "north": 0.0,
    "northeast": 45.0,
    "east": 90.0,
    "southeast": 135.0,
    "south": 180.0,
    "southwest": 225.0,
    "west": 270.0,
    "northwest": 315.0,
}
KM_PER_MILE = 1.609344
# ... and where something was said: "said (on Monday) in", "told reporters in", "told a news
# conference in", "speaking to reporters in", "a press conference in", "peace talks in".
_SPEECH_VERBS = "said says spoke speaking announced declared stated added warned insisted testified".split()
_TELL_VERBS = "told telling tells briefed briefing addressed addressing".split()
_AUDIENCES = "reporters journalists lawmakers legislators parliament senators delegates diplomats".split()
_VENUE_NOUNS = (
    "conference briefing audience summit meeting forum rally gathering session hearing ceremony talks"
).split()
_VENUE_BEFORE = re.compile(
    rf"(?:\b(?:{'|'.join(_SPEECH_VERBS)})"
    rf"|\b(?:{'|'.join(_TELL_VERBS)}|(?:spoke|speaking|talking)\s+to)\s+"
    rf"(?:{'|'.join(_AUDIENCES)}|an?\s+(?:[\w'-]+\s+){{0,3}}?(?:{'|'.join(_VENUE_NOUNS)})"
    rf"|the\s+(?:[\w'-]+\s+){{0,3}}?(?:{'|'.join(_VENUE_NOUNS)}|council|committee|assembly))"
    rf"|\b(?:{'|'.join(_VENUE_NOUNS)}))"
    r"(?:\s+(?:held\s+)?(?:on|late|early)\s+\w+)?\s+(?:in|at)\s+(?:the\s+)?$"
)
_VENUE_LAST_WORDS = frozenset({"in", "at", "the"})
# (one of these words is in every phrase `_VENUE_BEFORE` matches: a quick test first)
_VENUE_WORDS = frozenset(_SPEECH_VERBS + _TELL_VERBS + _AUDIENCES + _VENUE_NOUNS + ["talking"])


# ---------------------------------------------------------------------------------- containment


# Nouns of a part of a city or of a place near one ("the Riyadh district of Kirkuk", "Naimiya, a
# rural district of Falluja", "the village of Imam Gharbi near Qayyarah"); the parts of a city lie
# within CITY_PART_KM of its point, villages and towns near it within NEAR_TOWN_KM.
_PART_NOUN = re.compile(r"\b(district|neighbou?rhood|quarter|suburb|village|town|sub-?district)(s?)\b")
# Every match of `_PART_NOUN` starts with one of these, which str.find finds far faster than the
# regex engine, which (the pattern opening with \b) would try the pattern at every position.
_PART_NOUN_STARTS = ("district", "neighbo", "quarter", "sub", "village", "town")
CITY_PARTS = frozenset(
    {"district", "neighborhood", "neighbourhood", "quarter", "suburb", "subdistrict", "sub-district"}
)
CITY_PART_KM = 30.0
# A city of districts, which can come first in "the Mosul neighbourhood of Gogjali": 300,000 people.
LARGE_CITY_PRIOR = 5.5
NEAR_TOWN_KM = 60.0
# A region this small (its radius in regions.csv) is as good a point for a village in it as a city.
SMALL_REGION_KM = 50.0
# A name in these phrases: capitalised words, each perhaps after an Arabic article ("al-Shaab",
# "Hay al-Arabi", "Sayeda Zeynab").
_NAME_WORD = r"(?:(?:al|el|ar|as|ash|az|ad|an|at)[-\s])?[A-Z][\w'’]*(?:-[\w'’]+)*"
_PART_NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}}"
_DIRECTION_ADJECTIVE = (
    r"(?:(?:north|south)(?:-?(?:east|west))?(?:ern)?|(?:east|west)(?:ern)?|central|old|"
    r"outer|inner)"
)
# The name just before the noun ("the Riyadh district"), or with a comma and an article before it
# ("Naimiya, a largely rural district"); "the" and up to two words before the noun ("the northern
# suburb of Garma").
_NAME_BEFORE_PART = re.compile(rf"(?P<x>{_PART_NAME})\s+$")
_NAME_COMMA_BEFORE_PART = re.compile(rf"(?P<x>{_PART_NAME}),\s+(?:an?|the)\s+(?:[\w-]+\s+){{0,3}}$")
_THE_BEFORE_PART = re.compile(r"\bthe\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
# What follows the noun: the city it is part of ("of Kirkuk", "in eastern Mosul"), or its own name
# and perhaps the city ("of Nuaimiya", "of Imam Gharbi near Qayyarah").
_CITY_AFTER_PART = re.compile(
    rf"\s+(?:of|in)\s+(?:the\s+)?(?:city\s+of\s+)?(?:{_DIRECTION_ADJECTIVE}\s+)?(?P<y>{_PART_NAME})"
)
_NAME_AFTER_PART = re.compile(
    rf"\s+of\s+(?P<x>{_PART_NAME})(?:,?\s+(?:in|near|outside)\s+(?:the\s+)?(?:{_DIRECTION_ADJECTIVE}\s+)?"
    rf"(?P<y>{_PART_NAME}))?"
)


class _Within(NamedTuple):
    """A name the text places in or near another place: "the Riyadh district of Kirkuk"."""

    start: int  # where the name is
    end: int
    anchor: tuple[int, int] | None  # where the place it lies in or near is named; None: the nearest city
    km: float  # how far from that place's point the name's place may lie
    # "part": the name lies in the place at anchor; "either": "the A district of B", where A is the
    # part ("the Riyadh district of Kirkuk") or the city ("the Mosul neighbourhood of Gogjali");
    # "town": "the A town of B", B the town and A the place it lies in ("the Urals town of ...")
    order: str


def _trim_name(text: str, start: int, end: int) -> tuple[int, int]:
    """A name found by the phrase patterns without the capitalised common words opening it ("The
    Riyadh" at a sentence's start, "the Kurdish village"): (end, end) when it is all such words."""
    for match in _FIRST_WORD.finditer(text, start, end):
        if match.group(1).lower() not in STOPWORDS:
            return match.start(), end
    return end, end


def _within_phrases(text: str) -> list[_Within]:
    """The names the text places inside or near a city by a phrase about a part of it or a village
    near it."""
    found: list[_Within] = []
    starts = sorted(at for word in _PART_NOUN_STARTS for at in find_all(text, word))
    for part in finditer_from(_PART_NOUN, text, starts):  # (`_PART_NOUN.finditer(text)`)
        noun, plural = part.group(1), part.group(2)
        km = CITY_PART_KM if noun in CITY_PARTS else NEAR_TOWN_KM
        before = text[max(0, part.start() - 80) : part.start()]
        offset = part.start() - len(before)
        after = _CITY_AFTER_PART.match(text, part.end())
        order = "either" if noun in CITY_PARTS else "town"
        # (quick tests first: a capitalised word just before the noun, or a comma not far before it)
        last = _last_word(before)
        x_match = _NAME_BEFORE_PART.search(before) if last[:1].isupper() or last[1:3] == "l-" else None
        if x_match is None and "," in before[-50:]:
            x_match, order = _NAME_COMMA_BEFORE_PART.search(before), "part"
        start, end = (
            _trim_name(text, offset + x_match.start("x"), offset + x_match.end("x"))
            if x_match is not None and not plural
            else (0, 0)
        )
        if start < end:
            if after is not None:
                found.append(_Within(start, end, after.span("y"), km, order))
            elif (
                order == "either"
                and text[max(0, start - 5) : start].rstrip().endswith("the")
                and _ends_part_phrase(text, part.end())
            ):
                found.append(_Within(start, end, None, km, "part"))  # "in the Karrada district"
            continue
        if plural or not _THE_BEFORE_PART.search(before):
            continue
        named = _NAME_AFTER_PART.match(text, part.end())
        if named is not None:  # "the district of Nuaimiya", "the village of Imam Gharbi near Qayyarah"
            if named.group("y") is None and noun not in CITY_PARTS:
                continue  # "the town of Tal Afar" is a place of its own
            start, end = _trim_name(text, named.start("x"), named.end("x"))
            if start < end:
                found.append(_Within(start, end, named.span("y") if named.group("y") else None, km, "part"))
    return found


def _ends_part_phrase(text: str, end: int) -> bool:
    """Whether the noun of "the Karrada district" ends its phrase there: no noun follows it ("the
    Anderson County district clerk")."""
    match = _NEXT_LOWER_WORD.match(text, end)
    return match is None or match.group(1) in FUNCTION_WORDS


def _within_spans(text: str, spans: list[_Span], within: list[_Within]) -> list[_Span]:
    """Mark the spans the phrases place in or near a city (`_Span.within`), adding one for a name
    the gazetteer does not know ("the Zuhur neighbourhood"), and for the other name of "the A
    district of B" (either may be the city)."""
    exact = {(span.start, span.end): span for span in spans}
    extra = []
    for phrase in within:
        span = exact.get((phrase.start, phrase.end))
        if span is None:
            span = exact[(phrase.start, phrase.end)] = _Span(
                phrase.start, phrase.end, text[phrase.start : phrase.end], [], "within"
            )
            extra.append(span)
        span.within = phrase
        if phrase.order != "part" and phrase.anchor is not None and phrase.anchor not in exact:
            start, end = phrase.anchor
            exact[phrase.anchor] = _Span(start, end, text[start:end], [], "within")
            extra.append(exact[phrase.anchor])
    return spans + extra


def _place_within(text: str, spans: list[_Span], sentence_starts: list[int]) -> None:
    """Resolve the names the text places in or near a city: a reading of the name that lies there,
    else a point of that city, as a district of it ("the Riyadh district of Kirkuk"). Every mention
    of the name follows (one name, one place in an article)."""
    by_span = {(span.start, span.end): span for span in spans}
    placed: dict[str, Place] = {}
    for span in spans:
        phrase = span.within
        if phrase is None:
            continue
        if phrase.anchor is None:
            city = _nearest_city(text, span, spans, sentence_starts)
        else:
            city = by_span.get(phrase.anchor)
            if city is None:  # the name found there is longer or shorter: the one starting there
                city = next((s for s in spans if s.start == phrase.anchor[0] and s is not span), None)
        if city is None:
            continue
        part = span
        if (
            phrase.anchor is None
            and span.choice is not None
            and span.choice.kind in TOWN_KINDS
            and _base_score(span.choice, True) >= NAMESAKE_MAX_PRIOR
        ):
            continue  # "the Sadr City district" with no city named: a place known in its own right
        if phrase.order == "town" or (phrase.order == "either" and _contains(span, city, phrase.km)):
            city, part = span, city  # "the Mosul neighbourhood of Gogjali"
        anchor = city.choice
        if (
            anchor is None
            or anchor.lat is None
            or not (
                anchor.kind in TOWN_KINDS | {"district"}
                or (anchor.kind == "region" and 0 < anchor.radius_km <= SMALL_REGION_KM)
            )
        ):
            continue  # (a town "of" a large region lies somewhere in it: no point to give it)
        placed[normalize(part.text)] = _inside(part, anchor, phrase.km)
    if not placed:
        return
    for span in spans:
        if span.source in {"name", "within"}:
            place = placed.get(normalize(span.text))
            if place is not None:
                span.choice, span.direction = place, False


def _contains(first: _Span, second: _Span, km: float) -> bool:
    """In "the A district of B", whether A is the city and B the part: A reads as a large city, far
    better known than B, and B has a reading near it or none at all ("the Kabanjahe district of
    Sumatra": a town is no city of districts)."""
    city = first.choice
    if (
        city is None
        or city.lat is None
        or city.kind not in {"city", "capital"}
        or _base_score(city, True) < LARGE_CITY_PRIOR
    ):
        return False
    part = second.choice
    if part is not None and part.lat is not None and _base_score(city, True) < _base_score(part, True) + 1.0:
        return False
    return not second.candidates or any(p.lat is not None and _distance_km(p, city) <= km for p, _ in second.candidates)


def _inside(span: _Span, city: Place, km: float) -> Place:
    """The reading of a name that lies within km of a city, the likeliest one; else the city's point
    as a district of it."""
    near = [
        (p, primary)
        for p, primary in span.candidates
        if p.lat is not None
        and p.kind not in {"country", "continent", "admin1", "region"}
        and _distance_km(p, city) <= km
    ]
    if near:
        return max(near, key=_candidate_score)[0]
    key = normalize(span.text).replace(" ", "-")
    return Place(
        f"within:{key}@{city.place_id}",
        f"{span.text}, {city.name}",
        city.lat,
        city.lon,
        city.country,
        city.admin1,
        "district",
        "district",
        0,
    )


def _nearest_city(text: str, span: _Span, spans: list[_Span], sentence_starts: list[int]) -> _Span | None:
    """The city named nearest to a span in its sentence, else the last one named before it in its
    paragraph (farther back, the article may have moved on to another city)."""
    key = normalize(span.text)
    cities = [
        s
        for s in spans
        if s is not span
        and s.choice is not None
        and s.choice.lat is not None
        and s.choice.kind in TOWN_KINDS
        and normalize(s.text) != key
    ]
    sentence_start = _sentence_start(sentence_starts, span.start)
    index = bisect.bisect_right(sentence_starts, span.start)
    sentence_end = sentence_starts[index] if index < len(sentence_starts) else math.inf
    same = [s for s in cities if sentence_start <= s.start < sentence_end]
    # The first city after it, unless another place or an "and" comes between ("the district of
    # Nuaimiya, south of Falluja"); else the last before it in the sentence, the first after it, the
    # last named before the sentence in its paragraph.
    after = [s for s in same if s.start >= span.end]
    if (
        after
        and not _AND_OR_SEMICOLON.search(text, span.end, after[0].start)
        and not any(span.end <= s.start < after[0].start for s in spans if s.choice is not None)
    ):
        return after[0]
    before = [s for s in same if s.end <= span.start]
    if before:
        return before[-1]
    if after:
        return after[0]
    paragraph_start, _ = _paragraph_bounds(text, span.start)
    before = [s for s in cities if paragraph_start <= s.start and s.end <= span.start]
    return before[-1] if before else None


# ---------------------------------------------------------------------------------- namesakes


# A reading of a name that is a town (below this prior: 100,000 people) in a country no other
# place of the article is in, farther than NAMESAKE_KM from all of them, is a namesake abroad of a
# place the gazetteer lacks ("Karama", a district of Mosul, read as Karama in Australia).
NAMESAKE_MAX_PRIOR = 5.0
NAMESAKE_KM = 300.0


def _reject_namesakes(text: str, spans: list[_Span], sentence_starts: list[int]) -> list[_Span]:
    """Namesakes abroad: a reading in a country the article names, else none (a mention governed by a
    locative word stays, unresolved; another is dropped: nothing says it is a place)."""
    keys = {id(span): normalize(span.text) for span in spans if span.choice is not None}
    chosen = [(keys[id(span)], span.choice) for span in spans if span.choice is not None]
    if len(set(keys.values())) < 3:
        return spans  # two names: one wrong reading of the other would make the right one look abroad
    verdicts: dict[str, Place | None | bool] = {}  # key -> new reading, None: no reading, True: as it is
    kept = []
    for span in spans:
        key = keys.get(id(span))
        if (
            key is None
            or span.source != "name"
            or span.within is not None
            or span.choice.lat is None
            or span.choice.kind not in SETTLEMENT_KINDS - {"capital"}
        ):
            kept.append(span)
            continue
        if key not in verdicts:
            verdicts[key] = _namesake_verdict(span, key, chosen)
        verdict = verdicts[key]
        if verdict is True:
            kept.append(span)
            continue
        span.choice = verdict
        if (
            verdict is not None
            or span.qualifier is not None
            or _locative_before(text, span.start, sentence_starts)
            or (kept and _LIST_BEFORE.fullmatch(text, kept[-1].end, span.start))
        ):
            kept.append(span)  # (the last: one of a list of places, "in Mosul, Karama and Zuhur")
    return kept


def _namesake_verdict(span: _Span, key: str, chosen: list[tuple[str, Place]]) -> Place | None | bool:
    """True when a span's reading is no namesake abroad; else the reading to take instead, or None.
    `chosen`: the (key, reading) of every resolved span, as chosen before any was rejected."""
    place = span.choice
    primary = next((p for c, p in span.candidates if c is place), True)
    if _base_score(place, primary) - span.penalty >= NAMESAKE_MAX_PRIOR:
        return True
    others = [p for k, p in chosen if k != key]
    countries = {p.country for p in others}
    if place.country in countries:
        return True
    if any(
        p.lat is not None and p.kind not in {"country", "continent"} and _within_km(place, p, NAMESAKE_KM)
        for p in others
    ):
        return True
    local = [c for c in span.candidates if c[0].country in countries and c[0].lat is not None]
    return max(local, key=_candidate_score)[0] if local else None


def _within_km(a: Place, b: Place, km: float) -> bool:
    """Whether two located places are less than km apart."""
    if abs(a.lat - b.lat) * KM_PER_DEGREE_LAT > km + 1.0:  # type: ignore[operator]
        return False
    return _distance_km(a, b) < km


# ---------------------------------------------------------------------------------- public


def _canonical_name(place: Place) -> str:
    """The name to show: the English name where GeoNames' main name is a transliteration."""
    return place.name


def find_places(
    text: str, *, marked: Sequence[Marked] | None = None, gazetteer: Gazetteer | None = None
) -> list[PlaceMention]:
    """Place mentions in text, resolved to the gazetteer, in text order.

    `marked` are the cleaner's non-narrative stretches: mentions inside a dateline/byline mark get
    that role, inside other marks "mentioned". With marked=None datelines ("MOSUL, Iraq —") and
    bylines ("X reported from Washington.") are found by a built-in rule. Offsets are Python string
    indices: text[m.start:m.end] == m.text. Unresolved places have lat/lon None.
    """
    if not text:
        return []
    gazetteer = gazetteer or get_gazetteer()
    sentence_starts = _sentence_starts(text)
    regions = _role_regions(text, marked)
    words, capitalised, letter_runs = _words(text)
    persons: dict[str, bool] = {}  # name -> learnt from strong evidence (see `_person`)

    misses: list[tuple[list[int], int]] = []
    spans = _reference_spans(text, gazetteer, letter_runs)
    spans += _name_spans(text, words, capitalised, gazetteer, persons, misses)
    spans += _dateline_spans(text, regions, gazetteer)
    spans += _demonym_spans(words, capitalised, text, gazetteer)
    spans = _remove_overlaps(spans)
    lower_words = _LowerWords(text)
    spans += _skeleton_spans(text, words, capitalised, misses, spans, gazetteer, persons, sentence_starts, lower_words)
    spans = _remove_overlaps(spans)
    spans = _attach_qualifiers(text, spans, gazetteer)
    spans = _within_spans(text, spans, _within_phrases(text))
    spans = _remove_overlaps(spans)
    spans = _drop_unlikely(text, spans, persons, regions, lower_words)
    spans = _scope_quarters(spans, gazetteer)
    _widen_directions(text, spans, gazetteer)
    _score(spans)
    _place_within(text, spans, sentence_starts)
    spans = _reject_namesakes(text, spans, sentence_starts)

    mentions = []
    for span, place in _resolve_context(text, spans, gazetteer, sentence_starts):
        if span.landmark is not None and place is None:
            continue  # a generic landmark with no city before it is not a place we can name
        role = _role(text, span, regions, sentence_starts)
        if place is None:
            mentions.append(
                PlaceMention(span.start, span.end, span.text, span.text, "", None, None, "", "", "city", role, 0)
            )
            continue
        mention = PlaceMention(
            start=span.start,
            end=span.end,
            text=text[span.start : span.end],
            place=_canonical_name(place),
            place_id=place.place_id,
            lat=place.lat,
            lon=place.lon,
            country=place.country,
            admin1=place.admin1,
            geo_precision=place.geo_precision,
            role=role,
            population=place.population,
        )
        if role == "reference" and place.lat is not None:
            derived = _offset_mention(text, mention, sentence_starts)
            if derived is not None:
                mentions.append(derived)  # (it starts before the place it is measured from)
        mentions.append(mention)
    return mentions


def _offset_mention(text: str, reference: PlaceMention, sentence_starts: list[int]) -> PlaceMention | None:
    """The place "65 kilometres south of Mosul" points at: the reference's point moved that far in
    that direction (geopy's geodesic destination), as a mention of the whole phrase; None when the
    words before the reference give no distance."""
    window_start = max(_sentence_start(sentence_starts, reference.start), reference.start - 100)
    match = _DISTANCE_DIRECTION.search(text, window_start, reference.start)
    if match is None:
        return None
    low, high = _count_of(match.group("num")), _count_of(match.group("num2") or match.group("num"))
    if low is None or high is None:
        return None
    km = (low + high) / 2 * (KM_PER_MILE if match.group("unit").lower().startswith("mi") else 1.0)
    if not 0 < km <= 1000:
        return None
    direction = match.group("dir").lower().replace("-", "")
    from geopy.distance import distance  # (only for the few phrases that give a distance)

    point = distance(kilometers=km).destination((reference.lat, reference.lon), _BEARINGS[direction])
    abbreviation = "".join(part[0].upper() for part in re.findall(r"north|south|east|west", direction))
    start = match.start("num")
    return PlaceMention(
        start=start,
        end=reference.end,
        text=text[start : reference.end],
        place=f"{km:.0f} km {abbreviation} of {reference.place}",
        place_id=f"offset:{km:.0f}km{abbreviation}@{reference.place_id}",
        lat=round(point.latitude, 5),
        lon=round(point.longitude, 5),
        country=reference.country,
        admin1=reference.admin1,
        geo_precision="district",
        role="event",
        population=0,
    )


def _count_of(word: str) -> float | None:
    """A distance's figure: digits ("65", "2.5", "1,000") or a number word ("forty")."""
    word = word.lower()
    if word[:1].isdigit():
        if "," in word:
            head, _, tail = word.partition(",")
            word = head + ("" if len(tail) == 3 else "." + tail)  # "1,000" is a thousand, "2,5" two and a half
        return float(word)
    return _NUMBER_WORDS.get(word)


def _dateline_spans(text: str, regions: list[tuple[int, int, str]], gazetteer: Gazetteer) -> list[_Span]:
    """All-caps dateline places ('WASHINGTON —', 'MOSUL, Iraq —') looked up in title case."""
    spans = []
    for start, end, role in regions:
        if role != "dateline":
            continue
        match = _CAPS_NAME.match(text[start:end])
        if not match or match.group(1).upper() != match.group(1):
            continue
        s, e = start + match.start(1), start + match.end(1)
        candidates = gazetteer.lookup_key(normalize(text[s:e]))
        if candidates:
            spans.append(_Span(s, e, text[s:e], candidates, "dateline"))
    return spans


def _scope_quarters(spans: list[_Span], gazetteer: Gazetteer) -> list[_Span]:
    """A quarter of a city (localities.csv: "Zuhur" in Mosul) is a reading only where the text also
    names its city: its generic names ("al-Salam", "Yarmouk") are quarters of many cities. A name
    left with no reading is dropped."""
    quarter_city = gazetteer.quarter_city
    if not any(p.kind == "quarter" for span in spans for p, _ in span.candidates):
        return spans
    named = {p.place_id for span in spans for p, _ in span.candidates if p.kind != "quarter"}
    kept = []
    for span in spans:
        if any(p.kind == "quarter" for p, _ in span.candidates):
            span.candidates = [
                (p, primary)
                for p, primary in span.candidates
                if p.kind != "quarter" or quarter_city.get(p.place_id) in named
            ]
            if not span.candidates and span.within is None and span.source != "within":
                continue
        kept.append(span)
    return kept


def _drop_unlikely(
    text: str,
    spans: list[_Span],
    persons: dict[str, bool],
    regions: list[tuple[int, int, str]],
    lower_words: _LowerWords,
) -> list[_Span]:
    """Drop names that read as words or people here: sentence-initial common words, known surnames."""
    credits = [m.span() for m in _CREDIT.finditer(text)]
    kept: list[_Span] = []
    governed: dict[int, bool] = {}  # id of a kept span -> whether a locative word governs it

    def locative(span: _Span) -> bool:
        """Whether a locative word governs a span, or the list of places it ends ("in Mosul,
        Qayyarah and Hammam al-Alil"). Worked out when asked, remembered for the spans kept."""
        found = governed.get(id(span))
        if found is None:
            found = _ends_locative(text[max(0, span.start - 40) : span.start]) or bool(
                _PLACE_APPOSITIVE.match(text, span.end, span.end + 60)
            )
            if not found and kept and kept[-1] is not span and _LIST_BEFORE.fullmatch(text, kept[-1].end, span.start):
                found = locative(kept[-1])
            governed[id(span)] = found
        return found

    for span in spans:
        if span.within is not None:
            kept.append(span)  # "the Zuhur neighbourhood": the phrase says it is a place
            continue
        if span.source == "name" and any(s <= span.start < e for s, e in credits):
            continue
        if span.source != "name" or any(p.kind not in SETTLEMENT_KINDS for p, _ in span.candidates):
            kept.append(span)
            continue
        key = normalize(span.text)
        before = text[max(0, span.start - 40) : span.start]
        # (whether the words before make it a place is only worked out where it matters)
        if key in persons and not (_PERSON_SAFE_LOCATIVE.search(before) if persons[key] else _ends_locative(before)):
            continue
        best_prior = max(map(_candidate_score, span.candidates)) - span.penalty
        single = " " not in span.text
        if single and key in lower_words and best_prior < 6.5:
            continue  # the word is used as a common word in this very text
        if best_prior < MIN_PRIOR_ALONE and span.qualifier is None and not _role_at(regions, span.start):
            if not locative(span):  # "the rebel-held town of Tal Rafaat" says it is a place
                continue
        kept.append(span)
    return kept


def main_country(mentions: Sequence[PlaceMention]) -> str:
    """The country an article is mostly about: most frequent among its narrative mentions
    (datelines and bylines left out, event mentions counted double); "" when none."""
    counts: Counter[str] = Counter()
    for mention in mentions:
        if mention.country and mention.role in {"event", "mentioned"}:
            counts[mention.country] += 2 if mention.role == "event" else 1
    return counts.most_common(1)[0][0] if counts else ""
