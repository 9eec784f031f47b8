"""Stage 5: actor mentions -> canonical actors, from the reference table `reference/actors.csv`.

Aliases are matched as whole words, longest first; all-caps aliases ("IS", "SDF") only in capitals
so "is" never reads as Islamic State. A part of a force (Iraqi Federal Police) also brings its
parent (Iraqi Security Forces), so filtering by the parent finds it. A spokesman or commander named
after an actor ("SDF spokesman Talal Sello") makes later mentions of that person ("Sello told AFP")
mentions of the actor too.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from data.dates import fold_article
from data.schema import ActorMention

ACTORS_CSV = Path(__file__).parent / "reference" / "actors.csv"

# Roles that tie a named person to the actor named just before them.
AFFILIATION_ROLES = (
    r"spokes(?:man|woman|person)|commander|leader|official|chief|head|envoy|minister|"
    r"general|colonel|adviser|advisor|representative|member|fighter|militant"
)
PERSON = r"(?:(?:Lt\.|Gen\.|Col\.|Maj\.|Brig\.|Capt\.|Sgt\.|Dr\.|Sheikh|Mr\.|Ms\.) ?)*([A-Z][a-z'\-]+(?: (?:[A-Z][a-z'\-]+|al-[A-Z][a-z'\-]+)){0,3})"
# What follows an actor's name to introduce one of its people: "(SDF) spokesman Talal Sello".
ROLE_THEN_NAME = re.compile(
    rf"\s*(?:\([A-Z]{{2,6}}\)\s*)?(?:'s\s+)?(?:[a-z\-]+\s+){{0,2}}(?:{AFFILIATION_ROLES})\s+{PERSON}"
)


@dataclass(frozen=True)
class ActorInfo:
    actor: str
    actor_type: str
    parent: str
    aliases: tuple[str, ...]


@cache
def actor_table(path: Path = ACTORS_CSV) -> dict[str, ActorInfo]:
    """Canonical actor name -> its type, parent and aliases, as read from the reference CSV."""
    table: dict[str, ActorInfo] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            name = row["actor"].strip()
            aliases = tuple(a.strip() for a in row["aliases"].split("|") if a.strip())
            table[name] = ActorInfo(name, row["actor_type"].strip(), (row.get("parent") or "").strip(),
                                    aliases + ((name,) if name not in aliases else ()))
    return table


def _alias_pattern(alias: str) -> str:
    escaped = re.escape(alias).replace(r"\ ", r"[\s\-]+")
    # Acronyms and short capitalised forms are matched case-sensitively.
    if alias.isupper() or (len(alias) <= 4 and alias[:1].isupper()):
        return escaped
    return f"(?i:{escaped})"


def _alias_tree(aliases: list[str]) -> str:
    """Regex text matching any of the lower-case `aliases` (a space stands for whitespace or hyphens),
    as a tree of shared first characters, so the engine tries only the aliases that start with the
    character at hand instead of each of them in turn. (It says where some alias matches, not which.)"""
    branches: dict[str, list[str]] = {}
    for alias in aliases:
        branches.setdefault(alias[:1], []).append(alias[1:])
    parts = []
    for first, rests in branches.items():
        head = r"[\s\-]+" if first == " " else re.escape(first)
        if not first:
            parts.append("")  # an alias ended here
        elif len(rests) == 1:
            parts.append(head + re.escape(rests[0]).replace(r"\ ", r"[\s\-]+"))
        else:
            parts.append(head + _alias_tree(rests))
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


@cache
def _matcher(path: Path = ACTORS_CSV) -> tuple[dict[str, re.Pattern[str]], re.Pattern[str], dict[str, str]]:
    """Regexes over the aliases (longest first) by their first letter in lower case, a fast one that
    finds where some alias may start in the folded text (see `_finditer_at_candidates`), and the
    alias -> actor map (casefolded keys)."""
    alias_to_actor: dict[str, str] = {}
    for info in actor_table(path).values():
        for alias in info.aliases:
            alias_to_actor.setdefault(_normalise(alias), info.actor)
    aliases = sorted({a for info in actor_table(path).values() for a in info.aliases}, key=len, reverse=True)
    # Where an alias matches the text, its first letter in lower case is the folded text's there
    # (the aliases are ASCII: see fold_for_prefilter), so only the aliases starting with that
    # letter are tried there, in the same order, instead of all of them in turn.
    if not all(alias.isascii() for alias in aliases):
        raise ValueError("actor aliases must be ASCII (see _matcher)")
    by_first: dict[str, list[str]] = {}
    for alias in aliases:
        by_first.setdefault(alias[:1].lower(), []).append(alias)
    patterns = {first: re.compile(r"(?<![\w\-])(?:" + "|".join(map(_alias_pattern, group)) + r")(?![\w\-])")
                for first, group in by_first.items()}
    # Every alias in lower case and case-sensitive, for the folded text: it matches wherever one of
    # `patterns` matches the text, and also at acronyms' look-alikes ("is" for "IS").
    folded = r"(?<![\w\-])" + _alias_tree(sorted({a.lower() for a in aliases})) + r"(?![\w\-])"
    return patterns, re.compile(folded), alias_to_actor


_SEPARATORS = re.compile(r"[\s\-]+")


def _normalise(alias: str) -> str:
    return _SEPARATORS.sub(" ", alias).casefold()


def actor_type(actor: str) -> str:
    info = actor_table().get(actor)
    return info.actor_type if info else ""


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


def find_actors(text: str) -> list[ActorMention]:
    """Actor mentions in `text`, sorted, non-overlapping; includes affiliated people's names."""
    patterns, candidates, alias_to_actor = _matcher()
    mentions: list[ActorMention] = []
    for match in _finditer_at_candidates(patterns, candidates, text):
        actor = alias_to_actor.get(_normalise(match.group(0)))
        if actor:
            mentions.append(ActorMention(match.start(), match.end(), match.group(0), actor, actor_type(actor)))
    mentions.extend(_affiliated_people(text, mentions))
    mentions.sort(key=lambda m: m.start)
    kept: list[ActorMention] = []
    for mention in mentions:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept


def _finditer_at_candidates(patterns: dict[str, re.Pattern[str]], candidates: re.Pattern[str],
                            text: str) -> Iterator[re.Match[str]]:
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


# Generic actors name no group ("gunmen", "police"): their canonical names carry this placeholder,
# filled with the country where the event happened ("Police Forces of Turkey", "Civilians (Iraq)").
COUNTRY_PLACEHOLDER = "{country}"
GENERIC_ARMED_GROUP = "Unidentified Armed Group ({country})"


def is_generic(actor: str) -> bool:
    """Whether the actor names no particular group (its name waits for a country)."""
    return COUNTRY_PLACEHOLDER in actor


def specialise(actor: str, country_code: str | None) -> str:
    """A generic actor's name for the country of its event ("Police Forces of {country}", "TR" ->
    "Police Forces of Turkey"); without a country, the placeholder and its brackets go
    ("Police Forces", "Civilians"). Other actors are returned as they are."""
    if not is_generic(actor):
        return actor
    name = _country_name(country_code) if country_code else ""
    if name:
        return actor.replace(COUNTRY_PLACEHOLDER, name)
    return re.sub(r"\s*(?:\(\{country\}\)|of\s+\{country\})", "", actor).strip()


def _country_name(code: str) -> str:
    from data.gazetteer import get_gazetteer

    place = get_gazetteer().country(code)
    return place.name if place is not None else ""
