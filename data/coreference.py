"""One report per real event per article: fold the clauses that tell the same occurrence.

A news article tells its main event several times: the lead, a quote restating it ("Palmyra has
been liberated"), a second source confirming it, details ("one police officer died at the scene").
Each such clause was read on its own by the event stage (a `Candidate`); here they are folded into
groups, one group per real event, in text order. A clause joins the most recent group it is
compatible with *and* linked to; otherwise it starts a new event.

Compatible (nothing says they differ):
  - kinds: the same family of event (a battle, an air strike, a bombing, …) or a generic cue
    ("killed", "attack", damage "in the explosion") that fits any; a detail's kind counts only
    when the group has nothing else;
  - dates: their own dates overlap (one day of slack), or one has none of its own, and one is not
    a day while the other spans months (a campaign and an incident of it);
  - places: their own city-level places lie within SAME_PLACE_KM, or one is a region or country
    of the same country, or one has none;
  - acting sides: they share an actor (parents included), or one names none or only a generic one;
  - the clause does not mark itself as another event ("another bomb", "a second attack",
    "two more blasts", "separately", "elsewhere", "Earlier on Tuesday, …").
Linked (something says they are the same), any of:
  - an anaphor: "the attack", "the bombing", "the offensive", "the operation", "the blast" …;
  - the same place named again, or the same day;
  - the same acting side a few sentences on, or the same proper name ("Abu Wahib … Wahib was
    killed");
  - a detail with neither its own date nor its own place, right after the group's last clause,
    or a fuller telling right after a group of such details.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from data.gazetteer import great_circle_km
from data.schema import DateMention, PlaceMention
from data.textmatch import fold_for_prefilter, folded_pattern

# An interval this short (in days) dates an incident; this long, a campaign or a background period.
SHORT_DAYS, LONG_DAYS = 2, 60
# What data.events writes as the text of a date implied for something going on ("under way").
ONGOING = "(ongoing)"
# "has been killed" is news of the last few days: a telling dated earlier tells another event.
RECENT_DAYS = 5
# Two city-level places this close are the same place (a town and its districts).
SAME_PLACE_KM = 30.0
# A detail sentence joins the previous event only if it follows it this closely (in sentences).
DETAIL_GAP = 4
# Families of ACLED sub-event types that tell one kind of occurrence.
FAMILY = {
    ("Battles", "Armed clash"): "clash",
    ("Battles", "Overtakes territory"): "territory",
    ("Battles", "Government regains territory"): "territory",
    ("Battles", "Non-state actor overtakes territory"): "territory",
    ("Strategic developments", "Non-violent transfer of territory"): "territory",
    ("Explosions/Remote violence", "Air/drone strike"): "air",
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"): "shelling",
    ("Explosions/Remote violence", "Suicide bomb"): "bomb",
    ("Explosions/Remote violence", "Remote explosive/landmine/IED"): "bomb",
    ("Explosions/Remote violence", "Grenade"): "bomb",
    ("Explosions/Remote violence", "Chemical weapon"): "chemical",
    ("Violence against civilians", "Attack"): "violence",
    ("Violence against civilians", "Abduction/forced disappearance"): "abduction",
    ("Violence against civilians", "Sexual violence"): "violence",
    ("Strategic developments", "Agreement"): "agreement",
    ("Strategic developments", "Arrests"): "arrest",
    ("Strategic developments", "Looting/property destruction"): "destruction",
    ("Strategic developments", "Headquarters or base established"): "base",
    ("Strategic developments", "Other"): "other",
    ("Protests", "Peaceful protest"): "protest",
    ("Protests", "Protest with intervention"): "protest",
    ("Riots", "Violent demonstration"): "protest",
    ("Riots", "Mob violence"): "protest",
}
# The clause calls itself another event.
EVENT_NOUN = (
    r"(?:attacks?|bombings?|bombs?|blasts?|explosions?|assaults?|offensives?|operations?|battles?|"
    r"strikes?|airstrikes?|raids?|sieges?|ambush(?:es)?|massacres?|killings?|incidents?|clashes|"
    r"car\s+bombs?|suicide\s+(?:attacks?|bombings?|bombers?))"
)
DISTINCT = re.compile(
    r"^\W*(?:earlier|later|previously|meanwhile)\b|\b(?:another|a\s+(?:second|third|fourth|separate|further|new|"
    r"fresh)|(?:two|three|four|five|several)\s+(?:more|other)|the\s+(?:first|second|third|other))\s+(?:[\w\-]+\s+)?"
    + EVENT_NOUN
    + r"\b|\b(?:separately|elsewhere|in\s+other\s+(?:news|developments?|attacks?|fighting)|"
    r"in\s+another\s+development)\b",
    re.IGNORECASE,
)
# The clause refers back to an event already told.
ANAPHOR = re.compile(
    r"\b(?:the|this|that|these|those|its|their|thursday's|friday's|saturday's|sunday's|monday's|"
    r"tuesday's|wednesday's|today's|yesterday's)\s+(?:\w+\s+){0,2}?(attacks?|bombings?|blasts?|explosions?|"
    r"assault|offensive|operation|battle|fighting|strikes?|airstrikes?|raids?|siege|ambush|massacre|"
    r"killings?|incident|violence|clashes|advance|push|capture|liberation|recapture|fall|victory|"
    r"operations|campaign)\b",
    re.IGNORECASE,
)
_ANAPHOR_FOLDED = folded_pattern(ANAPHOR)
# The family of event an anaphor's noun refers to (by its first letters); others fit any.
ANAPHOR_FAMILY = {
    "bomb": "bomb",
    "blast": "bomb",
    "explosion": "bomb",
    "assault": "clash",
    "offensive": "launch",
    "operation": "launch",
    "battle": "clash",
    "fighting": "clash",
    "siege": "clash",
    "clashes": "clash",
    "advance": "clash",
    "push": "clash",
    "capture": "territory",
    "liberation": "territory",
    "recapture": "territory",
    "fall": "territory",
    "victory": "territory",
    "campaign": "launch",
    "airstrike": "air",
    "strike": "air",
    "raid": "air",
    "massacre": "violence",
    "killing": "violence",
}


class Foldable(Protocol):
    """What folding reads of a candidate clause (data.events.Candidate)."""

    sentence_index: int
    clause: tuple[int, int]
    date: DateMention | None  # its own date, or what its tense implies (see data.events)
    place: PlaceMention | None
    generic: bool
    names: frozenset[str]  # proper names besides places, actors and dates ("Wahib")

    @property
    def family(self) -> str: ...

    @property
    def acting(self) -> list[str]: ...


@dataclass
class Fold:
    """A group of candidates telling one event, and why each joined (for `explain`)."""

    members: list
    reasons: list[str]


def family_of(event_type: str, sub_event_type: str) -> str:
    return FAMILY.get((event_type, sub_event_type), event_type.lower())


def _days_overlap(a: DateMention, b: DateMention) -> bool:
    """Whether two dates may be one day's; a date implied by publication ("has been killed") only
    says the event happened by then."""
    slack = timedelta(days=1)
    if a.basis == "publication" or b.basis == "publication":
        # (the present perfect tells recent news: not a date days before)
        implied, other = (a, b) if a.basis == "publication" else (b, a)
        recent = implied.text != ONGOING
        return other.date_start <= implied.date_end + slack and (
            not recent or other.date_end >= implied.date_start - timedelta(days=RECENT_DAYS)
        )
    return a.date_start <= b.date_end + slack and b.date_start <= a.date_end + slack


def _episode_differs(a: DateMention, b: DateMention) -> bool:
    """A campaign and an incident: one dated to a day or two, the other to months ("had fought
    since June" is not "have taken the city" of the same week, told in the present perfect)."""
    days = sorted(((a.date_end - a.date_start).days, (b.date_end - b.date_start).days))
    return days[0] <= SHORT_DAYS and days[1] > LONG_DAYS


def distance_km(a: PlaceMention, b: PlaceMention) -> float:
    """Great-circle distance between two located places, in km."""
    return great_circle_km(a.lat, a.lon, b.lat, b.lon)


_CITY_LEVEL = ("site", "city", "district")


def places_agree(a: PlaceMention, b: PlaceMention) -> bool:
    """Whether two places may be the place of one event: near each other, or one the region or
    country the other lies in."""
    if a.geo_precision in _CITY_LEVEL and b.geo_precision in _CITY_LEVEL:
        return distance_km(a, b) <= SAME_PLACE_KM
    return not a.country or not b.country or a.country == b.country


def same_place(a: PlaceMention, b: PlaceMention) -> bool:
    """The same place named again: one town (or districts of it), the same region, or a town and
    the province it lies in ("in Iraq's Anbar province" … "in Rutba")."""
    if a.geo_precision in _CITY_LEVEL and b.geo_precision in _CITY_LEVEL:
        return distance_km(a, b) <= SAME_PLACE_KM
    if a.place_id == b.place_id:
        return True
    town, region = (a, b) if a.geo_precision in _CITY_LEVEL else (b, a)
    return (
        town.geo_precision in _CITY_LEVEL
        and region.geo_precision == "region"
        and bool(town.admin1)
        and town.country == region.country
        and _plain(town.admin1) == _plain(region.place)
    )


def _plain(name: str) -> str:
    """A province's name without its kind or accents ("Al Anbar Governorate" -> "anbar")."""
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    name = re.sub(r"\b(?:governorate|province|muhafazat|al|ar|as|ash|ad|an)\b|[^a-z ]", " ", name)
    return " ".join(name.split())


def _dated(members: Sequence[Foldable]) -> list[DateMention]:
    return [m.date for m in members if m.date is not None and m.date.date_start is not None]


def _placed(members: Sequence[Foldable]) -> list[PlaceMention]:
    return [m.place for m in members if m.place is not None and m.place.lat is not None]


# Kinds of battle that one event may be told as: fighting and a capture ("fierce fighting …
# seized the district"), a launch and its fighting ("the battle Abadi started on May 23 … the battle
# under way"); a launch and a capture are two events (ACLED codes both).
# Violence against civilians told as killings in one place and as abductions in another ("forced
# families out of their villages" … "herded toward Mosul") is one event too (CODEBOOK: both sub-types).
KIN = {frozenset({"clash", "territory"}), frozenset({"launch", "clash"}), frozenset({"violence", "abduction"})}


def _kin(a: str, b: str) -> bool:
    """Whether two families of event may tell one event."""
    return a == b or frozenset({a, b}) in KIN


def _kind(candidate: Foldable) -> str:
    """Its family for telling events apart: a launch told with no date of its own ("the operation to
    liberate Mosul has begun") cannot be told apart from the fighting it began."""
    if candidate.family == "launch" and (candidate.date is None or candidate.date.basis == "publication"):
        return "clash"
    return candidate.family


def _unnamed(actor: str) -> bool:
    """A generic actor (its name waits for a country: "Police Forces of {country}") or a crowd."""
    return "{country}" in actor or actor.startswith(("Protesters", "Rioters"))


def compatible(group: Sequence[Foldable], candidate: Foldable, related: Callable[[str, str], bool]) -> str | None:
    """None when nothing says the candidate tells another event than the group; else why."""
    # (an offensive's launch and its fighting may be one telling's two words for one event:
    # "the battle underway in Falluja" … "the battle Abadi started on May 23"; dates tell them apart)
    # (a detail's kind — no date, no place of its own: "Retaking Falluja would enable …" — is
    # loosely told; the tellings that say when or where type the event)
    families = {_kind(m) for m in group if not m.generic and not _is_detail(m)} or {
        _kind(m) for m in group if not m.generic
    }
    if not candidate.generic and families and not all(_kin(_kind(candidate), f) for f in families):
        return "another kind of event"
    if candidate.date is not None and candidate.date.date_start is not None:
        if any(not _days_overlap(candidate.date, d) for d in _dated(group)):
            return "another date"
        if any(_episode_differs(candidate.date, d) for d in _dated(group)):
            return "another episode"
    elif (
        _is_detail(candidate)
        and (dated := _dated(group))
        and all((d.date_end - d.date_start).days > LONG_DAYS for d in dated)
    ):
        # a detail ("eight people were killed") tells one occurrence, not months of them ("three
        # bomb attacks this year")
        return "another episode"
    if candidate.place is not None and candidate.place.lat is not None:
        if any(not places_agree(candidate.place, p) for p in _placed(group)):
            return "another place"
    # (a country's police, its soldiers, a crowd link tellings but do not tell events apart)
    acting = [a for m in group for a in m.acting if not _unnamed(a)]
    own = [a for a in candidate.acting if not _unnamed(a)]
    if own and acting and not any(related(a, b) for a in own for b in acting):
        return "another acting side"
    return None


def link(group: Sequence[Foldable], candidate: Foldable, text: str, related: Callable[[str, str], bool]) -> str | None:
    """What says the candidate tells the group's event, or None."""
    clause = text[candidate.clause[0] : candidate.clause[1]]
    # (searched case-sensitively over the folded clause: the same matches, faster)
    folded = fold_for_prefilter(clause)
    anaphor = _ANAPHOR_FOLDED.search(folded) if len(folded) == len(clause) else ANAPHOR.search(clause)
    if anaphor:
        # "the assault" refers to a battle, "the blast" to a bombing; "the attack" to anything
        noun = clause[anaphor.start(1) : anaphor.end(1)].lower()
        families = {m.family for m in group if not m.generic}
        wanted = next((family for word, family in ANAPHOR_FAMILY.items() if noun.startswith(word)), None)
        if wanted is None or not families or any(_kin(wanted, f) for f in families):
            return "refers back to it"
    if (
        candidate.place is not None
        and candidate.place.lat is not None
        and any(same_place(candidate.place, p) for p in _placed(group))
    ):
        return "same place"
    if (
        candidate.date is not None
        and candidate.date.basis != "publication"
        and any(
            candidate.date.date_precision == "day"
            and d.date_precision == "day"
            and d.basis != "publication"
            and d.date_start == candidate.date.date_start
            for d in _dated(group)
        )
    ):
        return "same day"
    acting = [a for m in group for a in m.acting]
    if (
        candidate.acting
        and any(related(a, b) for a in candidate.acting for b in acting)
        and candidate.sentence_index - group[-1].sentence_index <= 2 * DETAIL_GAP
    ):
        return "same acting side"
    # (a person named again is the same event only where no other place is said: "Haji Iman …
    # had recruited for the attacks in Brussels" tells another event)
    shared = candidate.names & frozenset().union(*(m.names for m in group))
    if shared and (candidate.place is None or any(same_place(candidate.place, p) for p in _placed(group))):
        return f"names {sorted(shared)[0]} again"
    if _is_detail(candidate) and candidate.sentence_index - group[-1].sentence_index <= DETAIL_GAP:
        return "a detail of it"
    if all(_is_detail(m) for m in group) and candidate.sentence_index - group[-1].sentence_index <= DETAIL_GAP:
        # "Demonstrations … turned violent." then "Since April, protesters have twice stormed the
        # Green Zone": the fuller telling of what was just told without a date or a place
        return "tells it more fully"
    return None


# Every match of DISTINCT has one of these words (lower case): a cheap test first.
_DISTINCT_WORDS = (
    "earlier",
    "later",
    "previously",
    "meanwhile",
    "another",
    "second",
    "third",
    "fourth",
    "separate",
    "further",
    "new",
    "fresh",
    "more",
    "other",
    "first",
    "elsewhere",
)


def _calls_itself_another(clause: str) -> bool:
    """Whether the clause marks itself as another event (DISTINCT)."""
    lowered = clause.lower()
    return any(word in lowered for word in _DISTINCT_WORDS) and DISTINCT.search(clause) is not None


def _is_detail(candidate: Foldable) -> bool:
    """A telling with neither a date nor a place of its own."""
    return candidate.date is None and (candidate.place is None or candidate.place.lat is None)


def fold(candidates: Sequence[Foldable], text: str, related: Callable[[str, str], bool]) -> list[Fold]:
    """Candidates (in text order) grouped into events: each joins the most recent compatible,
    linked group, else starts its own."""
    folds: list[Fold] = []
    for candidate in candidates:
        clause = text[candidate.clause[0] : candidate.clause[1]]
        joined = False
        if not _calls_itself_another(clause):
            for group in reversed(folds):
                if compatible(group.members, candidate, related) is not None:
                    continue
                reason = link(group.members, candidate, text, related)
                if reason is not None:
                    group.members.append(candidate)
                    group.reasons.append(reason)
                    joined = True
                    break
        if not joined:
            folds.append(Fold([candidate], ["new event"]))
    return folds
